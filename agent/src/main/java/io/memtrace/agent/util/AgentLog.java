package io.memtrace.agent.util;

import java.io.PrintStream;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * memtrace's own messages, on standard error with a {@code [memtrace]} prefix. Never called on the
 * hot path; {@link #warnOnce} keeps a repeating problem to one line.
 */
public final class AgentLog {

  private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();
  /** Set from the {@code debug} setting once the configuration is read. */
  private static volatile boolean debug;

  private AgentLog() {
  }

  /** Switches debug messages, and stack traces with warnings, on or off. */
  public static void debug(boolean on) {
    debug = on;
  }

  public static void info(String message) {
    print("INFO", message, null);
  }

  public static void warn(String message) {
    print("WARN", message, null);
  }

  public static void error(String message, Throwable cause) {
    print("ERROR", message, cause);
  }

  public static void debug(String message) {
    if (debug) {
      print("DEBUG", message, null);
    }
  }

  /** An INFO line, the first time {@code topic} comes up only. */
  public static void infoOnce(String topic, String message) {
    if (WARNED.add(topic)) {
      info(message);
    }
  }

  /** Logs {@code message} the first time {@code topic} is seen, then stays quiet about it. */
  public static void warnOnce(String topic, String message, Throwable cause) {
    if (WARNED.add(topic)) {
      print("WARN", message, debug ? cause : null);
    }
  }

  private static void print(String level, String message, Throwable cause) {
    PrintStream err = System.err;
    err.println("[memtrace] " + level + " " + message);
    if (cause != null) {
      cause.printStackTrace(err);
    }
  }
}
