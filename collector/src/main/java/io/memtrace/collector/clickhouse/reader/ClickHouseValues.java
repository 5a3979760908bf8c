package io.memtrace.collector.clickhouse.reader;

import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.values.CapturedValue;
import io.memtrace.collector.values.ValueRows;
import io.memtrace.collector.values.ValuesRequest;
import io.memtrace.collector.CollectorException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

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

  /**
   * Refuses a user's statement that could read captured values: one naming {@code memtrace_key_values}, or
   * {@code otel_traces} (whose span events the exporter keeps as it received them; the {@code spans} view leaves the
   * value events out), or calling {@code merge()}, which reads tables by a pattern. ClickHouse gives no parse tree
   * here, so this reads the statement's text and refuses more rather than less.
   */
  static void refuseUnlessAsked(String sql) {
    String text = sql.toLowerCase(Locale.ROOT);
    if (!READ.matcher(text).lookingAt()) {
      return; // not a read: ClickHouse's readonly setting refuses it, in its own words
    }
    if (text.contains(TABLE) || text.replace("otel_traces_trace_id_ts", "").contains("otel_traces")
        || MERGE.matcher(text).find()) {
      throw new CollectorException("query rejected: " + TABLE + " and otel_traces's span events hold the captured "
          + "values, which a query reads only when asked: run query --include-values (or POST /api/query?values=true "
          + "with the API token); the spans view has every span without them");
    }
  }

  /** A statement that reads rows, after any comments: what ClickHouse runs under {@code readonly}. */
  private static final Pattern READ = Pattern.compile(
      "(\\s|--[^\\n]*\\n?|/\\*.*?\\*/)*(\\(|select\\b|with\\b|from\\b|explain\\b|describe\\b|desc\\b|show\\b|exists\\b)",
      Pattern.DOTALL);
  private static final Pattern MERGE = Pattern.compile("\\bmerge\\s*\\(");

  static List<CapturedValue> values(SqlSource source, ValuesRequest request) {
    return ValueRows.read(source.query("SELECT TraceId AS trace_id, SpanId AS span_id, Seq AS seq, "
        + "toUnixTimestamp64Micro(Timestamp) AS t_us, toString(ServiceName) AS service_name, toString(Redis) AS redis, "
        + "Db AS db, toString(Namespace) AS namespace, Key AS key, toString(Operation) AS operation, "
        + "toString(Change) AS change, toString(Type) AS type, Base64 AS base64, Value AS value, Size AS size, "
        + "Truncated AS truncated FROM " + TABLE + ValueRows.whereOrderLimit(request, CLICKHOUSE)));
  }
}
