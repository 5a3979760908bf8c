package io.memtrace.collector.store;

import io.memtrace.collector.SpanFixtures;
import io.memtrace.collector.ingest.TraceMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Stores as collectors before the text rule left them: JSON text with escaped lone surrogates,
 * which DuckDB cannot read, written straight into the tables as the old writer did.
 */
public final class LegacyStores {

  public static final String LONE = "{\"k\":\"x\\ud800y\"}";
  public static final String HOPELESS = "{\"k\":";

  private LegacyStores() {
  }

  /** A store at {@code dir} with a good span, one with lone surrogates, one hopeless, and a metric with one. */
  public static void write(Path dir) throws Exception {
    try (DuckDBConnection old = Database.openWritable(new StoreFiles(dir))) {
      try (DuckDBAppender a = old.createAppender("main", "span_ingest")) {
        RowAppender.appendSpan(a, 1, row("good", "{\"k\":\"fine\"}", "[]", "{}"), 0);
        RowAppender.appendSpan(a, 2, row("lone", LONE, "[{\"name\":\"e\",\"attributes\":{\"a\":\"\\udc00\"}}]",
            "{\"host\":\"\\ud800\"}"), 0);
        RowAppender.appendSpan(a, 3, row("hopeless", HOPELESS, "[]", "{}"), 0);
      }
      try (DuckDBAppender a = old.createAppender("main", "metrics")) {
        RowAppender.appendMetric(a, new MetricRow(SpanFixtures.T0, 0, "svc", null, "g", null, null, "gauge", null,
            null, LONE, 1.5, null, null, null, null, null, null), 0);
      }
    }
  }

  static SpanRow row(String name, String attributes, String events, String resource) throws Exception {
    SpanRow template = TraceMapper.map(SpanFixtures.request("svc", List.of(
        SpanFixtures.span(SpanFixtures.SEED_TRACE, null, name, 0, 1).build()))).get(0);
    return new SpanRow(template.traceId(), template.spanId(), null, null, name, "INTERNAL", template.startNanos(),
        template.endNanos(), "OK", null, "svc", "s", Map.of(), attributes, events, resource);
  }
}
