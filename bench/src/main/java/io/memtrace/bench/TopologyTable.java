package io.memtrace.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

/**
 * The comparison {@link OverheadBench} prints for {@link TopologyCommandBench}: per client × topology, the
 * operation's time without and with the agent, what the agent adds, and that as a multiple of what it adds to
 * Jedis on a standalone server (the reference every other cell is read against). Medians over the measurement
 * iterations of all forks, so that a slow iteration on a shared machine moves a cell less than a mean would.
 */
final class TopologyTable {

  /** The reference cell of the "÷ Jedis standalone" columns. */
  static final String REFERENCE_CLIENT = "jedis";
  static final String REFERENCE_TOPOLOGY = "standalone";
  private static final List<String> CLIENTS = List.of("jedis", "lettuce", "redisson");
  private static final List<String> TOPOLOGIES = List.of("standalone", "cluster", "sentinel", "replica", "tls");
  private static final String APP_OPS = "ops";
  private static final String APP_CPU = "appThreadCpuNanos";

  /**
   * One cell's medians, in ns per operation (one SET and one GET). {@code eventsPerOp} is what the agent put
   * into its ring (or dropped) per operation, NaN when unknown.
   */
  record Cell(String client, String topology, double withoutNs, double withNs, double withoutCpuNs,
      double withCpuNs, double eventsPerOp) {

    double addedNs() {
      return withNs - withoutNs;
    }

    double addedCpuNs() {
      return withCpuNs - withoutCpuNs;
    }

    boolean isReference() {
      return REFERENCE_CLIENT.equals(client) && REFERENCE_TOPOLOGY.equals(topology);
    }
  }

  private TopologyTable() {
  }

  /** The cells of both runs' {@link TopologyCommandBench} results, keyed as {@link OverheadBench} names them. */
  static List<Cell> cells(Map<String, RunResult> baseline, Map<String, RunResult> agent) {
    List<Cell> cells = new ArrayList<>();
    for (Map.Entry<String, RunResult> entry : baseline.entrySet()) {
      RunResult with = agent.get(entry.getKey());
      if (with == null) {
        continue;
      }
      RunResult without = entry.getValue();
      double ops = OverheadTable.sum(with, APP_OPS);
      double published = OverheadTable.sum(with, "agentPublished");
      double dropped = OverheadTable.sum(with, "agentDropped");
      double events = ops > 0 && published >= 0 && dropped >= 0 ? (published + dropped) / ops : Double.NaN;
      cells.add(new Cell(without.getParams().getParam("client"), without.getParams().getParam("topology"),
          median(perIteration(without, TopologyTable::score)), median(perIteration(with, TopologyTable::score)),
          median(perIteration(without, TopologyTable::cpuPerOp)), median(perIteration(with, TopologyTable::cpuPerOp)),
          events));
    }
    return cells;
  }

  /** The table: a header line, then one row per cell, clients and topologies in their usual order. */
  static String render(List<Cell> cells, String header) {
    List<Cell> sorted = new ArrayList<>(cells);
    sorted.sort(Comparator.comparingInt((Cell c) -> order(CLIENTS, c.client()))
        .thenComparingInt(c -> order(TOPOLOGIES, c.topology())));
    Cell reference = sorted.stream().filter(Cell::isReference).findFirst().orElse(null);
    StringBuilder out = new StringBuilder(header).append('\n');
    String row = "| %-8s | %-10s | %10s | %10s | %9s | %9s | %9s | %9s | %9s |%n";
    out.append(String.format(Locale.ROOT, row, "client", "topology", "without", "with", "added", "÷ ref",
        "CPU added", "÷ ref", "events/op"));
    out.append(String.format(Locale.ROOT, row, "---", "---", "---:", "---:", "---:", "---:", "---:", "---:", "---:")
        .replace(' ', '-').replace("|-", "| ").replace("-|", " |"));
    for (Cell cell : sorted) {
      out.append(String.format(Locale.ROOT, row, cell.client(), cell.topology(), ns(cell.withoutNs()),
          ns(cell.withNs()), signed(cell.addedNs()),
          ratio(cell.addedNs(), reference == null ? Double.NaN : reference.addedNs()), signed(cell.addedCpuNs()),
          ratio(cell.addedCpuNs(), reference == null ? Double.NaN : reference.addedCpuNs()),
          Double.isNaN(cell.eventsPerOp()) ? "n/a" : String.format(Locale.ROOT, "%.2f", cell.eventsPerOp())));
    }
    out.append("ns per operation (one SET + one GET), medians of the measurement iterations. without / with: wall\n"
        + "clock without and with the agent; added = with - without; CPU added: the same for the benchmark\n"
        + "thread's own CPU time; ÷ ref: added divided by Jedis standalone's added (n/a when that is not\n"
        + "positive); events/op: what the agent put into its ring per operation (2 = Jedis, 4 = Lettuce and\n"
        + "Redisson: one or two per command).\n");
    return out.toString();
  }

  /** {@code added ÷ reference}, as {@code 1.7x}; n/a unless the reference added something. */
  static String ratio(double added, double reference) {
    if (!(reference > 0) || Double.isNaN(added)) {
      return "n/a";
    }
    return String.format(Locale.ROOT, "%.1fx", added / reference);
  }

  /** The median of {@code values}; NaN when there are none. */
  static double median(double... values) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int middle = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }

  /** One value per measurement iteration of every fork; iterations without one (NaN) are left out. */
  private static double[] perIteration(RunResult result, ToDoubleFunction<IterationResult> value) {
    List<Double> values = new ArrayList<>();
    for (BenchmarkResult fork : result.getBenchmarkResults()) {
      for (IterationResult iteration : fork.getIterationResults()) {
        double v = value.applyAsDouble(iteration);
        if (!Double.isNaN(v)) {
          values.add(v);
        }
      }
    }
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static double score(IterationResult iteration) {
    return iteration.getPrimaryResult().getScore();
  }

  /** The benchmark thread's CPU time per operation in one iteration. */
  private static double cpuPerOp(IterationResult iteration) {
    Result<?> ops = iteration.getSecondaryResults().get(APP_OPS);
    Result<?> cpu = iteration.getSecondaryResults().get(APP_CPU);
    return ops == null || cpu == null || ops.getScore() <= 0 ? Double.NaN : cpu.getScore() / ops.getScore();
  }

  private static int order(List<String> known, String name) {
    int index = known.indexOf(name);
    return index < 0 ? known.size() : index;
  }

  private static String ns(double value) {
    return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%.0f", value);
  }

  private static String signed(double value) {
    return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%+.0f", value);
  }
}
