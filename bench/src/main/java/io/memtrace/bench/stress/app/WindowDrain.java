package io.memtrace.bench.stress.app;

import java.util.List;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Takes what the workers gathered since the last drain, latencies from their recorders and the
 * growth of the error counters, as one window. Sampler thread only.
 */
final class WindowDrain {

  private final StressCounters counters;
  private final Histogram scratch = OpClock.histogram();
  private List<Recorder> recorders = List.of();
  private long lastErrors;
  private long lastVerifyFailures;

  WindowDrain(StressCounters counters) {
    this.counters = counters;
  }

  /** Drains from now on {@code levelRecorders}, the new level's threads. */
  void use(List<Recorder> levelRecorders) {
    recorders = levelRecorders;
  }

  /** Replaces what {@code into} holds with everything gathered since the last drain. */
  void drainInto(Measured into) {
    into.reset();
    for (Recorder recorder : recorders) {
      recorder.getIntervalHistogramInto(scratch);
      into.latencies.add(scratch);
    }
    long errors = counters.errors.sum();
    long verifyFailures = counters.verifyFailures.sum();
    into.errors = errors - lastErrors;
    into.verifyFailures = verifyFailures - lastVerifyFailures;
    lastErrors = errors;
    lastVerifyFailures = verifyFailures;
  }
}
