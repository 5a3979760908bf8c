package io.memtrace.bench.stress.app;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Times one thread's operations, {@code System.nanoTime()} around each demo call, into recorders of
 * that thread's own: recording is then an uncontended write, and the sampler swaps a recorder's
 * histogram out once a second without stopping the thread. There are two, one for the even and one
 * for the odd windows of the {@link WindowGrid}, so an operation is counted in the window it ended
 * in, not in the one the sampler happened to be closing.
 */
final class OpClock {

  /** Latencies below 1 µs are one bucket: no Redis call is that fast, and the histogram stays small. */
  private static final long LOWEST_NANOS = 1_000;
  /** The longest latency kept; a longer one counts as this (Jedis gives up after 5 s anyway). */
  private static final long HIGHEST_NANOS = 60_000_000_000L;
  private static final int DIGITS = 3;

  private final Recorder[] recorders = {new Recorder(LOWEST_NANOS, HIGHEST_NANOS, DIGITS),
      new Recorder(LOWEST_NANOS, HIGHEST_NANOS, DIGITS)};
  private final Gate gate;
  private final WindowGrid grid;

  OpClock(Gate gate, WindowGrid grid) {
    this.gate = gate;
    this.grid = grid;
  }

  /** Waits for the gate, then returns the operation's start time. */
  long start() {
    gate.pass();
    return System.nanoTime();
  }

  /** Records the operation started at {@code startNanos} as done now. */
  void stop(long startNanos) {
    long end = System.nanoTime();
    recorders[grid.recorderOf(end)].recordValue(Math.min(end - startNanos, HIGHEST_NANOS));
  }

  /** The recorder of the windows whose number modulo 2 is {@code parity}. */
  Recorder recorder(int parity) {
    return recorders[parity];
  }

  /** A histogram that can take what any {@link OpClock}'s recorder holds. */
  static Histogram histogram() {
    return new Histogram(LOWEST_NANOS, HIGHEST_NANOS, DIGITS);
  }
}
