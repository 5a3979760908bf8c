package io.memtrace.bench;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.util.ListStatistics;

/**
 * The comparison {@link OverheadBench} prints: per benchmark, what the agent adds to wall-clock time, to the
 * application thread's CPU time and allocation, to all threads' allocation and to GC, and what the agent's ring
 * published and dropped, each with its confidence interval where JMH gives one.
 */
final class OverheadTable {

  private static final String ALLOC_NORM = "gc.alloc.rate.norm";
  private static final String GC_COUNT = "gc.count";
  private static final String GC_TIME = "gc.time";
  private static final String APP_OPS = "ops";
  private static final String APP_BYTES = "appThreadBytes";
  private static final String APP_CPU = "appThreadCpuNanos";
  private static final String AGENT_PUBLISHED = "agentPublished";
  private static final String AGENT_DROPPED = "agentDropped";
  private static final double CONFIDENCE = 0.999;

  /** Redis commands per benchmark operation, to show the cost per command as well. */
  private static final Map<String, Integer> COMMANDS_PER_OP = Map.of(
      "get", 1, "set", 1, "pipelineSet10", JedisCommandBench.PIPELINE_LENGTH,
      "store", 1, "retrieve", 1, "lettuceGet", 1, "lettuceSet", 1);

  private OverheadTable() {
  }

  static String table(Map<String, RunResult> baseline, Map<String, RunResult> agent,
      Path agentJar) {
    StringBuilder out = new StringBuilder();
    RunResult any = baseline.values().iterator().next();
    out.append(String.format(Locale.ROOT, "memtrace agent overhead on the application thread "
            + "(Jedis 5.2.0 and Lettuce 6.6.0, fake in-memory connections, agent %s with memtrace-bench.yaml, "
            + "OTel exporters none)%n", agentJar.getFileName()));
    out.append(String.format(Locale.ROOT, "%d fork(s) x %d measurement iteration(s) of %s per "
            + "side, after %d x %s warmup; JVM %s; ± = %.1f%% confidence interval%n",
        any.getParams().getForks(), any.getParams().getMeasurement().getCount(),
        any.getParams().getMeasurement().getTime(), any.getParams().getWarmup().getCount(),
        any.getParams().getWarmup().getTime(), any.getParams().getJdkVersion(), CONFIDENCE * 100));

    out.append("\nWall-clock time (ns/op, JMH score)\n");
    timeTable(out, baseline, agent, run -> {
      Result<?> score = run.getPrimaryResult();
      return new double[] {score.getScore(), score.getScoreError()};
    });

    out.append("\nApplication-thread CPU time (ns/op)\n");
    timeTable(out, baseline, agent, run -> {
      ListStatistics cpu = perOp(run, APP_CPU);
      return new double[] {mean(cpu), error(cpu)};
    });

    out.append("\nAllocation (B/op)\n");
    String allocRow = "%-18s %16s %16s %10s | %16s %16s %10s%n";
    out.append(String.format(Locale.ROOT, allocRow, "", "all threads", "(-prof gc)", "",
        "app thread only", "", ""));
    out.append(String.format(Locale.ROOT, allocRow, "benchmark", "baseline", "with agent",
        "added", "baseline", "with agent", "added"));
    for (Map.Entry<String, RunResult> entry : baseline.entrySet()) {
      RunResult withAgent = agent.get(entry.getKey());
      if (withAgent == null) {
        continue;
      }
      Result<?> base = entry.getValue().getSecondaryResults().get(ALLOC_NORM);
      Result<?> with = withAgent.getSecondaryResults().get(ALLOC_NORM);
      ListStatistics baseApp = perOp(entry.getValue(), APP_BYTES);
      ListStatistics withApp = perOp(withAgent, APP_BYTES);
      out.append(String.format(Locale.ROOT, allocRow, entry.getKey(),
          base == null ? "n/a" : pm(base.getScore(), base.getScoreError()),
          with == null ? "n/a" : pm(with.getScore(), with.getScoreError()),
          base == null || with == null ? "n/a" : signed(with.getScore() - base.getScore()),
          pm(mean(baseApp), error(baseApp)), pm(mean(withApp), error(withApp)),
          signed(mean(withApp) - mean(baseApp))));
    }

    out.append("\nGC during measurement (-prof gc, summed over all forks and iterations)\n");
    String gcRow = "%-18s %14s %14s %14s %14s%n";
    out.append(String.format(Locale.ROOT, gcRow, "benchmark", "baseline GCs", "baseline ms",
        "agent GCs", "agent ms"));
    for (Map.Entry<String, RunResult> entry : baseline.entrySet()) {
      RunResult withAgent = agent.get(entry.getKey());
      if (withAgent != null) {
        out.append(String.format(Locale.ROOT, gcRow, entry.getKey(),
            secondary(entry.getValue(), GC_COUNT), secondary(entry.getValue(), GC_TIME),
            secondary(withAgent, GC_COUNT), secondary(withAgent, GC_TIME)));
      }
    }

    out.append("\nmemtrace ring in the agent run (events per op; dropped = ring was full)\n");
    String ringRow = "%-18s %12s %12s %10s%n";
    out.append(String.format(Locale.ROOT, ringRow, "benchmark", "published", "dropped",
        "dropped %"));
    for (Map.Entry<String, RunResult> entry : agent.entrySet()) {
      RunResult result = entry.getValue();
      double ops = sum(result, APP_OPS);
      double published = sum(result, AGENT_PUBLISHED);
      double dropped = sum(result, AGENT_DROPPED);
      if (ops <= 0 || published < 0 || dropped < 0) {
        out.append(String.format(Locale.ROOT, ringRow, entry.getKey(), "n/a", "n/a", "n/a"));
        continue;
      }
      out.append(String.format(Locale.ROOT, ringRow, entry.getKey(),
          String.format(Locale.ROOT, "%.3f", published / ops),
          String.format(Locale.ROOT, "%.3f", dropped / ops),
          published + dropped > 0
              ? String.format(Locale.ROOT, "%.1f", 100 * dropped / (published + dropped)) : "n/a"));
    }
    out.append("\nadded = with agent - baseline (± combines both sides); added/cmd divides by the "
        + "Redis commands per op\n(10 for pipelineSet10). store and retrieve are DocumentMemory "
        + "calls: one memory span + one Redis span\nper op. CPU time and app-thread bytes come from "
        + "the benchmark thread's own\nHotSpot counters; 'all threads' includes memtrace's "
        + "consumer thread building spans.\n");
    return out.toString();
  }

  /** A time per op ({@code measure}: value, error) of each benchmark both sides ran: each side and the difference. */
  private static void timeTable(StringBuilder out, Map<String, RunResult> baseline, Map<String, RunResult> agent,
      Function<RunResult, double[]> measure) {
    String row = "%-18s %20s %20s %20s %12s%n";
    out.append(String.format(Locale.ROOT, row, "benchmark", "baseline", "with agent", "added", "added/cmd"));
    for (Map.Entry<String, RunResult> entry : baseline.entrySet()) {
      RunResult withAgent = agent.get(entry.getKey());
      if (withAgent != null) {
        double[] base = measure.apply(entry.getValue());
        double[] with = measure.apply(withAgent);
        out.append(comparison(row, entry.getKey(), base[0], base[1], with[0], with[1]));
      }
    }
  }

  private static String comparison(String row, String name, double base, double baseError,
      double with, double withError) {
    double added = with - base;
    double addedError = Math.hypot(finite(baseError), finite(withError));
    int commands = COMMANDS_PER_OP.getOrDefault(name.split(" ")[0], 1);
    return String.format(Locale.ROOT, row, name, pm(base, baseError), pm(with, withError),
        signedPm(added, addedError), signed(added / commands));
  }

  /** A summed secondary result as an integer; JMH omits gc.time when no GC happened. */
  private static String secondary(RunResult result, String label) {
    Result<?> value = result.getSecondaryResults().get(label);
    return String.format(Locale.ROOT, "%.0f", value == null ? 0 : value.getScore());
  }

  private static double mean(ListStatistics stats) {
    return stats.getN() == 0 ? Double.NaN : stats.getMean();
  }

  private static double error(ListStatistics stats) {
    return stats.getN() > 2 ? stats.getMeanErrorAt(CONFIDENCE) : Double.NaN;
  }

  /** A summed auxiliary counter over all measurement iterations; -1 if any iteration lacks it. */
  static double sum(RunResult result, String counter) {
    double total = 0;
    for (BenchmarkResult fork : result.getBenchmarkResults()) {
      for (IterationResult iteration : fork.getIterationResults()) {
        Result<?> value = iteration.getSecondaryResults().get(counter);
        if (value == null || value.getScore() < 0) {
          return -1;
        }
        total += value.getScore();
      }
    }
    return total;
  }

  /** Per measurement iteration: a counter of the benchmark thread divided by its operations. */
  private static ListStatistics perOp(RunResult result, String counter) {
    ListStatistics stats = new ListStatistics();
    for (BenchmarkResult fork : result.getBenchmarkResults()) {
      for (IterationResult iteration : fork.getIterationResults()) {
        Result<?> ops = iteration.getSecondaryResults().get(APP_OPS);
        Result<?> value = iteration.getSecondaryResults().get(counter);
        if (ops != null && value != null && ops.getScore() > 0) {
          stats.addValue(value.getScore() / ops.getScore());
        }
      }
    }
    return stats;
  }

  private static String pm(double value, double error) {
    if (Double.isNaN(value)) {
      return "n/a";
    }
    return Double.isFinite(error)
        ? String.format(Locale.ROOT, "%.1f ± %.1f", value, error)
        : String.format(Locale.ROOT, "%.1f", value);
  }

  private static String signedPm(double value, double error) {
    return Double.isFinite(error) && error > 0
        ? String.format(Locale.ROOT, "%+.1f ± %.1f", value, error)
        : signed(value);
  }

  private static String signed(double value) {
    if (Double.isNaN(value)) {
      return "n/a";
    }
    return String.format(Locale.ROOT, "%+.1f", value);
  }

  private static double finite(double value) {
    return Double.isFinite(value) ? value : 0;
  }
}
