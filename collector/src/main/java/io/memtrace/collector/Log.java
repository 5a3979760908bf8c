package io.memtrace.collector;

import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * What the collector tells its operator while it runs: one line on stderr per event, with the
 * time, so it reads the same in a terminal and in a supervisor's log.
 */
public final class Log {

  private Log() {
  }

  /** What the operator should know though nothing is wrong: what a watcher found at start, say. */
  public static void info(String message) {
    print(message, null);
  }

  public static void warn(String message) {
    print("warning: " + message, null);
  }

  /** A warning with the stack trace of what caused it, for failures nobody expected. */
  public static void warn(String message, Throwable cause) {
    print("warning: " + message, cause);
  }

  public static void error(String message, Throwable cause) {
    print("error: " + message, cause);
  }

  private static void print(String line, Throwable cause) {
    PrintStream err = System.err;
    synchronized (err) {
      err.println(Instant.now().truncatedTo(ChronoUnit.MILLIS) + " memtrace collector " + Visible.lines(line));
      if (cause != null) {
        cause.printStackTrace(err);
      }
      err.flush();
    }
  }
}
