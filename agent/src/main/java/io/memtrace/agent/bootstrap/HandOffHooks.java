package io.memtrace.agent.bootstrap;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Hand-off calls ({@link MethodHooks#HANDOFF_FLAG}), where a framework passes memory results on towards a prompt:
 * they make no span and push no frame. Each thread has one hand-off frame, so one hand-off at a time is recorded (an
 * inner one is skipped); its end, with arguments and result, is published for the consumer's provenance index, and
 * the retrievals made inside it on its stack name it ({@code handOffId}). Called by {@link MethodHooks}, which
 * catches what these throw.
 */
final class HandOffHooks {

  /** What a hand-off's enter returns for its exit. */
  static final int DEPTH = -2;

  private HandOffHooks() {
  }

  /** Records the hand-off's arguments in the thread's hand-off frame; {@link #DEPTH}, or -1 when one is open. */
  static int enter(ThreadContext context, int rule, Object self, Object a0, Object a1, Object a2, Object a3,
      Object a4, Object a5) {
    MethodFrame frame = context.handOff;
    if (frame.rule != 0) {
      return -1;
    }
    frame.set(rule, self, a0, a1, a2, a3, a4, a5);
    frame.spanId = ThreadLocalRandom.current().nextLong() | 1; // names it, never exported
    frame.traceIdHigh = context.currentTraceIdHigh;
    frame.traceIdLow = context.currentTraceIdLow;
    frame.parentSpanId = context.currentSpanId;
    frame.startNanos = System.nanoTime();
    return DEPTH;
  }

  /** Publishes the end of a hand-off that returned, and frees the thread's hand-off frame. */
  static void exit(Object returned, Throwable thrown) {
    MethodFrame frame = ThreadContext.current().handOff;
    try {
      if (frame.rule != 0 && thrown == null) {
        frame.end(returned, null, System.nanoTime());
        Bridge.sink().publishMethodEnd(frame);
      }
    } finally {
      frame.clear();
      frame.rule = 0;
    }
  }
}
