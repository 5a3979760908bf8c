package io.memtrace.collector.clickhouse;

import java.util.Set;

/**
 * The spans of an insert that carry a captured value ({@code memory.value} events: docs/values.md), kept nowhere
 * ({@code Null}): a view as narrow as can be stands between {@code otel_traces} and the key values' view ({@link
 * MemtraceViews#keyValues}), as one stands before the key events' expanding views ({@link
 * KeyEventSpansTable#carriers}).
 * ClickHouse plans a view of {@code otel_traces} at every insert, and the views of a table a view writes to only when
 * rows reach it: an insert without a captured value (capture is off unless asked for) plans this view's SELECT, not the
 * key values' (9.5 ms of CPU an insert, {@code bench/clickhouse/view_cost.py --plan}).
 */
final class ValueSpans {

  static final String TABLE = "memtrace_value_spans";
  static final String VIEW = TABLE + "_mv";

  private ValueSpans() {
  }

  /** The columns of a span the key values' view reads, its events' as three arrays. */
  static String table(SchemaOptions options) {
    return "CREATE TABLE IF NOT EXISTS " + options.qualified(TABLE) + options.onCluster() + " (\n    "
        + String.join(",\n    ", "TraceId String", "SpanId String", "ServiceName LowCardinality(String)",
            "SpanName LowCardinality(String)", "SpanAttributes Map(LowCardinality(String), String)",
            "EventTimes Array(DateTime64(9))", "EventNames Array(LowCardinality(String))",
            "EventAttributes Array(Map(LowCardinality(String), String))")
        + "\n) ENGINE = Null\n"
        + "COMMENT 'memtrace: the inserted spans that carry a captured value, for the key values\\' view'";
  }

  /** otel_traces to the table: the node's own spans with a {@code memory.value} event. */
  static String view(SchemaOptions options) {
    return "CREATE MATERIALIZED VIEW IF NOT EXISTS " + options.qualified(VIEW) + options.onCluster() + "\nTO "
        + options.qualified(TABLE) + "\nAS SELECT TraceId, SpanId, ServiceName, SpanName, SpanAttributes, "
        + "`Events.Timestamp` AS EventTimes, `Events.Name` AS EventNames, `Events.Attributes` AS EventAttributes\n"
        + "FROM " + options.qualified(OtelTracesTable.spans().local(options)) + "\n"
        + "WHERE has(`Events.Name`, 'memory.value')";
  }

  /**
   * The key values' view of an earlier init, which read {@code otel_traces}, put behind the table before init's
   * statements: the table and its view made (nothing reads the table yet), then the key values' view given the SELECT
   * over the table, in one statement, so no value is kept twice or missed. Null when the store has no key values' view,
   * or has this table's view already.
   */
  static String narrowKeyValues(ClickHouseSession session, SchemaOptions options, Set<String> before) {
    String keyValues = MemtraceTables.KEY_VALUES + "_mv";
    if (!before.contains(keyValues) || before.contains(VIEW)) {
      return null;
    }
    session.execute(table(options));
    session.execute(view(options));
    String statement = MemtraceViews.keyValues(options);
    session.execute("ALTER TABLE " + options.qualified(keyValues) + options.onCluster() + " MODIFY QUERY "
        + ClickHouseSchema.viewSelect(statement));
    String db = options.database();
    return "redefined " + db + "." + keyValues + " to read " + db + "." + TABLE + ", which " + db + "." + VIEW
        + " fills with the spans that carry a captured value: the same rows, its statement planned only for inserts "
        + "that hold one";
  }
}
