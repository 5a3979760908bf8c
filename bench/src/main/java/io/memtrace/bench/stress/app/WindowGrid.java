package io.memtrace.bench.stress.app;

import java.util.concurrent.TimeUnit;

/**
 * The measurement's one-second windows on {@code System.nanoTime()}'s clock, shared by a level's
 * threads: each times an operation into the recorder of the window in which it ended (of two,
 * alternating), so an operation counts in its own window however late the sampler closes the one
 * before. Before the grid is set (the warm-up) every operation goes to the first recorder.
 */
final class WindowGrid {

  static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);

  private volatile long originNanos;
  private volatile boolean set;

  /** Window 0 begins at {@code originNanos}. */
  void set(long originNanos) {
    this.originNanos = originNanos;
    this.set = true;
  }

  /**
   * 0 or 1: which of a thread's two recorders takes an operation that ended at {@code nanos}, the
   * window's number modulo 2 (a time before the origin is in window -1, -2...).
   */
  int recorderOf(long nanos) {
    return set ? (int) (Math.floorDiv(nanos - originNanos, WINDOW_NANOS) & 1) : 0;
  }
}
