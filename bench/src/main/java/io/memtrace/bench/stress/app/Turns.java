package io.memtrace.bench.stress.app;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs of the application, started together, taking turns at the load: from {@code epochMillis}
 * (wall clock, which all the JVMs share) time is cut into turns of {@code seconds}, numbered from 0,
 * and this run works only in the turns whose number is {@code phase} modulo {@code runs}. Before the
 * epoch all warm up at once. Comparing the runs turn by turn puts the slow phases of a shared
 * machine on all of them, which separate runs a minute apart cannot.
 *
 * @param epochMillis when the first turn begins, epoch ms; {@link #AT_READY} until the harness has said
 * @param seconds how long a turn lasts
 * @param phase which of the turns are this run's: 0 for the run that has the first turn
 * @param runs how many runs take turns, 2 to {@value #MAX_RUNS}
 */
record Turns(long epochMillis, int seconds, int phase, int runs) {

  static final String FLAG = "--turns";
  static final int MAX_RUNS = 16;
  /** The epoch of turns whose harness sets it once every run is ready ({@link EpochHandshake}): {@code ready} on the command line. */
  static final long AT_READY = -1;
  private static final String READY = "ready";

  Turns {
    if (seconds < 1) {
      throw new IllegalArgumentException("a turn lasts at least 1 s, got " + seconds);
    }
    if (runs < 2 || runs > MAX_RUNS) {
      throw new IllegalArgumentException("2 to " + MAX_RUNS + " runs take turns, got " + runs);
    }
    if (phase < 0 || phase >= runs) {
      throw new IllegalArgumentException("a phase is 0 to " + (runs - 1) + " with " + runs + " runs, got " + phase);
    }
  }

  /** Two runs taking turns. */
  Turns(long epochMillis, int seconds, int phase) {
    this(epochMillis, seconds, phase, 2);
  }

  /**
   * {@code EPOCH_MS,SECONDS,PHASE[,RUNS]} (two runs when RUNS is left out), or {@code ready,SECONDS,PHASE[,RUNS]}:
   * the epoch comes through the {@link EpochHandshake} once the run's workers run.
   */
  static Turns parse(String value) throws StressOptions.UsageException {
    String[] parts = value.split(",", -1);
    if (parts.length != 3 && parts.length != 4) {
      throw new StressOptions.UsageException(FLAG + ": expected EPOCH_MS,SECONDS,PHASE[,RUNS], got '" + value + "'");
    }
    try {
      long epoch = READY.equals(parts[0].trim()) ? AT_READY : Long.parseLong(parts[0].trim());
      return new Turns(epoch, Integer.parseInt(parts[1].trim()),
          Integer.parseInt(parts[2].trim()), parts.length == 4 ? Integer.parseInt(parts[3].trim()) : 2);
    } catch (NumberFormatException e) {
      throw new StressOptions.UsageException(FLAG + ": not a whole number in '" + value + "'");
    } catch (IllegalArgumentException e) {
      throw new StressOptions.UsageException(FLAG + ": " + e.getMessage());
    }
  }

  /** Whether the epoch is still to come from the harness. */
  boolean awaitsEpoch() {
    return epochMillis == AT_READY;
  }

  /** These turns from {@code epoch} (epoch ms). */
  Turns from(long epoch) {
    return new Turns(epoch, seconds, phase, runs);
  }

  /** Whether the 1-second measurement window {@code window} (0 from the epoch on) lies in one of this run's turns. */
  boolean ownsWindow(int window) {
    return (window / seconds) % runs == phase;
  }

  /** The epoch on this JVM's {@code System.nanoTime()} clock, read once. */
  long epochNanos() {
    return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(epochMillis - System.currentTimeMillis());
  }

  /**
   * 0 when {@code nowNanos} falls before the epoch or in one of the turns of {@code phase} (of
   * {@code runs}), else the nanoseconds until its next turn begins.
   */
  static long waitNanos(long nowNanos, long epochNanos, long turnNanos, int phase, int runs) {
    if (nowNanos - epochNanos < 0) {
      return 0;
    }
    long turn = (nowNanos - epochNanos) / turnNanos;
    long ahead = Math.floorMod(phase - turn, (long) runs);
    return ahead == 0 ? 0 : epochNanos + (turn + ahead) * turnNanos - nowNanos;
  }

  /**
   * {@code inner} held to this run's turns, which begin at {@code epochNanos} ({@code System.nanoTime()}'s clock,
   * read at each operation: the handshake may set it while the workers warm up). A worker that waited out the other
   * runs' turns starts its pace afresh, so it does not make up the turn it sat out in one burst.
   */
  Gate gate(Gate inner, LongSupplier epochNanos) {
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
        long epoch = epochNanos.getAsLong();
        long wait = waitNanos(System.nanoTime(), epoch, turn, phase, runs);
        if (wait == 0) {
          return false;
        }
        for (; wait > 0; wait = waitNanos(System.nanoTime(), epoch, turn, phase, runs)) {
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
