package io.memtrace.otel;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The traces memtrace joined recently, and whether the OpenTelemetry span joined was sampled: the
 * app thread notes them as it joins ({@link CurrentSpanReader}), the consumer asks
 * ({@link TraceSampling}), so a joined trace follows its OpenTelemetry parent's decision while a
 * trace memtrace started goes to the sampler. Two fixed tables of the trace ids' low halves,
 * indexed by their low bits: noting costs two array writes and no allocation. A slot another
 * trace overwrote forgets the first, which is then sampled like a trace memtrace started.
 */
final class JoinedTraces {

  static final int SLOTS = 4096;

  /** What the consumer knows of a trace. */
  enum Joined { SAMPLED, NOT_SAMPLED, UNKNOWN }

  private final AtomicLongArray sampled = new AtomicLongArray(SLOTS);
  private final AtomicLongArray notSampled = new AtomicLongArray(SLOTS);

  /** On the app thread: a memtrace span joined the trace whose id ends in {@code traceIdLow}. */
  void note(long traceIdLow, boolean isSampled) {
    if (traceIdLow == 0) {
      return; // 0 marks an empty slot
    }
    int slot = slot(traceIdLow);
    if (isSampled) {
      sampled.lazySet(slot, traceIdLow);
      notSampled.lazySet(slot, 0);
    } else {
      notSampled.lazySet(slot, traceIdLow);
      sampled.lazySet(slot, 0);
    }
  }

  /** On the consumer thread. */
  Joined of(long traceIdLow) {
    if (traceIdLow == 0) {
      return Joined.UNKNOWN;
    }
    int slot = slot(traceIdLow);
    if (sampled.get(slot) == traceIdLow) {
      return Joined.SAMPLED;
    }
    return notSampled.get(slot) == traceIdLow ? Joined.NOT_SAMPLED : Joined.UNKNOWN;
  }

  private static int slot(long traceIdLow) {
    return (int) (traceIdLow ^ (traceIdLow >>> 32)) & (SLOTS - 1);
  }
}
