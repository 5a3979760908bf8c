package io.memtrace.collector.clickhouse.reader;

import io.memtrace.collector.embedded.ReportBuilder;
import io.memtrace.collector.health.HealthScope;
import io.memtrace.collector.health.HealthSections;
import io.memtrace.collector.health.RecordPattern;
import io.memtrace.collector.provenance.TenantRule;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.reader.Layer;
import io.memtrace.collector.reader.Section;
import io.memtrace.collector.reader.TraceCounting;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The report's sections in ClickHouse SQL over {@link TypedSpans}, section by section the embedded store's: the same
 * ids, columns, orders, totals and notes, so the two stores' reports compare row by row. The sections that read the
 * layer once read the rows kept at insert where they can answer ({@link KeptOperations}).
 */
final class ClickHouseReport {

  static final int TOP = 10;
  static final int LIST = 20;
  static final int NAMESPACES = 20;

  private final SqlSource source;
  private final long since;
  private final int windows;
  private final Layer layer;
  /** The layer's spans. */
  private final String from;
  private final TenantRule tenant;
  private final RecordPattern records;
  /** The single-scan sections' rows kept at insert; null where they cannot answer (computed from the spans). */
  private final KeptOperations kept;

  ClickHouseReport(SqlSource source, long sinceMicros, int windows, Layer layer, TenantRule tenant,
      RecordPattern records) {
    this.source = source;
    this.tenant = tenant;
    this.records = records;
    this.since = sinceMicros;
    this.windows = Math.max(2, windows);
    this.layer = layer != null ? layer : detect(source);
    this.from = "(SELECT * FROM " + TypedSpans.from(sinceMicros, "", TypedSpans.NARROW) + " WHERE " + predicate(this.layer) + ")";
    this.kept = KeptOperations.of(source, sinceMicros, this.layer);
  }

  Layer layer() {
    return layer;
  }

  static String predicate(Layer layer) {
    return io.memtrace.collector.clickhouse.SpanColumns.inLayer(layer);
  }

  private static Layer detect(SqlSource source) {
    return source.query("SELECT count() AS n FROM (SELECT 1 FROM " + TypedSpans.from(0, "", List.of("memory_operation",
        "memory_key")) + " WHERE "
        + predicate(Layer.MEMORY) + " AND memory_key IS NOT NULL LIMIT 1)").number(0, "n") > 0 ? Layer.MEMORY : Layer.REDIS;
  }

  /** A microsecond count as the embedded store prints a time: to the microsecond, without trailing zeros. */
  static String time(String micros) {
    return "replaceRegexpOne(formatDateTime(fromUnixTimestamp64Micro(" + micros + ", 'UTC'), '%Y-%m-%d %H:%i:%S.%f'), "
        + "'\\\\.?0+$', '')";
  }

  private static final String OPERATION = "coalesce(memory_operation, db_operation_name, name)";

  List<Section> build() {
    return sections(false);
  }

  /** The report's headline ({@code memory_overview}), each section asked as {@link #build} asks it; no others. */
  List<Section> headline() {
    return sections(true).stream().filter(s -> io.memtrace.collector.reader.Report.HEADLINE.contains(s.id())).toList();
  }

  private List<Section> sections(boolean headline) {
    List<Section> sections = new ArrayList<>();
    sections.add(overview());
    if (headline) {
      return headlineAfterOverview(sections);
    }
    sections.add(new Section("slowest_operations", "Slowest memory operations", "By span duration.",
        source.query(kept != null ? kept.slowest() : "SELECT memory_key AS key, memory_namespace AS namespace, "
            + OPERATION + " AS operation, round(duration_ms, 3) AS duration_ms, service_name FROM " + from
            + " ORDER BY duration_ms DESC, start_us LIMIT " + TOP)));
    Map<String, Long> statements = statementCounts();
    KeySections keySections = new KeySections(source, since, layer, windows, kept);
    Map<String, Section> keyed = keySections.build(statements);
    sections.add(keyed.remove("largest_values"));
    sections.add(namespaces());
    sections.addAll(keyed.values());
    sections.add(new Section("keyspace_growth", "Growth in Redis's keyspace",
        "No keyspace samples in this store: run `serve --watch-redis redis://host:6379` (or `watch --redis URL "
            + "--data DIR`) to measure Redis's own keys, bytes and TTLs per namespace.",
        new ResultTable(List.of(new ResultTable.Column("namespace", "VARCHAR")), List.of(), false)));
    ReportLineage lineage = new ReportLineage(source);
    sections.addAll(lineage.sections(layer, since));
    // a Redis-layer report's memory health asks the memory layer's too: one read of the kept lineage for both
    boolean memoryToo = layer != Layer.MEMORY && !tenant.any() && lineage.kept();
    sections.add(lineage.wastedWrites(layer, since, memoryToo));
    // the memory layer's wasted writes are memory health's writes never read, per store: counted once, as the
    // embedded store does (that section's window over every memory event again cost 7.7 s of CPU at 10M spans); a
    // Redis-layer report counts the memory layer's too where they are kept at insert, in its own wasted writes'
    // statement (2.7 s against 7.1 s at 10M when asked alone; joined from the spans they cost more than the window)
    sections.addAll(HealthSections.of(new ClickHouseHealth(new HealthScope(source, layer, keySections.keyTotals(),
        tenant), lineage, since), records, tenant.any(), neverRead(lineage)));
    sections.add(new Section("latency", "Latency per operation", "Percentiles of span duration, in ms.",
        source.query(kept != null ? kept.latency() : "SELECT " + OPERATION + " AS operation, count() AS count, "
            + "round(quantileExactInclusive(0.5)(duration_ms), 3) AS p50_ms, "
            + "round(quantileExactInclusive(0.95)(duration_ms), 3) AS p95_ms, "
            + "round(quantileExactInclusive(0.99)(duration_ms), 3) AS p99_ms, countIf(status_code = 'ERROR') AS errors, "
            + "round(errors / count(), 4) AS error_rate FROM " + from + " GROUP BY operation "
            + "ORDER BY count DESC, operation")));
    sections.add(new Section("cache_and_errors", "Cache hit rate and error rate",
        "Hits and misses are reads that report memory.found.",
        source.query(kept != null ? kept.cacheAndErrors() : "SELECT countIf(memory_found) AS hits, "
            + "countIf(NOT memory_found) AS misses, "
            + "round(hits / nullIf(count(memory_found), 0), 4) AS hit_rate, count() AS operations, "
            + "countIf(status_code = 'ERROR') AS errors, round(errors / nullIf(count(), 0), 4) AS error_rate FROM "
            + from)));
    sections.add(compressed());
    sections.add(health());
    return sections;
  }

  /** {@link #sections}' headline after its overview: the same statements as the whole report's for these sections. */
  private List<Section> headlineAfterOverview(List<Section> sections) {
    Map<String, Long> statements = statementCounts();
    KeySections keySections = new KeySections(source, since, layer, windows, kept);
    Map<String, Section> keyed = keySections.build(statements);
    sections.add(namespaces());
    sections.addAll(keyed.values());
    ReportLineage lineage = new ReportLineage(source);
    sections.addAll(lineage.sections(layer, since));
    boolean memoryToo = layer != Layer.MEMORY && !tenant.any() && lineage.kept();
    sections.add(lineage.wastedWrites(layer, since, memoryToo));
    sections.add(HealthSections.health(new ClickHouseHealth(new HealthScope(source, layer, keySections.keyTotals(),
        tenant), lineage, since), tenant.any(), neverRead(lineage)));
    return sections;
  }

  private Section namespaces() {
    return new Section("namespaces", "Operations by namespace", null,
        source.query(kept != null ? kept.namespaces() : "SELECT coalesce(memory_namespace, '(none)') AS namespace, "
            + "count() AS operation_count, "
            + "round(avg(duration_ms), 3) AS avg_duration_ms, round(quantileExactInclusive(0.95)(duration_ms), 3) "
            + "AS p95_ms FROM " + from + " GROUP BY namespace ORDER BY operation_count DESC, namespace"));
  }

  /** The memory layer's writes never read per store, where the wasted writes counted them; null to count them. */
  private Map<String, Long> neverRead(ReportLineage lineage) {
    return !tenant.any() && (layer == Layer.MEMORY || lineage.kept()) ? lineage.wasted(Layer.MEMORY, since) : null;
  }

  /**
   * memtrace's counters as last reported, from {@code otel_metrics_sum} as the exporter writes the agents' metrics
   * when a gateway sends them to ClickHouse (the fleet profile sends them to Prometheus): the latest point of each
   * cumulative series (AggregationTemporality 2), every point of a delta one, added over services and attributes.
   */
  private Section health() {
    ResultTable table;
    if (source.query("SELECT count() AS n FROM system.tables WHERE database = currentDatabase() "
        + "AND name = 'otel_metrics_sum'").number(0, "n") == 0) {
      table = new ResultTable(List.of(new ResultTable.Column("name", "VARCHAR"),
          new ResultTable.Column("value", "BIGINT")), List.of(), false);
    } else {
      table = source.query("SELECT name, toInt64(sum(v)) AS value FROM (SELECT MetricName AS name, "
          + "if(AggregationTemporality = 1, sum(Value), argMax(Value, TimeUnix)) AS v FROM otel_metrics_sum "
          + "WHERE MetricName IN (" + io.memtrace.collector.embedded.MetricsSummary.HEALTH + ") "
          + "GROUP BY MetricName, ServiceName, toString(Attributes), AggregationTemporality) "
          + "GROUP BY name ORDER BY name");
    }
    String note = table.size() == 0 ? "No memtrace metrics received (the agent sends them on /v1/metrics)." : null;
    return new Section("memtrace_health", "Counters from received metrics", note, table);
  }

  private Section overview() {
    String where = since > 0 ? " WHERE Timestamp >= fromUnixTimestamp64Micro(" + since + ")" : "";
    ResultTable table = source.query(kept != null ? KeptOperations.overview() : "SELECT count() AS spans, "
        + "uniqCombined(16)(TraceId) AS traces, "
        + "arrayStringConcat(arraySort(groupUniqArray(toString(ServiceName))), ', ') AS services, "
        + time("min(intDiv(toUnixTimestamp64Nano(Timestamp), 1000))") + " AS first_span, "
        + time("max(intDiv(toUnixTimestamp64Nano(Timestamp) + Duration, 1000))") + " AS last_span, "
        + "countIf(StatusCode IN ('Error', 'STATUS_CODE_ERROR')) AS errors FROM otel_traces" + where);
    if (table.value(0, "spans") instanceof Number n && n.longValue() == 0) {
      table = new ResultTable(table.columns(), List.of(java.util.Arrays.asList(0L, 0L, null, null, null, 0L)), false);
    } else if (table.number(0, "traces") <= TraceCounting.EXACT * 11L / 10) {
      // near the limit or below it (the estimate's error is well under 10 %): counted exactly, as the embedded store.
      // Over the whole store from the exporter's trace lookup (a row per trace and insert: at 10M spans of 1.25M
      // traces 0.22 s of CPU against 0.46 s for the spans' ids, and far less where traces are few and long)
      long exact = source.query(since > 0 ? "SELECT uniqExact(TraceId) AS traces FROM otel_traces" + where
          : "SELECT uniqExact(TraceId) AS traces FROM otel_traces_trace_id_ts").number(0, "traces");
      if (exact <= TraceCounting.EXACT) {
        List<Object> row = new ArrayList<>(table.rows().get(0));
        row.set(table.column("traces"), exact);
        table = new ResultTable(table.columns(), List.of(row), false);
      }
    }
    return new Section("overview", "Overview", TraceCounting.NOTE, table);
  }

  private Map<String, Long> statementCounts() {
    Map<String, Long> counts = new LinkedHashMap<>();
    if (layer != Layer.REDIS) {
      return counts;
    }
    ResultTable rows = source.query(kept != null ? kept.statementCounts() : "SELECT countIf(memory_key IS NOT NULL "
        + "AND memtrace_derived_from IS NULL) AS agent, "
        + "countIf(memory_key IS NOT NULL AND memtrace_derived_from IS NOT NULL) AS statement, "
        + "countIf(position(coalesce(memtrace_unknown, ''), 'memory.key') > 0) AS hidden, "
        + "countIf(position(coalesce(memtrace_unknown, ''), 'memory.value_size') > 0) AS size_unknown, "
        + "countIf(memtrace_derived_from IS NOT NULL) AS derived FROM " + from);
    if (rows.number(0, "derived") == 0) {
      return counts;
    }
    for (String name : List.of("agent", "statement", "hidden", "size_unknown")) {
      counts.put(name, rows.number(0, name));
    }
    return counts;
  }

  private Section compressed() {
    String sinceWhere = since > 0 ? " AND start_us >= " + since : "";
    // the spans that carry compressed counts, found by otel_traces' column of them, then their events
    String all = TypedSpans.from(since, "s.memtrace_compressed_count IS NOT NULL", List.of("start_us",
        "memtrace_compressed_count", "event_names", "event_attributes"));
    ResultTable table = source.query("SELECT e['db.operation.name'] AS command, "
        + "coalesce(nullIf(e['memory.namespace'], ''), '(none)') AS namespace, "
        + "toInt64(sum(toInt64OrNull(e['memtrace.compressed.count']))) AS compressed, "
        + "round(sum(toFloat64OrNull(e['memtrace.compressed.duration_ms'])), 3) AS total_ms "
        + "FROM (SELECT ev.1 AS name, ev.2 AS e FROM " + all + " ARRAY JOIN arrayZip(event_names, event_attributes) AS ev "
        + "WHERE memtrace_compressed_count IS NOT NULL" + sinceWhere + ") WHERE name = 'memtrace.compressed' "
        + "GROUP BY command, namespace ORDER BY compressed DESC, command, namespace LIMIT " + LIST);
    ResultTable totals = source.query("SELECT count() AS kept, toInt64(coalesce(sum(memtrace_compressed_count), 0)) "
        + "AS compressed FROM otel_traces"
        + (since > 0 ? " WHERE Timestamp >= fromUnixTimestamp64Micro(" + since + ")" : ""));
    return io.memtrace.collector.embedded.CompressedSpans.section(table, totals.number(0, "kept"),
        totals.number(0, "compressed"));
  }
}
