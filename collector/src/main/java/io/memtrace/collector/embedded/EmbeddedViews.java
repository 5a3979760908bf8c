package io.memtrace.collector.embedded;

import io.memtrace.collector.lineage.LineageViews;
import io.memtrace.collector.lineage.TraceLineage;
import io.memtrace.collector.query.RecordingSource;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.reader.Layer;
import io.memtrace.collector.reader.ViewAnswer;
import io.memtrace.collector.reader.ViewQuestion;
import io.memtrace.collector.timeline.MissCauses;
import java.time.Instant;

/**
 * The web view's questions in DuckDB SQL over the embedded store's views ({@code spans}, {@code lineage},
 * {@code keyspace}, {@code metrics}), with the typed columns the store keeps beside each span.
 */
final class EmbeddedViews {

  /**
   * The {@code lineage} rows of one read, as a relation: over the kept events, named for that read alone
   * ({@link TraceLineage#keptRelation}); else the view's.
   */
  private static String readLineage(SqlSource source, String trace, String span, long startMicros) {
    if (LineageViews.kept(source)) {
      return "(" + TraceLineage.keptRelation(source, startMicros, startMicros, "(SELECT '" + trace + "' AS t, '" + span
          + "' AS s)") + ")";
    }
    return "lineage WHERE read_trace_id = '" + trace + "' AND read_span_id = '" + span + "'\n  AND read_time = "
        + "make_timestamp(" + startMicros + ")";
  }

  private static final int HEAT_COLUMNS = 60;
  private static final int HEAT_NAMESPACES = 15;
  private static final int FIRST_SEEN_BUCKETS = 40;
  private static final int HISTORY = 500;

  private EmbeddedViews() {
  }

  static ViewAnswer answer(SqlSource store, ViewQuestion q, Instant now) {
    // the pages' statements are the collector's own, their ids checked as hex and their names quoted as literals
    RecordingSource source = new RecordingSource(store, true);
    ResultTable table = switch (q.kind()) {
      case TRACES -> new TraceList(source, q, now).page();
      case CHOICES -> source.query(CHOICES);
      case TRACE -> source.query(trace(q.id("trace")));
      case TRACE_FACTS -> source.query(facts(q.id("trace"), q.requiredNumber("from"), q.requiredNumber("to")));
      case SPAN -> source.query("SELECT service_name, status_code, status_message, attributes, events, "
          + "resource_attributes, scope_name, trace_state\nFROM spans WHERE trace_id = '" + q.id("trace")
          + "' AND span_id = '" + q.id("span") + "'\n  AND start_time = make_timestamp(" + q.requiredNumber("start") + ")");
      case READ_LINEAGE -> MissCauses.withCause(source.query("SELECT write_trace_id, write_span_id, write_service, "
          + "write_name, write_access, epoch_us(write_time) AS write_us,\n  value_age_ms, writer, found, key, miss\nFROM "
          + readLineage(source, q.id("trace"), q.id("span"), q.requiredNumber("start"))), q.id("trace"), q.id("span"),
          request -> TimelineQueries.timeline(store, request));
      case KEYSPACE_NEAR -> source.query(keyspaceNear(q.requiredNumber("from"), q.requiredNumber("to")));
      case LAYER -> source.query("SELECT count(*) AS n FROM (SELECT 1 FROM spans WHERE memory_operation IS NOT NULL "
          + "AND memory_key IS NOT NULL LIMIT 1)");
      case HEAT -> source.query(heat(q.layer(), since("start_time", q.sinceMicros(now))));
      case KEY_HISTORY -> source.query("SELECT epoch_us(start_time) AS start_us, trace_id, span_id, service_name, name,\n"
          + "  coalesce(memory_operation, db_operation_name) AS operation, memory_found AS found,\n"
          + "  memory_value_size AS size, memory_ttl AS ttl, duration_ms, status_code, status_message\n"
          + "FROM spans WHERE memory_key = " + TraceQueries.literal(q.required("key")) + "\n"
          + "ORDER BY start_time DESC, span_id LIMIT " + HISTORY);
      case SAMPLES -> source.query("SELECT count(*) AS n FROM keyspace");
      case GAUGES -> gauges(source);
      case KEYSPACE_SERIES -> source.query("SELECT epoch_us(time) AS t, namespace, sum(bytes) AS bytes, sum(keys) AS keys\n"
          + "FROM keyspace WHERE true" + since("time", q.sinceMicros(now)) + "\nGROUP BY time, namespace ORDER BY time, namespace");
      case KEYSPACE_GROWTH -> source.query(growth(since("time", q.sinceMicros(now))));
      case FIRST_SEEN -> source.query(firstSeen(q.layer(), since("start_time", q.sinceMicros(now))));
      case COUNTERS -> source.query(counters());
    };
    return new ViewAnswer(table, source.statements());
  }

  private static String since(String column, Long micros) {
    return micros == null ? "" : " AND " + column + " >= make_timestamp(" + micros + ")";
  }

  private static String layer(Layer layer) {
    return layer == Layer.MEMORY ? "memory_operation IS NOT NULL" : "(db_system_name IS NOT NULL OR db_system IS NOT NULL)";
  }

  static final String CHOICES = "SELECT 'service' AS kind, service_name AS value FROM (SELECT DISTINCT service_name "
      + "FROM spans WHERE service_name IS NOT NULL)\nUNION ALL SELECT 'name', name FROM (SELECT name, count(*) AS n "
      + "FROM spans GROUP BY name ORDER BY n DESC, name LIMIT 200)\nUNION ALL SELECT 'namespace', memory_namespace FROM "
      + "(SELECT memory_namespace, count(*) AS n FROM spans WHERE memory_namespace IS NOT NULL GROUP BY 1 "
      + "ORDER BY n DESC, 1 LIMIT 200)";

  private static String trace(String id) {
    return "SELECT span_id, parent_span_id, name, epoch_us(start_time) AS start_us, duration_ms,\n"
        + "  CASE WHEN db_system_name IS NOT NULL OR db_system IS NOT NULL THEN 'redis'\n"
        + "    WHEN memory_operation IS NOT NULL THEN 'memory'\n"
        + "    WHEN gen_ai_operation_name IN ('chat', 'text_completion', 'generate_content') THEN 'model' ELSE 'task' END "
        + "AS kind,\n  memory_key, memory_key IS NULL AND coalesce(contains(memtrace_unknown, 'memory.key'), false) "
        + "AS key_unknown,\n  CASE WHEN status_code = 'ERROR' THEN coalesce(status_message, '') END AS error,\n"
        + "  memtrace_compressed_count, CASE WHEN memtrace_compressed_count IS NOT NULL THEN events END AS "
        + "compressed_events\nFROM spans WHERE trace_id = '" + id + "'\nORDER BY start_time, span_id";
  }

  private static String facts(String id, long from, long to) {
    String where = " FROM spans WHERE trace_id = '" + id + "' AND start_time BETWEEN make_timestamp(" + from
        + ") AND make_timestamp(" + to + ")";
    return "SELECT DISTINCT 'service' AS kind, service_name AS value" + where + " AND service_name IS NOT NULL\n"
        + "UNION SELECT DISTINCT 'namespace', memory_namespace" + where + " AND memory_namespace IS NOT NULL\n"
        + "ORDER BY kind, value";
  }

  private static String keyspaceNear(long startUs, long endUs) {
    return "SELECT redis, db, namespace, arg_max(keys, time) AS keys, arg_max(keys_error, time) AS keys_error,\n"
        + "  arg_max(sampled, time) AS estimated, arg_max(bytes, time) AS bytes,\n"
        + "  arg_max(bytes_error, time) AS bytes_error, arg_max(keys_without_ttl, time) AS keys_without_ttl,\n"
        + "  epoch_us(max(time)) AS sampled_us\nFROM keyspace\nWHERE time <= make_timestamp(" + endUs + ") AND time >= "
        + "make_timestamp(" + startUs + ") - INTERVAL 1 HOUR\nGROUP BY redis, db, namespace\n"
        + "ORDER BY bytes DESC NULLS LAST, namespace LIMIT 50";
  }

  private static String heat(Layer layer, String since) {
    return "WITH ops AS (\n  SELECT coalesce(memory_namespace, '') AS namespace, epoch_us(start_time) AS t FROM spans\n"
        + "  WHERE memory_key IS NOT NULL AND " + layer(layer) + since + "),\n"
        + "bounds AS (SELECT min(t) AS t0, max(t) + 1 AS t1 FROM ops),\n"
        + "top AS (SELECT namespace, count(*) AS total FROM ops GROUP BY namespace ORDER BY total DESC, namespace LIMIT "
        + HEAT_NAMESPACES + ")\nSELECT o.namespace, least(" + (HEAT_COLUMNS - 1) + ", floor((o.t - b.t0) * "
        + HEAT_COLUMNS + " / (b.t1 - b.t0)))::INTEGER AS bucket,\n"
        + "  count(*) AS ops, any_value(b.t0) AS t0, any_value(b.t1) AS t1, any_value(top.total) AS total\n"
        + "FROM ops o JOIN top USING (namespace) CROSS JOIN bounds b\n"
        + "GROUP BY o.namespace, bucket ORDER BY total DESC, o.namespace, bucket";
  }

  private static ResultTable gauges(SqlSource source) {
    boolean watched = source.query("SELECT count(*) AS n FROM keyspace").number(0, "n") > 0;
    return source.query(watched
        ? "WITH latest AS (SELECT redis, db, max(time) AS time FROM keyspace GROUP BY redis, db)\n"
            + "SELECT layer, sum(bytes) AS bytes, sum(keys) AS records, max(k.time)::VARCHAR AS sampled_at, "
            + "bool_or(sampled) AS estimated, true AS watched\nFROM keyspace k JOIN latest USING (redis, db, time)\n"
            + "WHERE layer IN ('session', 'cache', 'deep') GROUP BY layer ORDER BY layer"
        : "WITH last AS (\n  SELECT attributes['memory.layer']::VARCHAR AS layer,\n"
            + "    coalesce(memory_key, CASE WHEN memory_operation = 'store' THEN span_id END) AS record,\n"
            + "    arg_max_null(memory_value_size, start_time) AS size\n"
            + "  FROM spans WHERE memory_operation IS NOT NULL AND attributes['memory.layer'] IS NOT NULL\n"
            + "  GROUP BY 1, 2)\nSELECT layer, sum(size) AS bytes, count(*) FILTER (WHERE size IS NOT NULL) AS records, "
            + "NULL::VARCHAR AS sampled_at, false AS estimated, false AS watched\n"
            + "FROM last WHERE record IS NOT NULL AND layer IN ('session', 'cache', 'deep') GROUP BY layer ORDER BY layer");
  }

  private static String growth(String since) {
    String change = "(arg_max(%1$s, time) - arg_min(%1$s, time))";
    String within = "abs" + change + " <= sqrt(arg_max(%2$s, time) ^ 2 + arg_min(%2$s, time) ^ 2)\n"
        + "    AND (arg_max(%2$s, time) > 0 OR arg_min(%2$s, time) > 0)";
    String perHour = change + " * 3600 / nullif(epoch(max(time)) - epoch(min(time)), 0)";
    return "WITH s AS (\n  SELECT time, namespace, sum(bytes) AS bytes, sum(keys) AS keys, sum(keys_without_ttl) AS no_ttl,\n"
        + "    sqrt(sum(coalesce(bytes_error, 0) ^ 2)) AS bytes_error, sqrt(sum(coalesce(keys_error, 0) ^ 2)) AS keys_error,\n"
        + "    bool_or(sampled) AS estimated\n  FROM keyspace WHERE true" + since + " GROUP BY time, namespace)\n"
        + "SELECT namespace, arg_max(bytes, time) AS bytes, arg_max(bytes_error, time) AS bytes_error, "
        + "arg_max(keys, time) AS keys,\n  arg_max(keys_error, time) AS keys_error, arg_max(estimated, time) AS "
        + "estimated, arg_max(no_ttl, time) AS keys_without_ttl,\n  "
        + String.format(within, "bytes", "bytes_error") + " AS bytes_within_bounds,\n  "
        + String.format(within, "keys", "keys_error") + " AS keys_within_bounds,\n  "
        + String.format(perHour, "bytes") + " AS bytes_per_hour,\n  " + String.format(perHour, "keys")
        + " AS keys_per_hour\nFROM s GROUP BY namespace ORDER BY bytes DESC NULLS LAST, namespace";
  }

  private static String firstSeen(Layer layer, String since) {
    int n = FIRST_SEEN_BUCKETS;
    return "WITH first AS (\n  SELECT coalesce(memory_namespace, '') AS namespace, memory_key, epoch_us(min(start_time)) "
        + "AS t FROM spans\n  WHERE memory_key IS NOT NULL AND " + layer(layer) + since + " GROUP BY 1, 2),\n"
        + "b AS (SELECT min(t) AS t0, max(t) + 1 AS t1 FROM first)\n"
        + "SELECT namespace, (b.t0 + (least(" + (n - 1) + ", floor((t - b.t0) * " + n + " / (b.t1 - b.t0))) + 1) * "
        + "(b.t1 - b.t0) / " + n + ")::BIGINT AS t,\n  count(*) AS keys\n"
        + "FROM first CROSS JOIN b GROUP BY ALL ORDER BY t, namespace";
  }

  private static String counters() {
    return "SELECT service_name, name, sum(v)::BIGINT AS value FROM (\n  SELECT service_name, name,\n"
        + "    CASE WHEN temporality = 'delta' THEN sum(value) ELSE arg_max(value, time) END AS v\n"
        + "  FROM metrics WHERE name IN (" + ViewQuestion.COUNTER_NAMES + ")\n"
        + "  GROUP BY service_name, name, attributes::VARCHAR, temporality)\n"
        + "GROUP BY service_name, name ORDER BY service_name, name";
  }
}
