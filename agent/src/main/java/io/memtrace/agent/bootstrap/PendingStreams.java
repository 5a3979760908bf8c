package io.memtrace.agent.bootstrap;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Model calls that stream to a handler and have returned, by their handler (identity): the span ends when the
 * framework tells that handler the stream completed or failed ({@link MethodHooks#HANDLER_FLAG}), on
 * whichever thread. Bounded: past {@link #LIMIT} calls whose handlers were never told (a stream cancelled where
 * the framework says nothing), the oldest are forgotten and counted as dropped.
 */
final class PendingStreams {

  static final int LIMIT = 10_000;
  private static final Map<Object, MethodFrame> PENDING = new IdentityHashMap<>();

  private PendingStreams() {
  }

  static void started(Object handler, MethodFrame frame) {
    if (handler == null) {
      return;
    }
    synchronized (PENDING) {
      if (PENDING.size() >= LIMIT) {
        Bridge.sink().countDropped(PENDING.size());
        PENDING.clear();
      }
      PENDING.put(handler, frame);
    }
  }

  /**
   * A handler is given a partial response with a context that can cancel the stream (LangChain4j's
   * {@code PartialResponseContext}): when it is a pending call's handler, remembers it on this thread so that
   * {@link #checked} can see, after the response was handled, whether the application cancelled the stream. A
   * cancelled stream tells its handler nothing more, so that is where its span ends.
   */
  static boolean checking(ThreadContext context, Object handler, Object responseContext) {
    if (handler == null || responseContext == null || context.checkingHandler != null) {
      return false;
    }
    synchronized (PENDING) {
      if (!PENDING.containsKey(handler)) {
        return false;
      }
    }
    context.checkingHandler = handler;
    context.checkingContext = responseContext;
    return true;
  }

  static void checked(ThreadContext context) {
    Object handler = context.checkingHandler;
    Object responseContext = context.checkingContext;
    context.checkingHandler = null;
    context.checkingContext = null;
    if (handler != null && Cancellation.cancelled(responseContext)) {
      ended(handler, StreamEnds.CANCELLED);
    }
  }

  /** {@code handler} was told its stream ended: with {@code outcome}, a response or a {@code Throwable}. */
  static void ended(Object handler, Object outcome) {
    if (handler == null) {
      return;
    }
    MethodFrame frame;
    synchronized (PENDING) {
      if (PENDING.isEmpty()) {
        return;
      }
      frame = PENDING.remove(handler);
    }
    if (frame != null) {
      boolean failed = outcome instanceof Throwable;
      MethodHooks.complete(frame, failed ? null : outcome, failed ? (Throwable) outcome : null);
    }
  }
}
