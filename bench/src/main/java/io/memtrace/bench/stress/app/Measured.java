package io.memtrace.bench.stress.app;

import org.HdrHistogram.Histogram;

/**
 * Operations, errors and latencies added up over a stretch of measurement: one sample window, one
 * fleet level, or the whole run. Owned by the sampler thread; others get a {@link #copy()}.
 */
final class Measured {

  final Histogram latencies = OpClock.histogram();
  long errors;
  long verifyFailures;
  double seconds;
  /** Operations that ended in another run's turn ({@link Turns}): counted, not timed. */
  long opsOutsideTurns;

  /** Operations that returned: each one is a latency. */
  long ops() {
    return latencies.getTotalCount();
  }

  /** The latency at {@code percentile} in µs; 0 when nothing was measured. */
  double percentileUs(double percentile) {
    return ops() == 0 ? 0 : latencies.getValueAtPercentile(percentile) / 1_000.0;
  }

  double maxUs() {
    return ops() == 0 ? 0 : latencies.getMaxValue() / 1_000.0;
  }

  void add(Measured other) {
    latencies.add(other.latencies);
    errors += other.errors;
    verifyFailures += other.verifyFailures;
    seconds += other.seconds;
    opsOutsideTurns += other.opsOutsideTurns;
  }

  void reset() {
    latencies.reset();
    errors = 0;
    verifyFailures = 0;
    seconds = 0;
    opsOutsideTurns = 0;
  }

  Measured copy() {
    Measured copy = new Measured();
    copy.add(this);
    return copy;
  }
}
