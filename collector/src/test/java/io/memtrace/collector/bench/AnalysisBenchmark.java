package io.memtrace.collector.bench;

import io.memtrace.collector.embedded.ReportBuilder;
import io.memtrace.collector.query.ForwardingSqlSource;
import io.memtrace.collector.query.LocalSqlSource;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.reader.Layer;
import io.memtrace.collector.store.StoreFiles;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * Not a test: times the analyses over a stopped store, such as one {@link IngestBenchmark}
 * {@code --realistic --keep DIR} left: each seed 000 query as written (best of 3, after one run
 * that warms the file cache) and the whole report, with the time of each of its queries, slowest
 * first, so the one to profile is named; and {@code traces --last 10} as that command loads and renders it (best
 * of 3, after one run). Run: {@code java -cp
 * target/test-classes:target/memtrace-collector.jar io.memtrace.collector.bench.AnalysisBenchmark DIR [--sql]
 * [--layer memory|redis]}
 * ({@code --sql} prints each query whole; {@code --layer} reports that layer, as {@code report --layer} does)
 */
public final class AnalysisBenchmark {

  private static Layer layer(String[] args) {
    int at = java.util.List.of(args).indexOf("--layer");
    return at < 0 ? null : Layer.valueOf(args[at + 1].toUpperCase(java.util.Locale.ROOT));
  }

  public static void main(String[] args) {
    StoreFiles files = new StoreFiles(Paths.get(args[0]));
    try (SqlSource local = new LocalSqlSource(files)) {
      System.out.println("spans stored: " + local.query("SELECT count(*) AS n FROM spans").number(0, "n"));
      IngestBenchmark.time("(seed 000)", local);
      System.out.printf("traces --last 10, best of 3: %d ms%n", AnalysisTimer.lastTraces(local) / 1_000_000);
      Timed timed = new Timed(local);
      long t0 = System.nanoTime();
      new ReportBuilder(timed, null, 6, layer(args)).build();
      System.out.printf("report (all sections, one run): %d ms%n", (System.nanoTime() - t0) / 1_000_000);
      timed.times.sort((a, b) -> Long.compare(b.nanos, a.nanos));
      for (Query q : timed.times) {
        String sql = q.sql.replaceAll("\\s+", " ");
        System.out.printf("  %6d ms  %s%n", q.nanos / 1_000_000, java.util.List.of(args).contains("--sql")
            ? sql : sql.substring(0, Math.min(160, sql.length())));
      }
    }
  }

  private record Query(String sql, long nanos) {
  }

  /** Records how long each query of the report takes. */
  private static final class Timed extends ForwardingSqlSource {
    private final List<Query> times = new ArrayList<>();

    Timed(SqlSource source) {
      super(source);
    }

    @Override
    public ResultTable query(String sql) {
      long t0 = System.nanoTime();
      ResultTable result = source.query(sql);
      times.add(new Query(sql, System.nanoTime() - t0));
      return result;
    }
  }
}
