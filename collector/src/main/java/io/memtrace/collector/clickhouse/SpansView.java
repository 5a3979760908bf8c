package io.memtrace.collector.clickhouse;

/**
 * The {@code spans} view over {@code otel_traces}, with the span table's documented column names ({@code trace_id,
 * span_id, parent_span_id, name, kind, start_time, end_time, duration_ms, status_code, service_name, attributes,
 * events}, and {@code status_message}, {@code scope_name}, {@code resource}), the values as the embedded store writes
 * them: kinds and status codes in capitals ({@code SERVER}, {@code ERROR}), times to the microsecond, no parent as
 * NULL, the events as JSON text. So {@code query} runs the same SQL against either store, as far as the two dialects
 * agree (the three example queries do). On a cluster it reads the Distributed {@code otel_traces}.
 *
 * <p>Beside {@code attributes}, the view shows {@code otel_traces}' {@link AttributeColumns} ({@code memory_key} and
 * so on), which {@code query} reads in place of {@code attributes['memory.key']} and the like.
 */
final class SpansView {

  static final String NAME = "spans";

  private SpansView() {
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
        + "    " + io.memtrace.collector.store.PromotedAttributes.COLUMNS.stream().map(AttributeColumns::inView)
            .collect(java.util.stream.Collectors.joining(", ")) + "\n"
        + "FROM " + options.qualified(OtelTracesTable.NAME);
  }
}
