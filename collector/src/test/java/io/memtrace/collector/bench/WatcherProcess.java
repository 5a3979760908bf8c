package io.memtrace.collector.bench;

import io.memtrace.testsupport.BuildPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * The watcher as a user runs it: the built collector jar's {@code watch --passes 1} in a JVM of its
 * own, never in the benchmark's. Its CPU time is read from {@code /proc} while it runs (Linux; -1
 * elsewhere). {@code -Dbench.watch="java -cp ... Main"} runs another command instead, with the
 * same arguments after it, to try settings the command line does not offer.
 */
final class WatcherProcess {

  private final Process process;
  private volatile double cpuSeconds = -1;

  private WatcherProcess(Process process) {
    this.process = process;
    Thread meter = new Thread(this::meter, "bench-watcher-cpu");
    meter.setDaemon(true);
    meter.start();
  }

  /** Starts one pass over {@code redis}, its JSON lines to {@code out}; {@code extra} are more {@code watch} options. */
  static WatcherProcess start(String redis, Path out, List<String> extra) throws IOException {
    List<String> cmd = new ArrayList<>();
    String other = System.getProperty("bench.watch");
    if (other != null && !other.isBlank()) {
      cmd.addAll(List.of(other.trim().split("\\s+")));
    } else {
      cmd.addAll(List.of(BuildPaths.JAVA.toString(), "-jar", jar().toString(), "watch"));
    }
    cmd.addAll(List.of("--redis", System.getProperty("bench.watchRedis", redis), "--passes", "1", "--out",
        out.toString()));
    cmd.addAll(extra);
    Files.deleteIfExists(out);
    return launch(cmd);
  }

  /** {@code java -jar memtrace-collector.jar watch ARGS}, as given; its stdout and stderr to temporary files. */
  static WatcherProcess watch(List<String> args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(BuildPaths.JAVA.toString(), "-jar", jar().toString(), "watch"));
    cmd.addAll(args);
    return launch(cmd);
  }

  private static WatcherProcess launch(List<String> cmd) throws IOException {
    Path err = Files.createTempFile("bench-watch-", ".err");
    return new WatcherProcess(new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(err.toFile()).start());
  }

  /** The collector jar beside the benchmark on the class path. */
  static Path jar() {
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      if (entry.endsWith("memtrace-collector.jar")) {
        return Paths.get(entry).toAbsolutePath();
      }
    }
    throw new IllegalStateException("put collector/target/memtrace-collector.jar on the class path");
  }

  /** Stops the watcher's JVM where it is (SIGSTOP): Redis sees an idle connection until {@link #resume}. */
  void pause() throws IOException, InterruptedException {
    signal("-STOP");
  }

  void resume() throws IOException, InterruptedException {
    signal("-CONT");
  }

  private void signal(String which) throws IOException, InterruptedException {
    new ProcessBuilder("kill", which, String.valueOf(process.pid())).inheritIO().start().waitFor();
  }

  /** SIGTERM, and waits for the JVM to end. */
  void stop() throws InterruptedException {
    process.destroy();
    process.waitFor();
  }

  boolean alive() {
    return process.isAlive();
  }

  /** Waits for the pass to end; fails when the watcher did. */
  void await() throws InterruptedException {
    int code = process.waitFor();
    if (code != 0) {
      throw new IllegalStateException("the watcher exited with " + code);
    }
  }

  /** User plus system CPU of the watcher's JVM, read up to 100 ms before it ended. */
  double cpuSeconds() {
    return cpuSeconds;
  }

  private void meter() {
    Path stat = Paths.get("/proc", String.valueOf(process.pid()), "stat");
    while (process.isAlive()) {
      try {
        String s = Files.readString(stat);
        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
        cpuSeconds = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // utime, stime in USER_HZ ticks
        Thread.sleep(100);
      } catch (IOException | RuntimeException gone) {
        return;
      } catch (InterruptedException e) {
        return;
      }
    }
  }
}
