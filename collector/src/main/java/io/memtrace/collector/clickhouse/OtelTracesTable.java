package io.memtrace.collector.clickhouse;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code otel_traces} as the OpenTelemetry Collector's {@code clickhouseexporter} (contrib v0.165.0, its {@code internal/sqltemplates}) makes
 * it, so the exporter writes it unchanged with {@code create_schema: false}, and Grafana's ClickHouse data source and
 * Jaeger's readers find what they expect: the same columns, types, codecs, skip indexes, partition and sorting key,
 * and its {@code otel_traces_trace_id_ts} lookup (a trace's first and last span time, kept by a materialized view).
 * Written here from the exporter's documented schema; the exporter's own file is not copied.
 */
final class OtelTracesTable {

  static final String NAME = "otel_traces";
  static final String LOOKUP = "otel_traces_trace_id_ts";

  /**
   * The columns the exporter's INSERT names, with the types ClickHouse reports for them in {@code DESCRIBE TABLE}
   * (the column's own type, without codec): an existing {@code otel_traces} is adopted when it has each of them so.
   */
  static final Map<String, String> INSERTED = inserted();

  private static final String MAP = "Map(LowCardinality(String), String)";

  private OtelTracesTable() {
  }

  private static Map<String, String> inserted() {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("Timestamp", "DateTime64(9)");
    c.put("TraceId", "String");
    c.put("SpanId", "String");
    c.put("ParentSpanId", "String");
    c.put("TraceState", "String");
    c.put("SpanName", "LowCardinality(String)");
    c.put("SpanKind", "LowCardinality(String)");
    c.put("ServiceName", "LowCardinality(String)");
    c.put("ResourceAttributes", MAP);
    c.put("ScopeName", "String");
    c.put("ScopeVersion", "String");
    c.put("SpanAttributes", MAP);
    c.put("Duration", "UInt64");
    c.put("StatusCode", "LowCardinality(String)");
    c.put("StatusMessage", "String");
    c.put("Events.Timestamp", "Array(DateTime64(9))");
    c.put("Events.Name", "Array(LowCardinality(String))");
    c.put("Events.Attributes", "Array(" + MAP + ")");
    c.put("Links.TraceId", "Array(String)");
    c.put("Links.SpanId", "Array(String)");
    c.put("Links.TraceState", "Array(String)");
    c.put("Links.Attributes", "Array(" + MAP + ")");
    return java.util.Collections.unmodifiableMap(c);
  }

  /**
   * The spans. Partitioned by day, as the exporter does, so a TTL drops whole days ({@code ttl_only_drop_parts});
   * sorted by service, span name and time, which serves the trace search of Grafana and Jaeger; a trace is found by
   * the bloom filter on {@code TraceId}, narrowed by the lookup table's time range. Beside the exporter's columns,
   * memtrace's {@link AttributeColumns}, which the exporter's inserts do not name.
   */
  static Table spans() {
    return spans(NAME, "spans as the OpenTelemetry Collector clickhouseexporter writes them");
  }

  /** {@link #spans()}'s layout under another name. */
  static Table spans(String name, String comment) {
    String zstd = " CODEC(ZSTD(3)),";
    String columns = String.join("\n",
        "    Timestamp DateTime64(9) CODEC(Delta, ZSTD(3)),",
        "    TraceId String" + zstd,
        "    SpanId String" + zstd,
        "    ParentSpanId String" + zstd,
        "    TraceState String" + zstd,
        "    SpanName LowCardinality(String)" + zstd,
        "    SpanKind LowCardinality(String)" + zstd,
        "    ServiceName LowCardinality(String)" + zstd,
        "    ResourceAttributes " + MAP + zstd,
        "    ScopeName String" + zstd,
        "    ScopeVersion String" + zstd,
        "    SpanAttributes " + MAP + zstd,
        "    Duration UInt64" + zstd,
        "    StatusCode LowCardinality(String)" + zstd,
        "    StatusMessage String" + zstd,
        "    Events Nested(Timestamp DateTime64(9), Name LowCardinality(String), Attributes " + MAP + ")" + zstd,
        "    Links Nested(TraceId String, SpanId String, TraceState String, Attributes " + MAP + ")" + zstd,
        // memtrace's: the attributes query reads, computed at insert (AttributeColumns)
        AttributeColumns.definitions().stream().map(d -> "    " + d + ",").collect(Collectors.joining("\n")),
        "    INDEX idx_trace_id TraceId TYPE bloom_filter(0.001) GRANULARITY 1,",
        "    INDEX idx_res_attr_key mapKeys(ResourceAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,",
        "    INDEX idx_res_attr_value mapValues(ResourceAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,",
        "    INDEX idx_span_attr_key mapKeys(SpanAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,",
        "    INDEX idx_span_attr_value mapValues(SpanAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,",
        "    INDEX idx_duration Duration TYPE minmax GRANULARITY 1");
    return new Table(name, comment, columns, "MergeTree", "toDate(Timestamp)", null,
        "(ServiceName, SpanName, toDateTime(Timestamp))", "toDateTime(Timestamp)", "index_granularity = 8192, ttl_only_drop_parts = 1", "cityHash64(TraceId)");
  }

  /** The exporter's trace lookup: a trace's first and last span time, a row per trace and insert block. */
  static Table lookup() {
    String columns = String.join("\n",
        "    TraceId String CODEC(ZSTD(3)),",
        "    Start DateTime CODEC(Delta, ZSTD(3)),",
        "    End DateTime CODEC(Delta, ZSTD(3)),",
        "    INDEX idx_trace_id TraceId TYPE bloom_filter(0.01) GRANULARITY 1");
    return new Table(LOOKUP, "a trace's time range, for finding its spans (the exporter's lookup)", columns,
        "MergeTree", "toDate(Start)", null, "(TraceId, Start)", "toDateTime(Start)",
        "index_granularity = 8192, ttl_only_drop_parts = 1", "cityHash64(TraceId)");
  }

  /** The view that keeps {@link #lookup()}: it reads the local spans table, whose rows a trace's shard holds. */
  static List<String> lookupView(SchemaOptions options) {
    return List.of(lookupView(options, LOOKUP + "_mv", spans()));
  }

  /** A view named {@code view} that keeps {@link #lookup()} from the spans of {@code spans}. */
  static String lookupView(SchemaOptions options, String view, Table spans) {
    Table lookup = lookup();
    return "CREATE MATERIALIZED VIEW IF NOT EXISTS " + options.qualified(view) + options.onCluster()
        + "\nTO " + options.qualified(lookup.local(options))
        + "\nAS SELECT TraceId, min(Timestamp) AS Start, max(Timestamp) AS End\nFROM "
        + options.qualified(spans.local(options)) + "\nWHERE TraceId != ''\nGROUP BY TraceId";
  }
}
