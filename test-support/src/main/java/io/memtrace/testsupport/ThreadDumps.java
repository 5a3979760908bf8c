package io.memtrace.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The threads of a forked JVM that did not finish, as it prints them itself, for the failure that reports it. */
final class ThreadDumps {

  private ThreadDumps() {
  }

  /** The longest {@link #of} waits for a JVM to finish writing its threads. */
  static final Duration DUMP_WAIT = Duration.ofSeconds(30);

  /**
   * Asks a JVM that did not finish to print its threads (SIGQUIT: the JVM writes them to its stdout, {@code out}, and
   * goes on), and returns them once written: a hang can be read from the test's failure alone. A JVM stuck in its
   * start, or on a loaded machine, takes seconds to write them: this waits until the dump has ended (its
   * {@code JNI global refs} line, followed by whatever else HotSpot adds, such as a deadlock it found) and the output
   * has stopped growing, or for {@link #DUMP_WAIT} at most.
   */
  static String of(Process process, Path out) throws IOException, InterruptedException {
    long from = Files.exists(out) ? Files.size(out) : 0;
    try {
      Process kill = new ProcessBuilder("kill", "-QUIT", String.valueOf(process.pid())).start();
      kill.waitFor(5, TimeUnit.SECONDS);
    } catch (IOException e) {
      return "(no thread dump: kill(1) could not be run: " + e + ")";
    }
    long deadline = System.nanoTime() + DUMP_WAIT.toNanos();
    String dump = "";
    long size = -1;
    while (System.nanoTime() - deadline < 0 && process.isAlive()) {
      Thread.sleep(500);
      long now = Files.exists(out) ? Files.size(out) : 0;
      if (now > from) {
        byte[] bytes = Files.readAllBytes(out);
        dump = new String(bytes, (int) from, bytes.length - (int) from, StandardCharsets.UTF_8);
      }
      if (now == size && dump.contains("JNI global refs")) {
        break;
      }
      size = now;
    }
    return dump.isEmpty() ? "(the JVM printed no thread dump within " + DUMP_WAIT + ")" : dump;
  }
}
