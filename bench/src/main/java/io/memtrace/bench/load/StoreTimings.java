package io.memtrace.bench.load;

import io.memtrace.testsupport.SeedQueries;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How a store answers: its rows and duplicate rows (the {@code query} command, as a user types
 * it), the three example queries through a running serve's {@code /api/query} (first run, then
 * best of three), and {@code report} end to end (the command, JVM start included). The key
 * analytics have no example SQL of their own; {@code report} computes them, so its time covers
 * them.
 */
final class StoreTimings {

  /** The example queries as the span specification writes them ({@link SeedQueries}). */
  static final List<String> SEED_QUERIES = SeedQueries.ALL;
  static final List<String> SEED_NAMES = List.of("slowest operations", "largest values",
      "operations by namespace");
  static final String DUPLICATES =
      "select count(*) as spans, count(*) - count(distinct (trace_id, span_id)) as duplicates from spans";

  long spans = -1;
  long duplicates = -1;
  final List<double[]> seedMillis = new ArrayList<>(); // {first, best of 3}
  double reportSeconds = Double.NaN;
  CollectorProcess.Memory queryServeMemory = new CollectorProcess.Memory(-1, -1, 0);

  /** Starts a serve on {@code data} (stopped first by the caller if it was the load's), measures, stops it. */
  static StoreTimings measure(Path collectorJar, Path data, List<String> serveArgs, Path out)
      throws IOException, InterruptedException {
    StoreTimings t = new StoreTimings();
    try (CollectorProcess serve = CollectorProcess.start(collectorJar, data, serveArgs, out.resolve("query-serve.log"))) {
      CollectorProcess.Run dup = CollectorProcess.command(collectorJar, out.resolve("duplicates.csv"),
          "query", "--data", data.toString(), "--format", "csv", DUPLICATES);
      String[] row = dup.stdout().strip().split("\n")[1].split(",");
      t.spans = Long.parseLong(row[0].strip());
      t.duplicates = Long.parseLong(row[1].strip());
      for (String sql : SEED_QUERIES) {
        double first = millis(serve, sql);
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
          best = Math.min(best, millis(serve, sql));
        }
        t.seedMillis.add(new double[] {first, best});
      }
      t.reportSeconds = CollectorProcess.command(collectorJar, out.resolve("report.md"),
          "report", "--data", data.toString()).seconds();
      serve.stop();
      t.queryServeMemory = serve.memory();
    }
    return t;
  }

  private static double millis(CollectorProcess serve, String sql) throws IOException, InterruptedException {
    long t0 = System.nanoTime();
    serve.query(sql);
    return (System.nanoTime() - t0) / 1e6;
  }

  /** Rows for the results table. */
  void render(Map<String, String> rows) {
    rows.put("rows in the store", LoadReport.count(spans));
    rows.put("duplicate rows (same trace and span id)", LoadReport.count(duplicates));
    rows.put("`report`, command start to exit", String.format(java.util.Locale.ROOT, "%.2f s", reportSeconds));
    for (int i = 0; i < seedMillis.size(); i++) {
      rows.put(SEED_NAMES.get(i) + ", /api/query first / best of 3",
          String.format(java.util.Locale.ROOT, "%.0f / %.0f ms", seedMillis.get(i)[0], seedMillis.get(i)[1]));
    }
    rows.put("peak RSS of the serve that answered these", queryServeMemory.describe());
  }
}
