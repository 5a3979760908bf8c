package io.memtrace.bench.stress.app;

import java.util.concurrent.atomic.LongAdder;

/**
 * What the workers count besides latencies. {@code errors} and {@code verifyFailures} are read by
 * the sampler window by window; the tallies cover the whole run, warm-up included, so that they
 * match what Redis holds at the end.
 */
final class StressCounters {

  /** Operations that threw (Redis refused, timed out, was out of memory). */
  final LongAdder errors = new LongAdder();
  /** Operations that returned, but not what the workload had stored. */
  final LongAdder verifyFailures = new LongAdder();
  /** {@code memory.store} calls into {@code stress/vectors} that returned. */
  final LongAdder storeOps = new LongAdder();
  /** UTF-8 bytes of the String values of those calls. */
  final LongAdder storedValueBytes = new LongAdder();
  /** {@code memory.search} calls over {@code stress/vectors} that returned. */
  final LongAdder searchOps = new LongAdder();
  /** Keys those searches returned, all together. */
  final LongAdder searchResults = new LongAdder();
  final LongAdder leakKeys = new LongAdder();
  final LongAdder growthKeys = new LongAdder();
  final LongAdder largeValues = new LongAdder();

  /** Counts a verification failure unless {@code ok}. */
  void verify(boolean ok) {
    if (!ok) {
      verifyFailures.increment();
    }
  }
}
