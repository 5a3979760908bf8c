package io.memtrace.bench.stress.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;

/**
 * How runs that take turns learn the epoch of the first turn ({@code --turns ready,...}): each says it is ready once
 * its workers run, and the harness sets the epoch, a warm-up after the last of them was ready, and tells each. No
 * run then needs a guess of how long a JVM under load takes to start.
 */
@FunctionalInterface
public interface EpochHandshake {

  /** The line a run prints on stdout when its workers run. */
  String READY = "STRESS-READY";
  /** The line the harness writes to a run's stdin: this prefix and the epoch in ms. */
  String EPOCH = "STRESS-EPOCH ";
  /**
   * How long a harness waits for a run to be ready, and a run for its epoch, before it gives up: a hang guard,
   * never a bound on how fast a JVM starts.
   */
  long GUARD_SECONDS = 600;

  /** Says this run is ready and returns the epoch of the first turn, epoch ms. */
  long ready() throws IOException;

  /** Over the process's own stdio: {@link #READY} out, {@link #EPOCH} in. */
  static EpochHandshake overStdio(BufferedReader in, PrintStream out) {
    return () -> {
      out.println(READY);
      out.flush();
      for (String line; (line = in.readLine()) != null; ) {
        if (line.startsWith(EPOCH)) {
          return Long.parseLong(line.substring(EPOCH.length()).trim());
        }
      }
      throw new IOException("stdin ended before the harness sent the epoch (" + EPOCH + "<ms>)");
    };
  }

  /** The line that tells a run its epoch. */
  static String epochLine(long epochMillis) {
    return EPOCH + epochMillis;
  }
}
