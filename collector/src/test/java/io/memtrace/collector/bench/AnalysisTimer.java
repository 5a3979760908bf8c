package io.memtrace.collector.bench;

import io.memtrace.collector.embedded.ReportBuilder;
import io.memtrace.collector.embedded.TraceQueries;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.view.TimelineRenderer;
import io.memtrace.collector.view.TraceSpan;
import java.util.List;
import java.util.Map;

/** How long the analyses a user runs take over a source: the seed 000 queries, {@code traces --last 10}, {@code report}. */
final class AnalysisTimer {

  private AnalysisTimer() {
  }

  /** The best of three runs, in ns, after one that warms the file cache and serve's plans. */
  static long bestOf3(Runnable analysis) {
    analysis.run();
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      long t0 = System.nanoTime();
      analysis.run();
      best = Math.min(best, System.nanoTime() - t0);
    }
    return best;
  }

  /** Each of {@link IngestBenchmark#SEED_QUERIES} as written, best of three, in ns. */
  static long[] seedQueries(SqlSource source) {
    long[] nanos = new long[IngestBenchmark.SEED_QUERIES.length];
    for (int q = 0; q < nanos.length; q++) {
      String sql = IngestBenchmark.SEED_QUERIES[q];
      nanos[q] = bestOf3(() -> source.query(sql));
    }
    return nanos;
  }

  /**
   * {@code traces --last 10} as that command does it, best of three, in ns: the ten latest traces' ids, their
   * spans and lineage, the keyspace lines, rendered (to a string nobody prints).
   */
  static long lastTraces(SqlSource source) {
    return bestOf3(() -> {
      Map<String, List<TraceSpan>> traces = TraceQueries.load(source, TraceQueries.choose(source, null, 10, null));
      TimelineRenderer renderer = new TimelineRenderer(false, TimelineRenderer.DEFAULT_COLUMNS);
      for (List<TraceSpan> trace : traces.values()) {
        renderer.render(trace, new io.memtrace.collector.embedded.EmbeddedReader(source).keyspaceAtStart(trace));
      }
    });
  }

  /** The whole report with the command's defaults (six windows, the layer it picks), one run, in ns. */
  static long report(SqlSource source) {
    long t0 = System.nanoTime();
    new ReportBuilder(source, null, 6, null).build();
    return System.nanoTime() - t0;
  }
}
