package io.memtrace.collector.bench;

import io.memtrace.collector.query.LocalSqlSource;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.report.ReportBuilder;
import io.memtrace.collector.store.StoreFiles;
import io.memtrace.collector.view.TimelineRenderer;
import io.memtrace.collector.view.TraceQueries;
import io.memtrace.collector.view.TraceSpan;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Not a test: times the analyses over a stopped store, such as one {@link IngestBenchmark}
 * {@code --realistic --keep DIR} left: each seed 000 query as written (best of 3, after one run
 * that warms the file cache) and the whole report, with the time of each of its queries, slowest
 * first, so the one to profile is named; and {@code traces --last 10} as that command loads and renders it (best
 * of 3, after one run). Run: {@code java -cp
 * target/test-classes:target/memtrace-collector.jar io.memtrace.collector.bench.AnalysisBenchmark DIR [--sql]}
 * ({@code --sql} prints each query whole)
 */
public final class AnalysisBenchmark {

  public static void main(String[] args) {
    StoreFiles files = new StoreFiles(Paths.get(args[0]));
    try (SqlSource local = new LocalSqlSource(files)) {
      System.out.println("spans stored: " + local.query("SELECT count(*) AS n FROM spans").number(0, "n"));
      IngestBenchmark.time("(seed 000)", local);
      lastTraces(local);
      Timed timed = new Timed(local);
      long t0 = System.nanoTime();
      new ReportBuilder(timed, null, 6, null).build();
      System.out.printf("report (all sections, one run): %d ms%n", (System.nanoTime() - t0) / 1_000_000);
      timed.times.sort((a, b) -> Long.compare(b.nanos, a.nanos));
      for (Query q : timed.times) {
        String sql = q.sql.replaceAll("\\s+", " ");
        System.out.printf("  %6d ms  %s%n", q.nanos / 1_000_000, args.length > 1 && args[1].equals("--sql")
            ? sql : sql.substring(0, Math.min(160, sql.length())));
      }
    }
  }

  /** {@code traces --last 10}: the ten latest traces' ids, their spans and lineage, the keyspace lines, rendered. */
  static void lastTraces(SqlSource source) {
    long best = Long.MAX_VALUE;
    int spans = 0;
    for (int run = 0; run < 4; run++) {
      long t0 = System.nanoTime();
      Map<String, List<TraceSpan>> traces =
          TraceQueries.load(source, TraceQueries.choose(source, null, 10, null));
      TimelineRenderer renderer = new TimelineRenderer(false, 120);
      spans = 0;
      for (List<TraceSpan> trace : traces.values()) {
        renderer.render(trace, TraceQueries.keyspaceAtStart(source, trace));
        spans += trace.size();
      }
      if (run > 0) {
        best = Math.min(best, System.nanoTime() - t0);
      }
    }
    System.out.printf("traces --last 10 (%d spans), best of 3: %d ms%n", spans, best / 1_000_000);
  }

  private record Query(String sql, long nanos) {
  }

  /** Records how long each query of the report takes. */
  private static final class Timed implements SqlSource {
    private final SqlSource source;
    private final List<Query> times = new ArrayList<>();

    Timed(SqlSource source) {
      this.source = source;
    }

    @Override
    public ResultTable query(String sql) {
      long t0 = System.nanoTime();
      ResultTable result = source.query(sql);
      times.add(new Query(sql, System.nanoTime() - t0));
      return result;
    }

    @Override
    public String describe() {
      return source.describe();
    }

    @Override
    public void close() {
      source.close();
    }
  }
}
