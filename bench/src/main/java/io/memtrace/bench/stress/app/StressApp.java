package io.memtrace.bench.stress.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.lang.ref.Reference;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The stress suite's application: it drives the demo's layered memory and fleet against a loopback
 * Redis, with or without the memtrace agent, and knows nothing of the agent but {@link AgentProbe}.
 * <pre>
 * StressApp --redis HOST:PORT --workload mixed|leak|large|growth|vector|fleet|burst
 *           --threads N (fleet: a list of levels, 1,3,5,10,20) --seconds S (per level for fleet)
 *           --warmup S --samples FILE [--ballast-percent P] [--value-bytes B] [--rate R]
 *           [--leak-rate R] [--growth-base R] [--growth-factor F] [--growth-jump-seconds S]
 *           [--burst-ms X --pause-ms Y] [--seed N]
 * </pre>
 * Workloads and their knobs (defaults in {@link StressOptions}, for 2 cores):
 * <ul>
 *   <li>{@code mixed}: 4 threads loop {@link MixedCycle}, unpaced or {@code --rate} ops/s in total</li>
 *   <li>{@code leak}: mixed at 1,000 ops/s, and {@code leak-<n>} keys (TTL 0, never read) at
 *       {@code --leak-rate} 50/s</li>
 *   <li>{@code large}: mixed, and {@value Workloads#LARGE_PER_SECOND} values a second of
 *       {@code --value-bytes} (1 MiB - 1 KiB) into {@code stress/large}; Redis refusing them counts
 *       as errors</li>
 *   <li>{@code growth}: mixed, and {@code growth-<n>} keys (TTL 3600) at {@code --growth-base} 20/s,
 *       × {@code --growth-factor} 50 for the last {@code --growth-jump-seconds} 5</li>
 *   <li>{@code vector}: 4 threads loop {@link VectorCycle}, unpaced or {@code --rate} ops/s in total: 4–16 KB
 *       embeddings and notes, searches
 *       that return hundreds of keys</li>
 *   <li>{@code fleet}: per level of {@code --threads}, that many threads loop {@link FleetCycle};
 *       warm-up and measurement per level</li>
 *   <li>{@code burst}: 16 threads run the mixed cycle for {@code --burst-ms} 200, all rest
 *       {@code --pause-ms} 800, on one shared {@link BurstClock}</li>
 * </ul>
 * Output: with {@code --turns ready,...}, {@code STRESS-READY} once the workers run, and then the epoch
 * is read from stdin ({@link EpochHandshake}); {@code STRESS-START t0} (and for fleet
 * {@code STRESS-LEVEL threads t}) on stdout when measurement begins; one {@link Sample} a second in {@code --samples}; at the end, after two
 * {@code System.gc()}, one {@code RESULT {...}} line ({@link StressResult}). Exit 0; 2 for a bad
 * command line; 3 when memory ran out ({@code "oom":1}); 1 for any other failure; 4 when the run
 * overran its time by minutes (then it halts, so it always ends by itself).
 */
public final class StressApp {

  /** Connections beyond one a worker: the side stream's and the main thread's. */
  private static final int SPARE_CONNECTIONS = 2;
  /** Time beyond warm-up and measurement for start, ballast and stopping, before the run is halted. */
  private static final long GRACE_SECONDS = 120;

  private StressApp() {
  }

  public static void main(String[] args) {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    System.exit(run(args, System.out, System.err, EpochHandshake.overStdio(in, System.out), true));
  }

  /** The whole run without {@code System.exit}; returns the exit code. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    return run(args, out, err, EpochHandshake.overStdio(new BufferedReader(Reader.nullReader()), out));
  }

  /** The whole run without {@code System.exit}, its turns' epoch (when it awaits one) from {@code handshake}. */
  static int run(String[] args, PrintStream out, PrintStream err, EpochHandshake handshake) {
    return run(args, out, err, handshake, false);
  }

  private static int run(String[] args, PrintStream out, PrintStream err, EpochHandshake handshake,
      boolean haltWhenOverdue) {
    StressOptions options;
    try {
      options = StressOptions.parse(args);
    } catch (StressOptions.UsageException e) {
      err.println("StressApp: " + e.getMessage());
      err.println(StressOptions.USAGE);
      return 2;
    }
    if (haltWhenOverdue) {
      startWatchdog(options, err);
    }
    StressCounters counters = new StressCounters();
    Failure failure = new Failure();
    try (ProcessGauges gauges = new ProcessGauges();
        DemoMemory demo = DemoMemory.connect(options.redisHost(), options.redisPort(),
            options.maxThreads() + SPARE_CONNECTIONS);
        Sampler sampler = Sampler.start(options.samples(), AgentProbe.find(), gauges, counters, failure)) {
      demo.prepare();
      Workloads workloads = new Workloads(options, demo, new Payloads(options.seed()), counters, failure);
      Ballast ballast = null;
      List<StressResult.Level> levels = List.of();
      try {
        ballast = Ballast.fill(options.ballastPercent());
        levels = new StressRun(options, workloads, sampler, failure, out, handshake).run();
      } catch (OutOfMemoryError e) {
        failure.record(e);
      }
      if (failure.outOfMemory()) {
        // room for the last GC and the result line
        ballast = null;
      }
      Measured total = sampler.total();
      System.gc();
      System.gc();
      double heapAfterGcEndMb = ProcessGauges.heapUsedBytes() / (1024.0 * 1024.0);
      out.println(StressResult.line(total, failure.outOfMemory(), heapAfterGcEndMb, counters, levels));
      out.flush();
      // the ballast is part of the heap the result reports
      Reference.reachabilityFence(ballast);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("StressApp: interrupted");
      return 1;
    } catch (IOException | RuntimeException e) {
      err.println("StressApp: " + e);
      e.printStackTrace(err); // with its cause: a command the sampler ran, or timed out waiting for
      return 1;
    }
    if (failure.outOfMemory()) {
      err.println("StressApp: out of memory: " + failure.cause().getMessage());
      return 3;
    }
    if (failure.cause() != null) {
      failure.cause().printStackTrace(err);
      return 1;
    }
    return 0;
  }

  /** Halts the JVM if the run is still going long after it should have ended (a hung call). */
  private static void startWatchdog(StressOptions options, PrintStream err) {
    long seconds = options.threads().size() * (long) (options.warmup() + options.seconds()) + GRACE_SECONDS
        + (options.turns() != null && options.turns().awaitsEpoch() ? EpochHandshake.GUARD_SECONDS : 0);
    Thread watchdog = new Thread(() -> {
      try {
        TimeUnit.SECONDS.sleep(seconds);
      } catch (InterruptedException e) {
        return;
      }
      err.println("StressApp: still running after " + seconds + " s; halting");
      Runtime.getRuntime().halt(4);
    }, "stress-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
  }
}
