package io.memtrace.bench.stress.app;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Two runs of the application, started together, taking turns at the load: from {@code epochMillis}
 * (wall clock, which both JVMs share) time is cut into turns of {@code seconds}, and this run works
 * only in the turns whose number has the parity {@code phase} (the first turn is number 0). Before
 * the epoch both warm up at once. Comparing the two runs turn by turn puts the slow phases of a
 * shared machine on both, which separate runs a minute apart cannot.
 *
 * @param epochMillis when the first turn begins, epoch ms
 * @param seconds how long a turn lasts
 * @param phase 0 for the run that has the first turn, 1 for the other
 */
record Turns(long epochMillis, int seconds, int phase) {

  static final String FLAG = "--turns";

  Turns {
    if (seconds < 1) {
      throw new IllegalArgumentException("a turn lasts at least 1 s, got " + seconds);
    }
    if (phase != 0 && phase != 1) {
      throw new IllegalArgumentException("a phase is 0 or 1, got " + phase);
    }
  }

  /** {@code EPOCH_MS,SECONDS,PHASE}, as the harness passes it. */
  static Turns parse(String value) throws StressOptions.UsageException {
    String[] parts = value.split(",", -1);
    if (parts.length != 3) {
      throw new StressOptions.UsageException(FLAG + ": expected EPOCH_MS,SECONDS,PHASE, got '" + value + "'");
    }
    try {
      return new Turns(Long.parseLong(parts[0].trim()), Integer.parseInt(parts[1].trim()),
          Integer.parseInt(parts[2].trim()));
    } catch (NumberFormatException e) {
      throw new StressOptions.UsageException(FLAG + ": not a whole number in '" + value + "'");
    } catch (IllegalArgumentException e) {
      throw new StressOptions.UsageException(FLAG + ": " + e.getMessage());
    }
  }

  /** Whether the 1-second measurement window {@code window} (0 from the epoch on) lies in one of this run's turns. */
  boolean ownsWindow(int window) {
    return (window / seconds) % 2 == phase;
  }

  /** The epoch on this JVM's {@code System.nanoTime()} clock, read once. */
  long epochNanos() {
    return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(epochMillis - System.currentTimeMillis());
  }

  /**
   * 0 when {@code nowNanos} falls before the epoch or in one of this run's turns, else the
   * nanoseconds until its next turn begins.
   */
  static long waitNanos(long nowNanos, long epochNanos, long turnNanos, int phase) {
    if (nowNanos - epochNanos < 0) {
      return 0;
    }
    long turn = (nowNanos - epochNanos) / turnNanos;
    return turn % 2 == phase ? 0 : epochNanos + (turn + 1) * turnNanos - nowNanos;
  }

  /**
   * {@code inner} held to this run's turns. A worker that waited out the other run's turn starts its
   * pace afresh, so it does not make up the turn it sat out in one burst.
   */
  Gate gate(Gate inner) {
    long epoch = epochNanos();
    long turn = TimeUnit.SECONDS.toNanos(seconds);
    return new Gate() {
      @Override
      public void pass() {
        if (awaitTurn()) {
          inner.restart();
        }
        inner.pass();
        // the pace may have carried the operation past the end of the turn
        if (awaitTurn()) {
          inner.restart();
          inner.pass();
        }
      }

      /** Returns whether it had to wait for this run's turn. */
      private boolean awaitTurn() {
        long wait = waitNanos(System.nanoTime(), epoch, turn, phase);
        if (wait == 0) {
          return false;
        }
        for (; wait > 0; wait = waitNanos(System.nanoTime(), epoch, turn, phase)) {
          LockSupport.parkNanos(wait);
        }
        return true;
      }

      @Override
      public void restart() {
        inner.restart();
      }
    };
  }
}
