package io.memtrace.agent.bootstrap;

/**
 * Reaches the package-private side of {@link ThreadContext} for tests of other packages (the ring
 * publisher's translators read a context the hooks filled).
 */
public final class ThreadContextFixture {

  private ThreadContextFixture() {
  }

  /** A context of its own, not the current thread's, so tests never share state. */
  public static ThreadContext newContext() {
    return new ThreadContext();
  }

  public static void enqueue(ThreadContext context, Object connection, Object socket,
      Object command, Object args, long startNanos) {
    context.enqueue(connection, socket, command, args, startNanos);
  }

  public static void stage(ThreadContext context, Object reply, Throwable error, String method,
      long endNanos) {
    context.stage(reply, error, method, endNanos);
  }

  public static void batchErrorReplied(ThreadContext context, Throwable error) {
    if (context.batchErrors++ == 0) {
      context.batchFirstError = error;
    }
  }

  public static void parentSpan(ThreadContext context, long traceIdHigh, long traceIdLow,
      long spanId) {
    context.currentTraceIdHigh = traceIdHigh;
    context.currentTraceIdLow = traceIdLow;
    context.currentSpanId = spanId;
  }
}
