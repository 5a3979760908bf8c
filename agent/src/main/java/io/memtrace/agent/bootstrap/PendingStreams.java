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
