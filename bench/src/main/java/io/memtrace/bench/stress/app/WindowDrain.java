package io.memtrace.bench.stress.app;

import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * Takes what the workers gathered since the last drain, latencies from their recorders and the
 * growth of the error counters, as one window. Sampler thread only.
 */
final class WindowDrain {

  private final StressCounters counters;
  private final Histogram scratch = OpClock.histogram();
  private List<OpClock> clocks = List.of();
  private long lastErrors;
  private long lastVerifyFailures;

  WindowDrain(StressCounters counters) {
    this.counters = counters;
  }

  /** Drains from now on {@code levelClocks}, the new level's threads. */
  void use(List<OpClock> levelClocks) {
    clocks = levelClocks;
  }

  /**
   * Replaces what {@code into} holds with the operations timed since the last drain into the
   * recorders of windows of {@code parity} (a window's number modulo 2; -1 for both), and the
   * errors since the last drain.
   */
  void drainInto(Measured into, int parity) {
    into.reset();
    for (OpClock clock : clocks) {
      for (int p = 0; p < 2; p++) {
        if (parity < 0 || parity == p) {
          clock.recorder(p).getIntervalHistogramInto(scratch);
          into.latencies.add(scratch);
        }
      }
    }
    long errors = counters.errors.sum();
    long verifyFailures = counters.verifyFailures.sum();
    into.errors = errors - lastErrors;
    into.verifyFailures = verifyFailures - lastVerifyFailures;
    lastErrors = errors;
    lastVerifyFailures = verifyFailures;
  }
}
