package io.memtrace.collector.embedded;

import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.reader.Layer;
import io.memtrace.collector.reader.Section;
import java.util.Map;

/**
 * The report's sections over the spans of the layer analysed, not grouped by key: the overview, the slowest
 * operations, the operations by namespace, the latency per operation, the largest values, cache and errors, and the
 * compressed spans. Over the whole store, those the rollups kept at compaction answer ({@link ReportRollups}) come
 * from them; the rest, and all of them since a time, from the spans.
 *
 * @param from  what the sections of the layer read (see {@link SpanTable})
 * @param since the condition on {@code start_time} that a report since a time adds; empty for all
 * @param rolled whether the sections over the whole store read the rollups
 */
record SpanSections(SqlSource source, Layer layer, SpanTable spans, String from, String since, boolean rolled) {

  Section overview() {
    // the services from a subquery of their own: a DISTINCT inside the aggregate made DuckDB materialize every
    // span's columns first (1.5 s and 590 MB of temporary files at 10M spans)
    // the traces from the ids and registers kept at each move (TraceCount), or from the spans since a time
    String traces = rolled ? TraceCount.sql(RollupSql.TRACE_IDS.view(), RollupSql.TRACE_SKETCH.view())
        : TraceCount.ofSpans("(SELECT trace_id FROM spans WHERE true" + since + ")");
    ResultTable table = source.query(rolled ? "SELECT coalesce(sum(spans), 0)::BIGINT AS spans, (" + traces
        + ") AS traces, string_agg(service_name, ', ' ORDER BY service_name) "
        + "FILTER (WHERE service_name IS NOT NULL) AS services, min(first_start)::VARCHAR AS first_span, "
        + "max(last_end)::VARCHAR AS last_span, coalesce(sum(errors), 0)::BIGINT AS errors FROM " + RollupSql.SERVICES.view()
        : "SELECT count(*) AS spans, (" + traces + ") AS traces, "
        + "(SELECT string_agg(service_name, ', ' ORDER BY service_name) FROM (SELECT DISTINCT service_name "
        + "FROM spans WHERE service_name IS NOT NULL" + since + ")) AS services, "
        + "min(start_time)::VARCHAR AS first_span, max(end_time)::VARCHAR AS last_span, "
        + "count(*) FILTER (WHERE status_code = 'ERROR') AS errors FROM spans WHERE true" + since);
    return new Section("overview", "Overview", spans.typed() ? TraceCount.NOTE : SpanTable.UPGRADE_NOTE + " "
        + TraceCount.NOTE, table);
  }

  Section slowest() {
    String layerRollup = " WHERE layer = '" + layer.viewName() + "'";
    return new Section("slowest_operations", "Slowest memory operations", "By span duration.",
        source.query("SELECT " + (rolled ? "key, namespace, operation, duration_ms, service_name FROM "
            + RollupSql.SLOWEST.view() + layerRollup : "memory_key AS key, memory_namespace AS namespace, "
            + KeySql.operation() + " AS operation, round(duration_ms, 3) AS duration_ms, service_name "
            + KeySql.layerSpans(layer, from, since)) + " ORDER BY duration_ms DESC, start_time LIMIT " + ReportBuilder.TOP));
  }

  Section byNamespace() {
    return new Section("namespaces", "Operations by namespace", null,
        source.query("SELECT coalesce(memory_namespace, '(none)') AS namespace, "
            + "count(*) AS operation_count, round(avg(duration_ms), 3) AS avg_duration_ms, "
            + "round(quantile_cont(duration_ms, 0.95), 3) AS p95_ms " + KeySql.layerSpans(layer, from, since)
            + " GROUP BY 1 ORDER BY operation_count DESC, namespace"));
  }

  Section latency() {
    return new Section("latency", "Latency per operation", "Percentiles of span duration, in ms.",
        // the three percentiles from one aggregate: three of them held every duration three times, and at 10M spans
        // of two commands ran out of DuckDB's 409 MiB
        source.query("SELECT operation, count, round(q[1], 3) AS p50_ms, round(q[2], 3) AS p95_ms, "
            + "round(q[3], 3) AS p99_ms, errors, error_rate FROM (SELECT " + KeySql.operation() + " AS operation, "
            + "count(*) AS count, quantile_cont(duration_ms, [0.5, 0.95, 0.99]) AS q, "
            + "count(*) FILTER (WHERE status_code = 'ERROR') AS errors, round(errors / count(*), 4) AS error_rate "
            + KeySql.layerSpans(layer, from, since) + " GROUP BY 1) ORDER BY count DESC, operation"));
  }

  /** The largest values, saying how many sizes statements hid ({@link StatementKeyNotes#sizesUnknown}). */
  Section largest(Map<String, Long> statements) {
    String layerRollup = " WHERE layer = '" + layer.viewName() + "'";
    return StatementKeyNotes.sizesUnknown(new Section("largest_values", "Largest values stored", null,
        source.query(rolled ? "SELECT key, namespace, operation, size_bytes FROM " + RollupSql.LARGEST.view()
            + layerRollup + " ORDER BY size_bytes DESC, key LIMIT " + ReportBuilder.TOP
            : KeySql.accessCtes(layer, from, since) + " SELECT key, namespace, op AS operation, size AS size_bytes "
            + "FROM keyed WHERE kind = 'write' AND size IS NOT NULL ORDER BY size DESC, key LIMIT "
            + ReportBuilder.TOP)), statements);
  }

  Section cacheAndErrors() {
    return MetricsSummary.cacheAndErrors(source, layer, rolled ? null : from, since);
  }

  Section compressed() {
    return CompressedSpans.section(source, spans.from(), since, rolled);
  }
}
