package io.memtrace.collector.clickhouse.reader;

import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.values.CapturedValue;
import io.memtrace.collector.values.ValueRows;
import io.memtrace.collector.values.ValuesRequest;
import java.util.List;

/**
 * {@code capturedValues} on the fleet store: {@code memtrace_key_values}, which a materialized view fills from the
 * {@code memory.value} events of {@code otel_traces}, with the embedded store's columns and order.
 */
final class ClickHouseValues {

  /** The table, which {@code query} refuses to read unless values were asked for. */
  static final String TABLE = "memtrace_key_values";

  private static final ValueRows.Dialect CLICKHOUSE = new ValueRows.Dialect("Key", "match(toString(Namespace), %s)",
      "Timestamp", "Timestamp, TraceId, SpanId, Seq", ClickHouseTraces::literal,
      t -> "fromUnixTimestamp64Micro(" + ValueRows.micros(t) + ")");

  private ClickHouseValues() {
  }

  static List<CapturedValue> values(SqlSource source, ValuesRequest request) {
    return ValueRows.read(source.query("SELECT TraceId AS trace_id, SpanId AS span_id, Seq AS seq, "
        + "toUnixTimestamp64Micro(Timestamp) AS t_us, toString(ServiceName) AS service_name, toString(Redis) AS redis, "
        + "Db AS db, toString(Namespace) AS namespace, Key AS key, toString(Operation) AS operation, "
        + "toString(Change) AS change, toString(Type) AS type, Base64 AS base64, Value AS value, Size AS size, "
        + "Truncated AS truncated FROM " + TABLE + ValueRows.whereOrderLimit(request, CLICKHOUSE)));
  }
}
