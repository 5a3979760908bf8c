package io.memtrace.bench.stress.app;

import java.util.concurrent.locks.LockSupport;

/** A {@link Gate} that spaces one thread's operations to a rate, which may change with time. */
final class Pacer implements Gate {

  /**
   * How far the schedule may fall behind (a slow Redis, a GC pause) before it is restarted from now:
   * catching up on a longer debt would turn a stall into a burst the workload never asked for.
   */
  private static final long MAX_LAG_NANOS = 1_000_000_000L;

  /** Operations per second at a moment ({@code System.nanoTime()}); always above 0. */
  @FunctionalInterface
  interface Rate {
    double perSecond(long nowNanos);
  }

  private final Rate rate;
  private boolean started;
  private long next;

  Pacer(Rate rate) {
    this.rate = rate;
  }

  @Override
  public void pass() {
    long now = System.nanoTime();
    if (!started || now - next > MAX_LAG_NANOS) {
      next = now;
      started = true;
    }
    for (long wait = next - now; wait > 0; wait = next - System.nanoTime()) {
      LockSupport.parkNanos(wait);
    }
    next += (long) (1e9 / rate.perSecond(next));
  }

  @Override
  public void restart() {
    started = false;
  }
}
