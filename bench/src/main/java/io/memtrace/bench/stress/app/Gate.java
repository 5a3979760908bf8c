package io.memtrace.bench.stress.app;

/**
 * What one thread's next operation waits for before it starts: nothing, its share of a rate, or the
 * next burst. A gate that keeps state belongs to one thread.
 */
interface Gate {

  /** Operations start as fast as the previous ones end. */
  Gate OPEN = () -> { };

  /** Returns when the next operation may start. */
  void pass();

  /** Forgets the schedule so far: the thread was held elsewhere, and what it missed is not owed. */
  default void restart() {
  }

  /** {@code perSecond} operations a second from this thread, or {@link #OPEN} for 0. */
  static Gate paced(double perSecond) {
    return perSecond > 0 ? new Pacer(now -> perSecond) : OPEN;
  }
}
