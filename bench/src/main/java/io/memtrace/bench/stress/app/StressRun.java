package io.memtrace.bench.stress.app;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The timeline of a run: for each level (one level unless fleet), start the workers, warm up, measure
 * for {@code --seconds}, stop. A run that takes {@link Turns} with another warms up until the first
 * turn and samples only its own. Prints {@code STRESS-START t0} when the first measurement begins and,
 * for fleet, {@code STRESS-LEVEL threads t} at the start of each level's. Turns whose epoch is still to
 * come are asked for it through the {@link EpochHandshake} once the workers run. A failure (out of
 * memory) ends the run early.
 */
final class StressRun {

  /** How late after the first turn's start a run may begin measuring: scheduling jitter, no more. */
  private static final long LATE_MILLIS = 50;

  private final StressOptions options;
  private final Workloads workloads;
  private final Sampler sampler;
  private final Failure failure;
  private final PrintStream out;
  private final EpochHandshake handshake;

  StressRun(StressOptions options, Workloads workloads, Sampler sampler, Failure failure, PrintStream out,
      EpochHandshake handshake) {
    this.options = options;
    this.workloads = workloads;
    this.sampler = sampler;
    this.failure = failure;
    this.out = out;
    this.handshake = handshake;
  }

  /** Runs every level; returns each fleet level's measurement (those that began), none for other workloads. */
  List<StressResult.Level> run() throws InterruptedException, IOException {
    boolean fleet = options.workload() == StressWorkload.FLEET;
    List<StressResult.Level> levels = new ArrayList<>();
    boolean started = false;
    for (int threads : options.threads()) {
      WorkerGroup group = workloads.start(threads);
      try {
        Turns turns = options.turns();
        if (turns != null && turns.awaitsEpoch()) {
          turns = turns.from(handshake.ready());
          workloads.takeTurnsFrom(turns);
        }
        long warmupMillis = turns == null ? options.warmup() * 1_000L : untilFirstTurn(turns);
        if (failure.await(warmupMillis)) {
          break;
        }
        long grid = turns == null ? System.nanoTime() : turns.epochNanos();
        long t0 = sampler.begin(fleet ? threads : 0, options.seconds(), group.clocks(), group.grid(),
            turns == null ? window -> true : turns::ownsWindow, grid);
        if (!started) {
          out.println("STRESS-START " + t0);
          started = true;
        }
        if (fleet) {
          out.println("STRESS-LEVEL " + threads + " " + t0);
        }
        out.flush();
        // until the last window's end on the grid, however late begin ran
        failure.await(Math.max(0, TimeUnit.NANOSECONDS.toMillis(grid + TimeUnit.SECONDS.toNanos(options.seconds())
            - System.nanoTime())));
        // measured up to now: what the workers finish while stopping belongs to no window
        Measured level = sampler.end();
        if (fleet) {
          levels.add(new StressResult.Level(threads, level));
        }
      } finally {
        group.stopAndJoin();
      }
      if (failure.cause() != null) {
        break;
      }
    }
    return levels;
  }

  /**
   * Milliseconds until the first turn. A run that got there late would number its windows from the
   * wrong moment and sample the other run's turns, so it stops instead.
   */
  private static long untilFirstTurn(Turns turns) {
    long until = turns.epochMillis() - System.currentTimeMillis();
    if (until < -LATE_MILLIS) {
      throw new IllegalStateException(Turns.FLAG + ": the workers started " + -until
          + " ms after the first turn began; the epoch must leave the runs their warm-up");
    }
    return Math.max(0, until);
  }
}
