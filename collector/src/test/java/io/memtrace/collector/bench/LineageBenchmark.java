package io.memtrace.collector.bench;

import io.memtrace.collector.embedded.ReportBuilder;
import io.memtrace.collector.embedded.TraceQueries;
import io.memtrace.collector.lineage.TraceLineage;
import io.memtrace.collector.query.ForwardingSqlSource;
import io.memtrace.collector.query.LocalSqlSource;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.reader.Layer;
import io.memtrace.collector.store.StoreFiles;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Not a test: times lineage over a stopped store, such as one {@code IngestBenchmark --realistic --keep DIR}
 * left (open it once with {@code serve --data DIR} first if an older collector wrote it, so that its views
 * are this collector's). Two figures, each the median of its runs in wall time and in the CPU time of the whole
 * process (DuckDB's threads included, steadier on a busy machine), after one run that warms the file cache:
 * <ul>
 *   <li>the lineage of one trace, as {@code traces --trace ID} loads it (its spans, the {@code lineage} rows
 *       of its reads, the writers' tasks), over task traces spread through the store;</li>
 *   <li>the lineage sections of {@code report} (the queries of the report that read {@code lineage} or
 *       {@code key_events}), for each layer.</li>
 * </ul>
 * Run: {@code java -cp target/test-classes:target/memtrace-collector.jar
 * io.memtrace.collector.bench.LineageBenchmark DIR [traces] [report runs]}
 */
public final class LineageBenchmark {

  public static void main(String[] args) {
    StoreFiles files = new StoreFiles(Paths.get(args[0]));
    int traces = args.length > 1 ? Integer.parseInt(args[1]) : 9;
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    com.sun.management.OperatingSystemMXBean cpu =
        (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    try (LocalSqlSource local = new LocalSqlSource(files)) {
      System.out.println("spans stored: " + local.query("SELECT count(*) AS n FROM spans").number(0, "n"));
      List<String> ids = taskTraces(local, traces);
      TraceQueries.load(local, List.of(ids.get(0)));
      List<Long> perTrace = new ArrayList<>();
      List<Long> perTraceCpu = new ArrayList<>();
      for (String id : ids) {
        long c0 = cpu.getProcessCpuTime();
        long t0 = System.nanoTime();
        TraceQueries.load(local, List.of(id));
        perTrace.add(System.nanoTime() - t0);
        perTraceCpu.add(cpu.getProcessCpuTime() - c0);
      }
      System.out.printf("one trace as traces --trace ID loads it, lineage included, median of %d traces: %d ms "
          + "(min %d, max %d); CPU of the process: median %d ms%n", ids.size(), median(perTrace) / 1_000_000,
          Collections.min(perTrace) / 1_000_000, Collections.max(perTrace) / 1_000_000, median(perTraceCpu) / 1_000_000);
      List<Long> lineageOnly = new ArrayList<>();
      List<Long> lineageCpu = new ArrayList<>();
      for (String id : ids) {
        ResultTable trace = local.query("SELECT min(epoch_us(start_time)) AS t0, max(epoch_us(end_time)) AS t1, "
            + "list(DISTINCT memory_key) FILTER (WHERE memory_key IS NOT NULL) AS keys FROM spans WHERE trace_id = '" + id + "'");
        @SuppressWarnings("unchecked")
        List<String> keys = (List<String>) trace.value(0, "keys");
        long c0 = cpu.getProcessCpuTime();
        long t0 = System.nanoTime();
        TraceLineage.of(local, id, keys, trace.number(0, "t0"), trace.number(0, "t1"));
        lineageOnly.add(System.nanoTime() - t0);
        lineageCpu.add(cpu.getProcessCpuTime() - c0);
      }
      System.out.printf("the lineage of one trace (TraceLineage: its reads' writers and their tasks), median of %d "
          + "traces: %d ms (min %d, max %d); CPU of the process: median %d ms%n", ids.size(),
          median(lineageOnly) / 1_000_000, Collections.min(lineageOnly) / 1_000_000,
          Collections.max(lineageOnly) / 1_000_000, median(lineageCpu) / 1_000_000);
      for (Layer layer : Layer.values()) {
        if (runs == 0) {
          continue;
        }
        Timed timed = new Timed(local);
        new ReportBuilder(timed, null, 6, layer).build();
        List<Long> totals = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
          timed = new Timed(local);
          new ReportBuilder(timed, null, 6, layer).build();
          totals.add(timed.lineageNanos);
        }
        System.out.printf("report --layer %s, lineage sections (%d queries), median of %d runs: %d ms %s; "
            + "last run's queries: %s%n", layer.name().toLowerCase(), timed.lineageQueries, runs,
            median(totals) / 1_000_000, totals.stream().map(n -> n / 1_000_000 + " ms").toList(), timed.each);
      }
    }
  }

  /** Task traces (a task, its memory operations and their Redis commands) spread evenly through the store. */
  private static List<String> taskTraces(SqlSource source, int n) {
    ResultTable rows = source.query("SELECT trace_id FROM (SELECT trace_id, row_number() OVER (ORDER BY start_time) AS i, "
        + "count(*) OVER () AS total FROM spans WHERE name = 'aqe.task.run') WHERE i % (total // " + n + ") = 0 LIMIT " + n);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      ids.add(rows.text(i, "trace_id"));
    }
    return ids;
  }

  private static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }

  /** Adds up how long the report's queries over the lineage views take, and keeps their SQL. */
  static final class Timed extends ForwardingSqlSource {
    long lineageNanos;
    int lineageQueries;
    final List<String> each = new ArrayList<>();
    final List<String> statements = new ArrayList<>();

    Timed(SqlSource source) {
      super(source);
    }

    @Override
    public ResultTable query(String sql) {
      long t0 = System.nanoTime();
      boolean lineage = sql.contains("FROM lineage") || sql.contains("FROM key_event");
      if (lineage) {
        statements.add(sql);
      }
      try {
        return source.query(sql);
      } catch (RuntimeException e) {
        if (lineage) {
          each.add("stopped: " + e.getMessage());
        }
        throw e;
      } finally {
        if (lineage) {
          long nanos = System.nanoTime() - t0;
          lineageNanos += nanos;
          lineageQueries++;
          each.add(nanos / 1_000_000 + " ms");
        }
      }
    }
  }
}
