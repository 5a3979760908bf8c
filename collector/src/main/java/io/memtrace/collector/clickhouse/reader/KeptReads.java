package io.memtrace.collector.clickhouse.reader;

import io.memtrace.collector.clickhouse.LineageReadRows;
import io.memtrace.collector.reader.Layer;
import java.util.List;

/**
 * The report's lineage queries ({@link ReportLineage#sections}) over {@code memtrace_lineage_reads}
 * ({@link LineageReadRows}): each read's current row without {@code FINAL} (a read without a late row has one row, a
 * read with one its late row of the greatest version), each query reading only the columns it asks, its filter before
 * the wide columns are read. The queries give the columns and rows of the same queries over {@code memtrace_lineage
 * FINAL} ({@link Lineage#keptRows}).
 */
final class KeptReads {

  private static final String TABLE = LineageReadRows.TABLE;

  private final Layer layer;

  KeptReads(Layer layer) {
    this.layer = layer;
  }

  /**
   * The layer's current rows where {@code where} (on the table's columns) holds, as {@code columns} (of the table's
   * columns): every row of a read without a late row (its only one), and the greatest late version of each other.
   */
  private String current(String columns, String where) {
    String layerIs = "Layer = '" + layer.viewName() + "'";
    String late = "SELECT ReadId FROM " + TABLE + " WHERE " + layerIs + " AND Late";
    return "SELECT " + columns + " FROM " + TABLE + " WHERE " + layerIs + " AND NOT Late AND ReadId NOT IN (" + late
        + ")" + (where.isEmpty() ? "" : " AND " + where) + " UNION ALL SELECT " + columns + " FROM (SELECT * FROM "
        + TABLE + " WHERE " + layerIs + " AND Late ORDER BY Version DESC LIMIT 1 BY ReadId)"
        + (where.isEmpty() ? "" : " WHERE " + where);
  }

  /** Per namespace: reads, their writers seen and not, and the percentiles of value age over the aged reads. */
  String ages() {
    return "SELECT namespace, reads, writer_seen, writer_not_in_store, writer_compressed, "
        + "if(aged = 0, NULL, round(q[1], 3)) AS age_p50_ms, if(aged = 0, NULL, round(q[2], 3)) AS age_p99_ms FROM ("
        + "SELECT coalesce(namespace, '(none)') AS namespace, count() AS reads, count(age) AS writer_seen, "
        + "countIf(age IS NULL) AS writer_not_in_store, toUInt64(0) AS writer_compressed, countIf(is_aged) AS aged, "
        // both percentiles from one state of the ages (126-132 ms for the lineage statement at 10M spans with two
        // states of the Redis layer's 2.5M reads, 117-123 ms with one, the same rows)
        + "quantilesExactInclusiveIf(0.5, 0.99)(age / 1000.0, is_aged) AS q FROM (" + current("CAST(Namespace AS Nullable(String)) AS namespace, Age AS age, Aged AS is_aged", "")
        + ") GROUP BY namespace)";
  }

  /** Per namespace, the reads that found nothing after a write, by why ({@link NoticedMissRows}). */
  String misses() {
    return "SELECT coalesce(namespace, '(none)') AS namespace, countIf(miss = 'expired') AS expired, "
        + "countIf(miss = 'evicted') AS evicted, countIf(miss = 'deleted') AS after_delete, "
        + "countIf(miss = 'unknown') AS unknown FROM " + NoticedMissRows.of(missRows()) + " GROUP BY namespace";
  }

  /** The last {@code limit} reads that found nothing after a write that expired or was evicted. */
  String latest(int limit) {
    return "SELECT key, namespace, miss, " + ClickHouseReport.time("read_time_us") + " AS read_time, "
        + "round(age / 1000.0, 3) AS written_ms_before, write_ttl AS ttl_s, read_trace_id, write_trace_id, "
        + "read_span_id, read_time_us FROM " + NoticedMissRows.of(missRows())
        + " WHERE miss IN ('expired', 'evicted', 'unknown') ORDER BY read_time_us DESC, key, read_trace_id LIMIT " + limit;
  }

  /** The reads that found nothing, with the columns {@link NoticedMissRows} and the queries above read. */
  private String missRows() {
    return "(" + current("toString(Layer) AS read_layer, Place AS place, Key AS key, CAST(Namespace AS "
        + "Nullable(String)) AS namespace, Time AS read_time_us, WriteEnd AS write_time_us, " + Lineage.MISS
        + " AS miss, TraceId AS read_trace_id, SpanId AS read_span_id, Age AS age, WriteTtl AS write_ttl, "
        + "WriteTraceId AS write_trace_id", "Found = false") + ")";
  }

  /** The last {@code limit} stale reads ({@code Stale}), as {@code columns} of {@link Lineage#keptRows}. */
  String stale(List<String> columns, int limit) {
    return "SELECT " + String.join(", ", columns) + " FROM (" + current("Key AS key, CAST(Namespace AS "
        + "Nullable(String)) AS namespace, Found AS found, if(Age IS NOT NULL, 'seen', 'not_in_store') AS writer, "
        + "WriteTtl AS write_ttl, Age / 1000.0 AS value_age_ms, TraceId AS read_trace_id, Time AS read_time_us",
        "Stale") + ") ORDER BY read_time_us DESC, read_trace_id, key LIMIT " + limit;
  }
}
