package io.memtrace.collector.clickhouse.reader;

import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.reader.Layer;

/**
 * The statements of the report's sections that read a layer's spans once (overview, slowest operations, operations
 * by namespace, latency, cache and errors, the keys read from statements) and the largest values, over the rows kept
 * at insert in {@code memtrace_layer_ops} ({@code LayerOpsRows}) instead: each groups a layer's few rows, merging the
 * sums and the states, with the columns, types and order of the statement over the spans it replaces
 * ({@link ClickHouseReport}, {@link KeySections}).
 * Null where the rows cannot answer: a report with {@code --since} (the rows are per hour, the start is not), or a
 * store made before the table.
 */
final class KeptOperations {

  static final String KEPT = "memtrace_layer_ops";

  private final String rows;

  private KeptOperations(String layer) {
    this.rows = KEPT + " WHERE Layer = '" + layer + "'";
  }

  static KeptOperations of(SqlSource source, long sinceMicros, Layer layer) {
    return sinceMicros > 0 || !KeptTable.exists(source, KEPT) ? null : new KeptOperations(layer.viewName());
  }

  /** Every span: count, traces (the same estimate), services, first and last, errors. */
  static String overview() {
    return "SELECT toUInt64(sum(Spans)) AS spans, uniqCombinedMerge(16)(Traces) AS traces, "
        + "arrayStringConcat(arraySort(groupUniqArrayArray(Services)), ', ') AS services, "
        + ClickHouseReport.time("toInt64(min(FirstStart))") + " AS first_span, "
        + ClickHouseReport.time("toInt64(max(LastEnd))") + " AS last_span, toUInt64(sum(Errors)) AS errors FROM "
        + KEPT + " WHERE Layer = 'span'";
  }

  /** The ten least of the merged states, in the state's order: longest first (rounded), then the earliest. */
  String slowest() {
    return "SELECT t.3 AS key, t.4 AS namespace, t.5 AS operation, -t.1 AS duration_ms, t.6 AS service_name FROM "
        + "(SELECT arrayJoin(groupArraySortedMerge(" + ClickHouseReport.TOP + ")(Slowest)) AS t FROM " + rows
        + ") ORDER BY t";
  }

  /** The key sections' largest values: the ten least of the merged states, as typed as the writes they were. */
  String largest() {
    return "SELECT CAST(t.2 AS Nullable(String)) AS key, t.3 AS namespace, CAST(t.4 AS Nullable(String)) AS operation, "
        + "CAST(-t.1 AS Nullable(Int64)) AS size_bytes FROM (SELECT arrayJoin(groupArraySortedMerge("
        + ClickHouseReport.TOP + ")(Largest)) AS t FROM " + rows + ") ORDER BY t";
  }

  String namespaces() {
    return "SELECT toString(Namespace) AS namespace, toUInt64(sum(Spans)) AS operation_count, "
        + "round(sum(DurationSum) / operation_count, 3) AS avg_duration_ms, "
        + "round(quantilesExactInclusiveMerge(0.5, 0.95, 0.99)(Durations)[2], 3) AS p95_ms FROM " + rows
        + " GROUP BY namespace ORDER BY operation_count DESC, namespace";
  }

  String latency() {
    return "SELECT operation, count, round(q[1], 3) AS p50_ms, round(q[2], 3) AS p95_ms, round(q[3], 3) AS p99_ms, "
        + "errors, round(errors / count, 4) AS error_rate FROM (SELECT toString(Operation) AS operation, "
        + "toUInt64(sum(Spans)) AS count, quantilesExactInclusiveMerge(0.5, 0.95, 0.99)(Durations) AS q, "
        + "toUInt64(sum(Errors)) AS errors FROM " + rows + " GROUP BY operation) ORDER BY count DESC, operation";
  }

  String cacheAndErrors() {
    return "SELECT toUInt64(sum(Hits)) AS hits, toUInt64(sum(Misses)) AS misses, "
        + "round(hits / nullIf(hits + misses, 0), 4) AS hit_rate, toUInt64(sum(Spans)) AS operations, "
        + "toUInt64(sum(Errors)) AS errors, round(errors / nullIf(operations, 0), 4) AS error_rate FROM " + rows;
  }

  String statementCounts() {
    return "SELECT toUInt64(sum(KeysFromAgent)) AS agent, toUInt64(sum(KeysFromStatements)) AS statement, "
        + "toUInt64(sum(KeysHidden)) AS hidden, toUInt64(sum(SizesUnknown)) AS size_unknown, "
        + "toUInt64(sum(Derived)) AS derived FROM " + rows;
  }
}
