package io.memtrace.bench.stress.app;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The timeline of a run: for each level (one level unless fleet), start the workers, warm up, measure
 * for {@code --seconds}, stop. Prints {@code STRESS-START t0} when the first measurement begins and,
 * for fleet, {@code STRESS-LEVEL threads t} at the start of each level's. A failure (out of memory)
 * ends the run early.
 */
final class StressRun {

  private final StressOptions options;
  private final Workloads workloads;
  private final Sampler sampler;
  private final Failure failure;
  private final PrintStream out;

  StressRun(StressOptions options, Workloads workloads, Sampler sampler, Failure failure, PrintStream out) {
    this.options = options;
    this.workloads = workloads;
    this.sampler = sampler;
    this.failure = failure;
    this.out = out;
  }

  /** Runs every level; returns each fleet level's measurement (those that began), none for other workloads. */
  List<StressResult.Level> run() throws InterruptedException {
    boolean fleet = options.workload() == StressWorkload.FLEET;
    List<StressResult.Level> levels = new ArrayList<>();
    boolean started = false;
    for (int threads : options.threads()) {
      WorkerGroup group = workloads.start(threads);
      try {
        if (failure.await(options.warmup() * 1_000L)) {
          break;
        }
        long t0 = sampler.begin(fleet ? threads : 0, options.seconds(), group.recorders());
        if (!started) {
          out.println("STRESS-START " + t0);
          started = true;
        }
        if (fleet) {
          out.println("STRESS-LEVEL " + threads + " " + t0);
        }
        out.flush();
        failure.await(options.seconds() * 1_000L);
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
}
