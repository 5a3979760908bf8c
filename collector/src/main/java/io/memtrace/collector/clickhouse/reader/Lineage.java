package io.memtrace.collector.clickhouse.reader;

import io.memtrace.collector.clickhouse.LineageEvents;
import io.memtrace.collector.clickhouse.LineageRows;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.reader.Layer;
import java.util.List;

/**
 * Lineage in ClickHouse: each read joined to the last write or delete of its place (the memory store and key, or the
 * Redis, database and key) that ended before the read began, with {@code ASOF LEFT JOIN}, as the embedded store's
 * {@code lineage} view does; the writes asked are those of the reads' places only, which on a cluster sharded by key
 * are on the reads' shard. The compressed counts of retention make a read's writer uncertain in the same way.
 * The rows have the {@code lineage} view's columns, times in microseconds.
 */
final class Lineage {

  private final SqlSource source;

  Lineage(SqlSource source) {
    this.source = source;
  }

  /**
   * The key events of both layers among the typed spans {@code where} selects (on otel_traces'
   * columns, {@code s}), as {@link LineageEvents} derives them.
   */
  String events(long sinceMicros, String where) {
    return LineageEvents.select(TypedSpans.from(sinceMicros, where, LineageEvents.SPAN_COLUMNS));
  }

  /** Past this many spans naming a trace's keys, they are found by a subquery rather than listed. */
  static final int LISTED_SPANS = 10_000;

  /**
   * The lineage view's rows of the reads of the traces {@code traceIds} of the keys {@code keys}: over the spans that
   * name one of those keys only, found in {@code memtrace_ops} (ordered by key) and then in {@code otel_traces} by
   * their trace and span ids, not by reading every span's attributes.
   */
  String traceRows(java.util.Collection<String> traceIds, java.util.Collection<String> keys) {
    String ops = "SELECT DISTINCT TraceId, SpanId FROM memtrace_ops WHERE Key IN ("
        + keys.stream().map(ClickHouseTraces::literal).collect(java.util.stream.Collectors.joining(", ")) + ")";
    ResultTable named = source.query(ops + " LIMIT " + (LISTED_SPANS + 1));
    String spans;
    if (named.size() > LISTED_SPANS) {
      spans = "(s.TraceId, s.SpanId) IN (" + ops + ")";
    } else if (named.size() == 0) {
      spans = "false";
    } else {
      java.util.Set<String> ids = new java.util.TreeSet<>();
      java.util.List<String> pairs = new java.util.ArrayList<>();
      for (int i = 0; i < named.size(); i++) {
        ids.add(ClickHouseTraces.literal(named.text(i, "TraceId")));
        pairs.add("(" + ClickHouseTraces.literal(named.text(i, "TraceId")) + ", "
            + ClickHouseTraces.literal(named.text(i, "SpanId")) + ")");
      }
      spans = "s.TraceId IN (" + String.join(", ", ids) + ") AND (s.TraceId, s.SpanId) IN (" + String.join(", ", pairs)
          + ")";
    }
    String reads = "trace_id IN (" + traceIds.stream().map(ClickHouseTraces::literal)
        .collect(java.util.stream.Collectors.joining(", ")) + ")";
    boolean retention = source.query(RETENTION_CARRIERS).size() > 0;
    return rows(0, spans, reads, retention, named.size() <= LISTED_SPANS);
  }

  /**
   * Whether the {@code memtrace.compressed} event {@code event} (its attributes' map) may hide a command: not when every
   * command of its count went out as a key event as well ({@code memtrace.compressed.key_events}, ADR 0004), each of
   * them then stored as its span (the embedded store's {@code CompressedWrites#counts}). Unless {@code batchesRead}, a
   * compressed pipeline's or transaction's always may: lineage here reads no batch span's
   * {@code memtrace.batch.command} events (kept or from key events) yet, so its reads stay {@code compressed} rather
   * than {@code not_in_store}.
   */
  static String hidesWrites(String event, boolean batchesRead) {
    return "(toInt64OrZero(" + event + "['memtrace.compressed.key_events']) < ifNull(toInt64OrNull(" + event
        + "['memtrace.compressed.count']), 1)" + (batchesRead ? "" : " OR match(upper(" + event
        + "['db.operation.name']), '^(PIPELINE|MULTI)')") + ")";
  }

  /**
   * Whether the store has a span that may carry retention's compressed counts (a superset of the carriers, read from
   * one narrow column): without one, no read's writer is uncertain, and the lineage statement leaves out retention's
   * coverage, which is most of the cost of planning it.
   */
  static final String RETENTION_CARRIERS =
      "SELECT 1 AS carrier FROM otel_traces WHERE memtrace_compressed_count IS NOT NULL LIMIT 1";

  /**
   * The lineage view's rows of the reads {@code readWhere} selects (a condition on the events), over the events of
   * the spans {@code spanWhere} selects; with retention's coverage only if {@code retention} (no carrier, no read
   * covered), and the events {@code materialized}: ClickHouse then plans them once rather than at each of their three
   * uses, which suits a few spans' events (a trace's keys'), not a whole layer's.
   */
  private String rows(long sinceMicros, String spanWhere, String readWhere, boolean retention, boolean materialized) {
    return rows(sinceMicros, spanWhere, readWhere, retention, materialized, "", false);
  }

  /**
   * {@link #rows(long, String, String, boolean, boolean)}, the writes limited by {@code writeWhere} too; if
   * {@code narrow}, without the columns the report's sections do not show (a read's service, span name, operation,
   * Redis and database; a write's span id, service and span name: NULL), which a join carries for every read, and
   * with the read's {@code place} last, by which the report's misses find their key's notifications.
   */
  private String rows(long sinceMicros, String spanWhere, String readWhere, boolean retention, boolean materialized,
      String writeWhere, boolean narrow) {
    String events = events(sinceMicros, spanWhere);
    String reads = "(SELECT * FROM ev WHERE access = 'read' AND key IS NOT NULL" + (readWhere.isEmpty() ? ""
        : " AND (" + readWhere + ")") + ")";
    String none = "CAST(NULL AS Nullable(String))";
    String writes = "(SELECT place, end_us AS w_end, trace_id AS w_trace_id, " + (narrow ? none + " AS w_span_id, "
        + none + " AS w_service, " + none + " AS w_name" : "span_id AS w_span_id, service_name AS w_service, "
        + "name AS w_name") + ", access AS w_access, ttl AS w_ttl FROM ev "
        // no filter on the reads' places: the join matches places, and ClickHouse would compute the events again for it
        + "WHERE access IN ('write', 'delete') AND status_code != 'ERROR'" + (writeWhere.isEmpty() ? ""
        : " AND (" + writeWhere + ")") + ")";
    // the spans that carry retention's counts have its event: that narrow column is read first, the attributes after
    String carriers = "(SELECT ev.1 AS n, ev.2 AS e, start_us, end_us FROM "
        + TypedSpans.from(0, "has(s.`Events.Name`, 'memtrace.compressed')", List.of("start_us", "end_us",
            "memtrace_compressed_count", "event_names", "event_attributes"))
        + " ARRAY JOIN arrayZip(event_names, event_attributes) AS ev WHERE memtrace_compressed_count IS NOT NULL)";
    String command = "replaceRegexpOne(upper(e['db.operation.name']), '^(PIPELINE|MULTI) ', '')";
    String possible = "(SELECT start_us, end_us, e['memory.namespace'] AS namespace, namespace = '_OTHER' AS anywhere "
        + "FROM " + carriers + " WHERE n = 'memtrace.compressed' AND " + hidesWrites("e", false) + " AND ("
        + LineageEvents.access(command) + " IN ('write', 'delete') OR "
        + command + " IN ('PIPELINE', 'MULTI', '_OTHER')))";
    String readNamespaces = "(SELECT DISTINCT coalesce(namespace, '') AS namespace FROM " + reads
        + " WHERE layer = 'redis')";
    // a named namespace's counts join its reads alone; a count under _OTHER is repeated for each namespace read
    String placed = "(SELECT namespace, start_us, end_us FROM " + possible + " WHERE NOT anywhere "
        + "UNION ALL SELECT n.namespace, p.start_us, p.end_us FROM " + possible + " AS p CROSS JOIN "
        + readNamespaces + " AS n WHERE p.anywhere)";
    String compressed = "(SELECT namespace, start_us, max(end_us) OVER (PARTITION BY namespace ORDER BY start_us ROWS "
        + "UNBOUNDED PRECEDING) AS covered_until FROM " + placed + ")";
    String joined = "SELECT r.*, w.w_end, w.w_trace_id, w.w_span_id, w.w_service, w.w_name, w.w_access, w.w_ttl, "
        + "r.layer = 'redis' AND coalesce(r.covered_until > coalesce(w.w_end, -1), false) AS compressed "
        + "FROM (" + (retention ? "SELECT r.*, m.covered_until FROM " + reads + " AS r ASOF LEFT JOIN " + compressed
        + " AS m ON coalesce(r.namespace, '') = m.namespace AND r.time_us >= m.start_us"
        : "SELECT r.*, CAST(NULL AS Nullable(Int64)) AS covered_until FROM " + reads + " AS r") + ") AS r "
        + "ASOF LEFT JOIN " + writes + " AS w ON r.place = w.place AND r.time_us >= w.w_end";
    String seen = "(w_end IS NOT NULL AND NOT compressed)";
    return "WITH ev AS " + (materialized ? "MATERIALIZED " : "") + events + " SELECT trace_id AS read_trace_id, span_id AS read_span_id, "
        + (narrow ? "" : "service_name AS read_service, name AS read_name, ") + "layer AS read_layer, "
        + (narrow ? "" : "operation AS read_operation, ") + "time_us AS read_time_us, status_code AS read_status_code, "
        + (narrow ? "" : "redis, db, ") + "key, namespace, found, "
        + "if(" + seen + ", w_trace_id, NULL) AS write_trace_id, if(" + seen + ", w_span_id, NULL) AS write_span_id, "
        + "if(" + seen + ", w_service, NULL) AS write_service, if(" + seen + ", w_name, NULL) AS write_name, "
        + "if(" + seen + ", w_access, NULL) AS write_access, if(" + seen + ", w_end, NULL) AS write_time_us, "
        + "if(" + seen + ", (time_us - w_end) / 1000.0, NULL) AS value_age_ms, "
        + "multiIf(compressed, 'compressed', w_end IS NULL, 'not_in_store', 'seen') AS writer, "
        + "if(" + seen + ", w_ttl, NULL) AS write_ttl, "
        + "multiIf(NOT (found = false) OR found IS NULL OR NOT " + seen + ", NULL, w_access = 'delete', 'deleted', "
        + "w_ttl > 0 AND w_end + w_ttl * 1000000 <= time_us AND place NOT IN " + TTL_PLACES + ", 'expired', "
        + "'unknown') AS miss" + (narrow ? ", place" : "") + " "
        + "FROM (" + joined + ") SETTINGS join_use_nulls = 1" + (materialized ? ", enable_materialized_cte = 1" : "");
  }

  /**
   * The lineage rows of the layer's reads (retention's coverage only where a span may carry its counts), over the
   * writes of that layer (a read's place is of its layer, so the others' writes would never join), with the columns
   * the report reads.
   */
  String layerRows(Layer layer, long since) {
    if (keptFor(since)) {
      return keptRows(layer);
    }
    return joinedRows(layer, since, retention());
  }

  /** Whether {@link #layerRows} from {@code since} are the kept lineage's ({@link #keptRows}). */
  boolean keptFor(long since) {
    return since == 0 && !retention() && kept();
  }

  /** {@link #layerRows}' rows joined from the spans, with retention's coverage if {@code retention}. */
  String joinedRows(Layer layer, long since, boolean retention) {
    return rows(since, "", "layer = '" + layer.viewName() + "'", retention, false, "layer = '" + layer.viewName()
        + "'", true);
  }

  /**
   * {@link #layerRows}' columns read from {@code memtrace_lineage}, where the views kept each read's writer as the
   * spans arrived ({@link LineageRows}): the same rows as the join over the whole store, without retention's
   * coverage (asked only where no span carries its counts) and without a start (a writer that began before
   * {@code since} is one the join with {@code since} would not see, so a report from a start still joins). The layer's
   * places are a range of the table's sorting key, so {@code FINAL} reads and merges that range only (the whole table
   * took twice the CPU at 10M spans); and the place and the row's kind, of the sorting key, are the same in each version
   * of a row, so they filter the rows before {@code FINAL} merges them ({@code PREWHERE}): the writes are not merged.
   */
  String keptRows(Layer layer) {
    String none = "CAST(NULL AS Nullable(String))";
    String seen = "WriteEnd IS NOT NULL";
    return "SELECT TraceId AS read_trace_id, SpanId AS read_span_id, toString(Layer) AS read_layer, "
        + "Time AS read_time_us, toString(StatusCode) AS read_status_code, Key AS key, Namespace AS namespace, "
        + "Found AS found, WriteTraceId AS write_trace_id, " + none + " AS write_span_id, " + none + " AS write_service, "
        + none + " AS write_name, toString(WriteAccess) AS write_access, WriteEnd AS write_time_us, "
        + "(Time - WriteEnd) / 1000.0 AS value_age_ms, if(" + seen + ", 'seen', 'not_in_store') AS writer, "
        + "WriteTtl AS write_ttl, " + MISS + " AS miss, Place AS place FROM " + LineageRows.TABLE + " FINAL PREWHERE " + LineageEvents.inLayer("Place", layer)
        + " AND Row = 'read' WHERE Layer = '" + layer.viewName() + "'";
  }

  /**
   * Why a read of the kept lineage (its columns) found nothing after a write, as far as lineage alone knows: the
   * write was a delete, or the TTL it set ran out before the read and no traced command changed it, or else unknown;
   * NULL for a read that found something or had no writer.
   */
  static final String MISS = "multiIf(NOT (Found = false) OR Found IS NULL OR WriteEnd IS NULL, NULL, "
      + "WriteAccess = 'delete', 'deleted', WriteTtl > 0 AND WriteEnd + WriteTtl * 1000000 <= Time AND Place NOT IN "
      + Lineage.TTL_PLACES + ", 'expired', 'unknown')";

  /**
   * The places of the Redis keys whose TTL a traced command (the EXPIRE family, PERSIST) changed, as the lineage
   * events name them: a read of one says {@code expired} only from a timeline, which follows the commands, as the
   * embedded store's {@code LineageViews#TTL_CHANGED}. One set built once, from {@code memtrace_ops}.
   */
  static final String TTL_PLACES = "(SELECT concat('" + LineageEvents.placePrefix(Layer.REDIS)
      + "', splitByChar('/', Store)[1], '|', toString(toInt32OrZero(splitByChar('/', Store)[2])), '|', Key) "
      + "FROM memtrace_ops WHERE Store != '' AND upper(Operation) IN (" + io.memtrace.collector.timeline.KeyRecord
      .TTL_COMMANDS.stream().sorted().map(c -> "'" + c + "'").collect(java.util.stream.Collectors.joining(", "))
      + "))";

  private Boolean kept;

  /** Whether the store has {@code memtrace_lineage}: a row if it has. */
  static final String KEPT = "SELECT 1 AS kept FROM system.tables WHERE database = currentDatabase() AND name = '"
      + LineageRows.TABLE + "'";

  /** Whether the store has {@code memtrace_lineage} (a schema of an earlier memtrace has not, until init runs). */
  boolean kept() {
    if (kept == null) {
      kept = source.query(KEPT).size() > 0;
    }
    return kept;
  }

  private Boolean retention;

  /** Whether a span of the store may carry retention's counts ({@link #RETENTION_CARRIERS}), asked once. */
  private boolean retention() {
    if (retention == null) {
      retention = source.query(RETENTION_CARRIERS).size() > 0;
    }
    return retention;
  }
}
