package io.memtrace.collector.store;

import io.memtrace.collector.SpanFixtures;
import io.memtrace.collector.ingest.TraceMapper;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.Statement;
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

  /**
   * A store as the collector before {@link PromotedAttributes} left it: {@code requests} stored
   * through today's writer, then the typed columns dropped and the old view put back; the last
   * span stays in {@code span_ingest}, as a crash would leave it.
   */
  public static void writeBeforeTypedColumns(Path dir, ExportTraceServiceRequest... requests) throws Exception {
    TestStores.fill(dir, requests);
    try (DuckDBConnection old = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + new StoreFiles(dir).database());
         Statement s = old.createStatement()) {
      String columns = "trace_id, span_id, parent_span_id, trace_state, name, kind, start_time, end_time, duration_ms, "
          + "status_code, status_message, service_name, scope_name, attributes, events, resource_attributes, received_at";
      s.execute("DROP VIEW spans");
      s.execute("INSERT INTO span_ingest (seq, " + columns + ") SELECT 1, " + columns.replace("attributes, events, "
          + "resource_attributes", "attributes::JSON::VARCHAR, events::VARCHAR, resource_attributes::VARCHAR")
          + " FROM span_store ORDER BY start_time DESC LIMIT 1");
      s.execute("DELETE FROM span_store WHERE span_id IN (SELECT span_id FROM span_ingest)");
      for (PromotedAttributes.Column c : PromotedAttributes.COLUMNS) {
        s.execute("ALTER TABLE span_store DROP COLUMN " + c.name());
        s.execute("ALTER TABLE span_ingest DROP COLUMN " + c.name());
      }
      dropLinks(s);
      s.execute("CREATE VIEW spans AS SELECT " + columns + " FROM span_store UNION ALL SELECT "
          + columns.replace("attributes, events, resource_attributes", "attributes::JSON::VARIANT AS attributes, "
          + "events::JSON AS events, resource_attributes::JSON AS resource_attributes") + " FROM span_ingest");
    }
  }

  /**
   * A store as the collector before the GenAI columns of {@link PromotedAttributes} left it: {@code requests}
   * stored through today's writer, then those columns dropped and the view put back without them.
   */
  public static void writeBeforeGenAiColumns(Path dir, ExportTraceServiceRequest... requests) throws Exception {
    TestStores.fill(dir, requests);
    List<PromotedAttributes.Column> genAi = PromotedAttributes.COLUMNS.stream()
        .filter(c -> c.key().startsWith("gen_ai.")).toList();
    String columns = Schema.SPAN_COLUMNS.replace(", links", "");
    String converted = Schema.CONVERTED_COLUMNS.replace(", links::JSON AS links", "");
    for (PromotedAttributes.Column c : genAi) {
      columns = columns.replace(", " + c.name(), "");
      converted = converted.replace(", " + c.name(), "");
    }
    try (DuckDBConnection old = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + new StoreFiles(dir).database());
         Statement s = old.createStatement()) {
      s.execute("DROP VIEW spans");
      for (PromotedAttributes.Column c : genAi) {
        s.execute("ALTER TABLE span_store DROP COLUMN " + c.name());
        s.execute("ALTER TABLE span_ingest DROP COLUMN " + c.name());
      }
      dropLinks(s);
      s.execute("CREATE VIEW spans AS SELECT " + columns + " FROM span_store UNION ALL SELECT " + converted + " FROM span_ingest");
    }
  }

  /**
   * Span links came after the typed columns: a store from before them has no {@code links} either, nor the narrow
   * tail of compact key events ({@link KeyEventRows#INGEST_TABLE} and {@link Schema#TAIL}), which came after both.
   */
  private static void dropLinks(Statement s) throws java.sql.SQLException {
    s.execute("DROP VIEW " + Schema.TAIL);
    s.execute("DROP TABLE " + KeyEventRows.INGEST_TABLE);
    s.execute("ALTER TABLE span_store DROP COLUMN links");
    s.execute("ALTER TABLE span_ingest DROP COLUMN links");
  }

  /**
   * A store as the collector before span links left it: {@code requests} stored through today's writer, the last
   * span left in {@code span_ingest}, then the {@code links} columns dropped and the view put back without them.
   */
  public static void writeBeforeLinks(Path dir, ExportTraceServiceRequest... requests) throws Exception {
    TestStores.fill(dir, requests);
    try (DuckDBConnection old = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + new StoreFiles(dir).database());
         Statement s = old.createStatement()) {
      s.execute("DROP VIEW spans");
      s.execute("INSERT INTO span_ingest SELECT 1, " + Schema.CONVERTED_COLUMNS.replace("attributes::JSON::VARIANT AS attributes, "
          + "events::JSON AS events, resource_attributes::JSON AS resource_attributes", "attributes::JSON::VARCHAR, "
          + "events::VARCHAR, resource_attributes::VARCHAR").replace("links::JSON AS links", "links::VARCHAR")
          + " FROM span_store ORDER BY start_time DESC LIMIT 1");
      s.execute("DELETE FROM span_store WHERE span_id IN (SELECT span_id FROM span_ingest)");
      dropLinks(s);
      s.execute("CREATE VIEW spans AS SELECT " + Schema.SPAN_COLUMNS.replace(", links", "") + " FROM span_store UNION ALL SELECT "
          + Schema.CONVERTED_COLUMNS.replace(", links::JSON AS links", "") + " FROM span_ingest");
    }
  }

  static SpanRow row(String name, String attributes, String events, String resource) throws Exception {
    SpanRow template = TraceMapper.map(SpanFixtures.request("svc", List.of(
        SpanFixtures.span(SpanFixtures.SEED_TRACE, null, name, 0, 1).build()))).get(0);
    return new SpanRow(template.traceId(), template.spanId(), null, null, name, "INTERNAL", template.startNanos(),
        template.endNanos(), "OK", null, "svc", "s", Map.of(), attributes, events, resource);
  }
}
