package io.memtrace.collector.embedded;

import io.memtrace.collector.reader.Layer;
import io.memtrace.collector.store.MemoryConventions;
import java.util.List;

/**
 * What {@link ReportRollups} keeps, as SQL: for each rollup its table, the rows a set of spans gives it
 * ({@link Rollup#of}), and how rows of several sets combine into the rows of their union ({@link Rollup#merge}).
 * Every rollup answers a section of the report over the whole store exactly as the section's own query over the
 * spans does: counts and sums add up, minima and maxima carry over, and a first-ten list of the union is among the
 * first ten of each part.
 */
final class RollupSql {

  private RollupSql() {
  }

  /**
   * One rollup.
   *
   * @param table   the table kept beside {@code span_store}
   * @param view    the view of the table and the {@code span_ingest} tail together
   * @param columns the table's columns, with their types
   * @param of      the rows a relation of spans with the typed columns gives, in the table's columns ({@code {rows}})
   * @param merge   the rows of a relation of such rows, each combined once ({@code {rows}})
   */
  record Rollup(String table, String view, String columns, String of, String merge) {

    String of(String rows) {
      return of.replace("{rows}", rows);
    }

    String merge(String rows) {
      return merge.replace("{rows}", rows);
    }
  }

  /** The spans of {@code layer} among {@code rows}, as the report's sections read them ({@link SpanTable#of}). */
  static String layerRows(Layer layer, String rows) {
    return layer == Layer.MEMORY ? MemoryConventions.memorySpansSql(rows, true) + " AS spans" : rows;
  }

  /** {@code sql} (with {@code {layer}} for the layer's name and {@code {layer rows}} for its rows) for each layer, one relation. */
  private static String perLayer(String sql) {
    StringBuilder all = new StringBuilder();
    for (Layer layer : Layer.values()) {
      all.append(all.length() == 0 ? "" : " UNION ALL ").append("(").append(sql.replace("{layer}", layer.viewName())
          .replace("{layer rows}", layerRows(layer, "{rows}")).replace("{predicate}", KeySql.predicate(layer))).append(")");
    }
    return all.toString();
  }

  /** The slowest operations: each layer's first ten by duration (rounded as shown), then start. */
  static final Rollup SLOWEST = new Rollup("report_slowest_store", "report_slowest",
      "layer VARCHAR, key VARCHAR, namespace VARCHAR, operation VARCHAR, duration_ms DOUBLE, service_name VARCHAR, "
          + "start_time TIMESTAMP",
      perLayer("SELECT '{layer}' AS layer, memory_key AS key, memory_namespace AS namespace, " + KeySql.operation()
          + " AS operation, round(duration_ms, 3) AS duration_ms, service_name, start_time FROM {layer rows} WHERE {predicate} "
          + "ORDER BY duration_ms DESC, start_time LIMIT " + ReportBuilder.TOP),
      "SELECT * FROM {rows} QUALIFY row_number() OVER (PARTITION BY layer ORDER BY duration_ms DESC, start_time) <= "
          + ReportBuilder.TOP);

  /** The largest values written: each layer's first ten writes by size, then key. */
  static final Rollup LARGEST = new Rollup("report_largest_store", "report_largest",
      "layer VARCHAR, key VARCHAR, namespace VARCHAR, operation VARCHAR, size_bytes BIGINT",
      perLayer("SELECT * FROM (" + accessCtes() + " SELECT '{layer}' AS layer, key, namespace, op AS operation, "
          + "size AS size_bytes FROM keyed WHERE kind = 'write' AND size IS NOT NULL ORDER BY size DESC, key LIMIT "
          + ReportBuilder.TOP + ")"),
      "SELECT * FROM {rows} QUALIFY row_number() OVER (PARTITION BY layer ORDER BY size_bytes DESC, key) <= "
          + ReportBuilder.TOP);

  /** Each layer's operations, errors and reads that said whether they found a value. */
  static final Rollup LAYER_COUNTS = new Rollup("report_layer_count_store", "report_layer_counts",
      "layer VARCHAR, operations BIGINT, errors BIGINT, hits BIGINT, misses BIGINT, found BIGINT",
      perLayer("SELECT '{layer}' AS layer, count(*) AS operations, count(*) FILTER (WHERE status_code = 'ERROR') AS errors, "
          + "count(*) FILTER (WHERE memory_found) AS hits, count(*) FILTER (WHERE NOT memory_found) AS misses, "
          + "count(memory_found) AS found FROM {layer rows} WHERE {predicate}"),
      "SELECT layer, sum(operations)::BIGINT AS operations, sum(errors)::BIGINT AS errors, sum(hits)::BIGINT AS hits, "
          + "sum(misses)::BIGINT AS misses, sum(found)::BIGINT AS found FROM {rows} GROUP BY layer");

  /** Every span per service: the overview's counts and time range, and the spans retention compressed into them. */
  static final Rollup SERVICES = new Rollup("report_service_store", "report_services",
      "service_name VARCHAR, spans BIGINT, errors BIGINT, first_start TIMESTAMP, last_end TIMESTAMP, compressed BIGINT",
      "SELECT service_name, count(*) AS spans, count(*) FILTER (WHERE status_code = 'ERROR') AS errors, "
          + "min(start_time) AS first_start, max(end_time) AS last_end, "
          + "coalesce(sum(memtrace_compressed_count), 0)::BIGINT AS compressed FROM {rows} GROUP BY service_name",
      "SELECT service_name, sum(spans)::BIGINT AS spans, sum(errors)::BIGINT AS errors, min(first_start) AS first_start, "
          + "max(last_end) AS last_end, sum(compressed)::BIGINT AS compressed FROM {rows} GROUP BY service_name");

  /** What the agent's retention compressed, per command and namespace ({@link CompressedSpans}). */
  static final Rollup COMPRESSED = new Rollup("report_compressed_store", "report_compressed",
      "command VARCHAR, namespace VARCHAR, compressed BIGINT, total_ms DOUBLE",
      "SELECT " + CompressedSpans.eventColumns() + " FROM (SELECT unnest(CAST(events AS JSON[])) AS e FROM {rows} "
          + "WHERE memtrace_compressed_count IS NOT NULL) WHERE e->>'name' = '" + CompressedSpans.EVENT + "' GROUP BY 1, 2",
      "SELECT command, namespace, sum(compressed)::BIGINT AS compressed, sum(total_ms) AS total_ms FROM {rows} "
          + "GROUP BY command, namespace");

  /**
   * The overview's traces, exactly while there are few: every trace id up to {@link TraceCount#EXACT}, then a single
   * NULL row that says there were more (and stays, whatever is added), and {@link #TRACE_SKETCH} estimates them.
   */
  static final Rollup TRACE_IDS = new Rollup("report_trace_id_store", "report_trace_ids", "trace_id VARCHAR",
      "SELECT DISTINCT trace_id FROM {rows}",
      "WITH ids AS MATERIALIZED (SELECT DISTINCT trace_id FROM {rows}), n AS MATERIALIZED (SELECT count(*) > "
          + TraceCount.EXACT + " OR count(*) FILTER (WHERE trace_id IS NULL) > 0 AS more FROM ids) "
          + "SELECT trace_id FROM ids, n WHERE NOT more UNION ALL SELECT NULL AS trace_id FROM n WHERE more");

  /**
   * The overview's traces past {@link TraceCount#EXACT}: a HyperLogLog's registers, the highest rank per bucket of
   * the trace ids' hashes ({@link TraceCount#registers}); the registers of a union are the maxima of its parts'.
   */
  static final Rollup TRACE_SKETCH = new Rollup("report_trace_sketch_store", "report_trace_sketch",
      "bucket INTEGER, rank UTINYINT", TraceCount.registers("{rows}"),
      "SELECT bucket, max(rank)::UTINYINT AS rank FROM {rows} GROUP BY bucket");

  static final List<Rollup> ALL = List.of(SLOWEST, LARGEST, LAYER_COUNTS, SERVICES, COMPRESSED, TRACE_IDS, TRACE_SKETCH);

  /** {@link KeySql#accessCtes} over the layer's rows ({@code {layer rows}}), with the layer's predicate ({@code {predicate}}). */
  private static String accessCtes() {
    // accessCtes takes the layer's predicate from the layer: give it placeholders the caller fills in
    return KeySql.accessCtes(Layer.MEMORY, "{layer rows}", "").replace(KeySql.predicate(Layer.MEMORY), "{predicate}");
  }
}
