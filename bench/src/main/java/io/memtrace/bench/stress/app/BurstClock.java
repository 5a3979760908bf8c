package io.memtrace.bench.stress.app;

import java.util.concurrent.locks.LockSupport;

/**
 * The burst workload's shared clock: from {@code startNanos} on, {@code burstNanos} of work then
 * {@code pauseNanos} of rest, repeated. Every thread reads the same clock, so the bursts of all
 * threads coincide without any thread waiting for another.
 */
record BurstClock(long startNanos, long burstNanos, long pauseNanos) {

  /** 0 when {@code nowNanos} falls inside a burst, else the nanoseconds until the next burst starts. */
  long waitNanos(long nowNanos) {
    long phase = Math.floorMod(nowNanos - startNanos, burstNanos + pauseNanos);
    return phase < burstNanos ? 0 : burstNanos + pauseNanos - phase;
  }

  /** A gate that holds an operation back while the clock is in a pause; stateless, so shared. */
  Gate gate() {
    return () -> {
      for (long wait = waitNanos(System.nanoTime()); wait > 0; wait = waitNanos(System.nanoTime())) {
        LockSupport.parkNanos(wait);
      }
    };
  }
}
