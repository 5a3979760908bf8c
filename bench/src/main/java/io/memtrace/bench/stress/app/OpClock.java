package io.memtrace.bench.stress.app;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Times one thread's operations, {@code System.nanoTime()} around each demo call, into a recorder of
 * that thread's own: recording is then an uncontended write, and the sampler swaps the recorder's
 * histogram out once a second without stopping the thread.
 */
final class OpClock {

  /** Latencies below 1 µs are one bucket: no Redis call is that fast, and the histogram stays small. */
  private static final long LOWEST_NANOS = 1_000;
  /** The longest latency kept; a longer one counts as this (Jedis gives up after 5 s anyway). */
  private static final long HIGHEST_NANOS = 60_000_000_000L;
  private static final int DIGITS = 3;

  private final Recorder recorder = new Recorder(LOWEST_NANOS, HIGHEST_NANOS, DIGITS);
  private final Gate gate;

  OpClock(Gate gate) {
    this.gate = gate;
  }

  /** Waits for the gate, then returns the operation's start time. */
  long start() {
    gate.pass();
    return System.nanoTime();
  }

  /** Records the operation started at {@code startNanos} as done now. */
  void stop(long startNanos) {
    recorder.recordValue(Math.min(System.nanoTime() - startNanos, HIGHEST_NANOS));
  }

  Recorder recorder() {
    return recorder;
  }

  /** A histogram that can take what any {@link OpClock}'s recorder holds. */
  static Histogram histogram() {
    return new Histogram(LOWEST_NANOS, HIGHEST_NANOS, DIGITS);
  }
}
