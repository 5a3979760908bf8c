package io.memtrace.agent.bootstrap;

/**
 * Reaches the package-private side of {@link ThreadContext} for tests of other packages (the ring
 * publisher's translators read what the hooks staged on a context).
 */
public final class ThreadContextFixture {

  private ThreadContextFixture() {
  }

  /** A context of its own, not the current thread's, so tests never share state. */
  public static ThreadContext newContext() {
    return new ThreadContext();
  }

  /** Stages an answered command on {@code context}, as {@link RedisHooks#replied} does. */
  public static void stageCommand(ThreadContext context, Object connection, Object socket,
      Object command, Object args, long startNanos, Object reply, Throwable error, long endNanos) {
    context.redisCall.take(connection, socket, command, args, startNanos, false);
    context.redisCall.end(reply, error, endNanos);
  }

  /** Stages a handshake command that makes no span ({@code redis.handshake-spans: false}). */
  public static void stageHiddenHandshake(ThreadContext context, Object connection, Object socket,
      Object command) {
    context.redisCall.take(connection, socket, command, null, 1, true);
    context.redisCall.hidden = true;
    context.redisCall.end("OK", null, 2);
  }

  /** Adds an answered command to the context's batch, as replies read inside {@code sync()} do. */
  public static void addToBatch(ThreadContext context, Object connection, Object socket,
      Object command, Object args, long startNanos, Throwable errorReply) {
    RedisCall call = new RedisCall();
    call.take(connection, socket, command, args, startNanos, false);
    if (context.redisBatch.isEmpty()) {
      context.redisBatch.begin(startNanos);
    }
    context.redisBatch.add(call, null, errorReply);
  }

  public static void endBatch(ThreadContext context, String method, Throwable thrown, long endNanos) {
    context.redisBatch.end(method, thrown, endNanos);
  }

  public static void parentSpan(ThreadContext context, long traceIdHigh, long traceIdLow,
      long spanId) {
    context.currentTraceIdHigh = traceIdHigh;
    context.currentTraceIdLow = traceIdLow;
    context.currentSpanId = spanId;
  }
}
