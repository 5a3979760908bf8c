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
  /** The same for Lettuce's dispatch; separate because the user may choose for each client. */
  private static volatile OtelSuppressor forLettuce;

  protected OtelSuppressor() {
  }

  public static void install(OtelSuppressor suppressor) {
    installed = suppressor;
  }

  /** Suppresses the OpenTelemetry agent's Lettuce spans while memtrace's advice dispatches a command. */
  public static void installForLettuce(OtelSuppressor suppressor) {
    forLettuce = suppressor;
  }

  /** Makes the suppressing context current; returns the scope to hand to {@link #close}. */
  protected abstract Object open();

  /** Closes what {@link #open} returned, restoring the context before it. */
  protected abstract void close(Object scope);

  /** The advice's entry: a scope, or {@code null} when nothing is suppressed. Never throws. */
  static Object suppress() {
    return openWith(installed);
  }

  /** Whether the OpenTelemetry agent's Lettuce spans are to be kept from starting. */
  static boolean suppressesLettuce() {
    return forLettuce != null;
  }

  /** {@link #suppress()} for a Lettuce dispatch. */
  static Object suppressLettuce() {
    return openWith(forLettuce);
  }

  private static Object openWith(OtelSuppressor suppressor) {
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
    OtelSuppressor suppressor = installed != null ? installed : forLettuce; // one suppressor serves both
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
