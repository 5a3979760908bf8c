package io.memtrace.agent.bootstrap;

/**
 * Keeps the OpenTelemetry agent's own Jedis spans from starting while memtrace traces a command or
 * batch, so each gets one span, memtrace's (issue 15, D1). Installed only when that agent started
 * before memtrace with its Jedis instrumentation on: memtrace's advice then runs around the
 * OpenTelemetry agent's, and makes current a context that tells its instrumentation to stand
 * aside. With none installed, the cost is one static read and a null check.
 */
public abstract class OtelSuppressor {

  private static volatile OtelSuppressor installed;

  protected OtelSuppressor() {
  }

  public static void install(OtelSuppressor suppressor) {
    installed = suppressor;
  }

  /** Makes the suppressing context current; returns the scope to hand to {@link #close}. */
  protected abstract Object open();

  /** Closes what {@link #open} returned, restoring the context before it. */
  protected abstract void close(Object scope);

  /** The advice's entry: a scope, or {@code null} when nothing is suppressed. Never throws. */
  static Object suppress() {
    OtelSuppressor suppressor = installed;
    if (suppressor == null) {
      return null;
    }
    try {
      return suppressor.open();
    } catch (Throwable t) {
      Bridge.internalError(t);
      return null;
    }
  }

  /** Ends what {@link #suppress} began. Never throws. */
  static void restore(Object scope) {
    OtelSuppressor suppressor = installed;
    if (scope == null || suppressor == null) {
      return;
    }
    try {
      suppressor.close(scope);
    } catch (Throwable t) {
      Bridge.internalError(t);
    }
  }
}
