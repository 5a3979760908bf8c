package io.memtrace.collector.clickhouse;

import io.memtrace.collector.store.PromotedAttributes;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The {@code spans} view over {@code otel_traces}, with the span table's documented column names ({@code trace_id,
 * span_id, parent_span_id, name, kind, start_time, end_time, duration_ms, status_code, service_name, attributes,
 * events}, and {@code status_message}, {@code scope_name}, {@code resource}), the values as the embedded store writes
 * them: kinds and status codes in capitals ({@code SERVER}, {@code ERROR}), times to the microsecond, no parent as
 * NULL, the events as JSON text. So {@code query} runs the same SQL against either store, as far as the two dialects
 * agree (seed 000's queries do). On a cluster it reads the Distributed {@code otel_traces}.
 *
 * <p>Beside {@code attributes}, the view has a column for each attribute the embedded store keeps as a column
 * ({@link PromotedAttributes}: {@code memory_key} and so on), holding what {@code query} reads for
 * {@code attributes['memory.key']} on ClickHouse: the text ({@code ''} when the span lacks the key), or for a number
 * or boolean its {@code accurateCastOrNull}. Why: a lookup in {@code attributes} reads every key of every span's map,
 * since the view's column is not the table's; a column defined as {@code SpanAttributes['memory.key']} is a lookup on
 * the table's own column, which ClickHouse reads as that key's subcolumn, and {@code otel_traces}' maps are kept in
 * buckets ({@link OtelTracesTable#MAP_BUCKETS}), so only the key's bucket is read. {@code query} reads these columns
 * in place of the lookups ({@link #COLUMNS}).
 */
public final class SpansView {

  static final String NAME = "spans";

  /** The ClickHouse type each typed attribute is read as, by the embedded store's type name. */
  public static final Map<String, String> TYPES = Map.of("BIGINT", "Int64", "DOUBLE", "Float64", "BOOLEAN", "Bool");

  /** The attribute columns of the view: attribute key to column name, in {@link PromotedAttributes}' order. */
  public static final Map<String, String> COLUMNS = Collections.unmodifiableMap(PromotedAttributes.COLUMNS.stream()
      .collect(Collectors.toMap(PromotedAttributes.Column::key, PromotedAttributes.Column::name, (a, b) -> a,
          LinkedHashMap::new)));

  /** The view's last attribute column: a view made by an earlier init lacks it. */
  public static final String LAST_COLUMN = PromotedAttributes.COLUMNS.get(PromotedAttributes.COLUMNS.size() - 1).name();

  private SpansView() {
  }

  /** {@code lookup} as {@code query} reads an attribute of {@code type} (the embedded store's type name). */
  public static String typed(String lookup, String type) {
    String clickhouse = TYPES.get(type);
    return clickhouse == null ? lookup : "accurateCastOrNull(" + lookup + ", '" + clickhouse + "')";
  }

  static String ddl(SchemaOptions options) {
    return "CREATE VIEW IF NOT EXISTS " + options.qualified(NAME) + options.onCluster() + "\nAS " + select(options);
  }

  /** The view of an earlier init (without the attribute columns) replaced by this one. */
  static String replace(SchemaOptions options) {
    return "CREATE OR REPLACE VIEW " + options.qualified(NAME) + options.onCluster() + "\nAS " + select(options);
  }

  private static String select(SchemaOptions options) {
    return "SELECT\n"
        + "    TraceId AS trace_id, SpanId AS span_id, nullIf(ParentSpanId, '') AS parent_span_id,\n"
        + "    toString(SpanName) AS name,\n"
        + "    upper(replaceRegexpOne(toString(SpanKind), '^SPAN_KIND_', '')) AS kind,\n"
        + "    toDateTime64(Timestamp, 6, 'UTC') AS start_time,\n"
        + "    fromUnixTimestamp64Micro(intDiv(toUnixTimestamp64Nano(Timestamp) + Duration, 1000), 'UTC') AS end_time,\n"
        + "    Duration / 1e6 AS duration_ms,\n"
        + "    multiIf(StatusCode IN ('Error', 'STATUS_CODE_ERROR'), 'ERROR', StatusCode IN ('Ok', 'STATUS_CODE_OK'), "
        + "'OK', 'UNSET') AS status_code,\n"
        + "    StatusMessage AS status_message, toString(ServiceName) AS service_name, ScopeName AS scope_name,\n"
        + "    CAST(SpanAttributes, 'Map(String, String)') AS attributes,\n"
        // the captured values are memtrace_key_values', never the spans' (as the embedded store keeps them)
        + "    toJSONString(arrayFilter(e -> tupleElement(e, 'name') != 'memory.value', "
        + "arrayMap((n, t, a) -> CAST((n, toUnixTimestamp64Nano(t), a), "
        + "'Tuple(name String, time_unix_nano UInt64, attributes Map(String, String))'), "
        + "`Events.Name`, `Events.Timestamp`, `Events.Attributes`))) AS events,\n"
        + "    CAST(ResourceAttributes, 'Map(String, String)') AS resource,\n"
        + "    " + PromotedAttributes.COLUMNS.stream()
            .map(c -> typed("SpanAttributes['" + c.key() + "']", c.type()) + " AS " + c.name())
            .collect(Collectors.joining(",\n    ")) + "\n"
        + "FROM " + options.qualified(OtelTracesTable.NAME);
  }
}
