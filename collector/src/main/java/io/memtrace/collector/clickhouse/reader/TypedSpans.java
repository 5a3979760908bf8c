package io.memtrace.collector.clickhouse.reader;

import io.memtrace.collector.clickhouse.KeyEventSpansTable;
import io.memtrace.collector.clickhouse.SpanColumns;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The spans with the typed columns the embedded store keeps beside each span ({@code memory_key},
 * {@code memory_namespace}, {@code db_operation_name}, ...), under the same names, so each section's SQL reads like the
 * embedded store's. They are derived from {@code otel_traces} with the generator the insert's views use
 * ({@link SpanColumns}), a Redis statement's key, namespace and command from {@code memtrace_ops}, where the command
 * table put them at insert (one source of truth for Redis key positions). No copy of each span is kept beside
 * {@code otel_traces}: it cost an insert more than the exporter's own table did (docs/adr/0003). Times are
 * microseconds since the epoch ({@code start_us}, {@code end_us}), as the embedded store keeps them.
 */
final class TypedSpans {

  /** A span attribute as SQL, NULL when absent (the exporter writes every value as a string). */
  static final Function<String, String> ATTRIBUTE = SpanColumns.ATTRIBUTE;

  /** Status as the embedded store writes it: ERROR, OK or UNSET. */
  static final String STATUS = SpanColumns.STATUS;

  /** Every typed column, in the order {@link #from(long, String)} gives them, with its SQL over {@code s} and {@code o}. */
  private static final Map<String, String> COLUMNS = SpanColumns.all("o.");

  /** The columns of the span's whole attributes and events, or of its statement's words. */
  private static final Set<String> WIDE = Set.of("words", "attributes", "event_names", "event_attributes",
      "memory_value_fingerprint");

  /** Every typed column but those of {@link #WIDE}: what the report's sections read. */
  static final List<String> NARROW = COLUMNS.keySet().stream().filter(c -> !WIDE.contains(c)).toList();

  /** Columns read from the statement's words ({@code words}), and those that need the ops row ({@code o}). */
  private static final Set<String> FROM_WORDS = Set.of("words", "memory_value_size", "memory_ttl", "memtrace_unknown");
  private static final Set<String> FROM_OPS = Set.of("memory_key", "memory_namespace", "db_operation_name",
      "memory_value_size", "memory_ttl", "memtrace_derived_from", "memtrace_unknown");

  private TypedSpans() {
  }

  /**
   * The typed spans whose start is at or after {@code sinceMicros} (0 for all), as a parenthesized subquery.
   *
   * @param where a further condition on {@code s} (otel_traces' columns), or empty
   */
  static String from(long sinceMicros, String where) {
    return from(sinceMicros, where, COLUMNS.keySet());
  }

  /**
   * {@link #from(long, String)} with only the {@code columns} named: ClickHouse analyses every column of a subquery,
   * used or not, each time the subquery appears in a statement, so a statement that names a few of them, or reads
   * the spans more than once, is planned in a fraction of the time. The ops rows are joined only for the columns a
   * statement's key gives, and the statement's words read only for those they give.
   */
  static String from(long sinceMicros, String where, Collection<String> columns) {
    String since = sinceMicros > 0 ? " AND s.Timestamp >= fromUnixTimestamp64Micro(" + sinceMicros + ")" : "";
    String cond = where.isEmpty() ? "" : " AND (" + where + ")";
    List<String> select = new ArrayList<>();
    boolean words = false;
    boolean ops = false;
    for (Map.Entry<String, String> column : COLUMNS.entrySet()) {
      if (columns.contains(column.getKey())) {
        select.add(column.getValue() + " AS " + column.getKey());
        words |= FROM_WORDS.contains(column.getKey());
        ops |= FROM_OPS.contains(column.getKey());
      }
    }
    if (select.size() != columns.size()) {
      throw new IllegalArgumentException("not a typed span column among " + columns);
    }
    if (words && !columns.contains("words")) {
      select.add(0, COLUMNS.get("words") + " AS words");
    }
    return "(SELECT " + String.join(", ", select) + " FROM " + SPANS + " AS s" + (ops ? OPS_JOIN : "")
        + " WHERE s.SpanName != '" + KeyEventSpansTable.CARRIER + "'" + since + cond + ")";
  }

  /**
   * The spans: {@code otel_traces}, and the spans of the agent's key events ({@code memtrace_key_event_spans}), read as
   * one table; a schema of an earlier init, without the second, reads the first alone. The carriers are left out
   * ({@link #from}), as the embedded store does not keep them.
   */
  static final String SPANS = "merge(currentDatabase(), '^(otel_traces|" + KeyEventSpansTable.NAME + ")$')";

  /** {@link #SPANS} without the carriers, their own columns only, as a subquery. */
  static final String STORED = "(SELECT * FROM " + SPANS + " WHERE SpanName != '" + KeyEventSpansTable.CARRIER + "')";

  /** The ops row of a Redis span of another language's instrumentation: its key, namespace and command. */
  private static final String OPS_JOIN = " LEFT JOIN (SELECT TraceId, SpanId, Key, Namespace, Operation, "
      + SpanColumns.keySource("KeySource", "Key", "Operation") + " AS ks "
      + "FROM memtrace_ops WHERE KeySource != 'span') AS o ON o.TraceId = s.TraceId AND o.SpanId = s.SpanId";
}
