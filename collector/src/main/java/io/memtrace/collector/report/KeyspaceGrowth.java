package io.memtrace.collector.report;

import io.memtrace.collector.keyspace.GrowthRule;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import java.util.List;

/**
 * Growth and leaks from Redis's own keyspace (the {@code keyspace} table the watcher fills), beside
 * the span-based sections: per namespace the growth in bytes and keys a minute over the whole range
 * and its peak over {@code windows} equal windows, flagged against the {@link GrowthRule}; the
 * namespaces that grew while no span read them; and the keys without TTL that accumulate. Only
 * complete, fresh passes count: a pass cut short or carried over would look like shrinking.
 */
final class KeyspaceGrowth {

  private static final GrowthRule RULE = GrowthRule.defaults();

  private KeyspaceGrowth() {
  }

  static List<Section> sections(SqlSource source, String since, int windows) {
    long samples;
    try {
      samples = source.query("SELECT count(*) AS n FROM keyspace WHERE complete AND NOT stale"
          + since.replace("start_time", "time")).number(0, "n");
    } catch (RuntimeException e) {
      samples = 0; // a store from before the keyspace tables
    }
    if (samples == 0) {
      return List.of(new Section("keyspace_growth", "Growth in Redis's keyspace",
          "No keyspace samples in this store: run `serve --watch-redis redis://host:6379` (or `watch --redis URL "
              + "--data DIR`) to measure Redis's own keys, bytes and TTLs per namespace.",
          source.query("SELECT NULL AS namespace WHERE false")));
    }
    String ctes = "WITH s AS (SELECT * FROM keyspace WHERE complete AND NOT stale" + since.replace("start_time", "time")
        + "), bounds AS (SELECT min(time) AS t0, greatest(epoch(max(time) - min(time)), 1e-9) AS span FROM s), "
        + "w AS (SELECT s.*, least(" + (windows - 1) + ", floor(epoch(time - t0) / span * " + windows + "))::INT AS win "
        + "FROM s, bounds), "
        + "per_window AS (SELECT redis, db, namespace, win, (arg_max(bytes, time) - arg_min(bytes, time)) "
        + "/ nullif(epoch(max(time) - min(time)) / 60, 0) AS bpm, (arg_max(keys, time) - arg_min(keys, time)) "
        + "/ nullif(epoch(max(time) - min(time)) / 60, 0) AS kpm FROM w GROUP BY ALL), "
        + "peaks AS (SELECT redis, db, namespace, max(bpm) AS peak_bpm, max(kpm) AS peak_kpm FROM per_window GROUP BY ALL), "
        + "whole AS (SELECT redis, db, namespace, arg_max(layer, time) AS layer, arg_max(keys, time) AS keys, "
        + "arg_max(bytes, time) AS bytes, arg_max(bytes_error, time) AS bytes_error, count(*) AS samples, "
        + "min(time) AS first_time, max(time) AS last_time, epoch(max(time) - min(time)) / 60 AS minutes, "
        + "(arg_max(bytes, time) - arg_min(bytes, time)) / nullif(epoch(max(time) - min(time)) / 60, 0) AS bpm, "
        + "(arg_max(keys, time) - arg_min(keys, time)) / nullif(epoch(max(time) - min(time)) / 60, 0) AS kpm, "
        + "arg_min(keys_without_ttl, time) AS no_ttl_first, arg_max(keys_without_ttl, time) AS no_ttl_last "
        + "FROM s GROUP BY ALL) ";
    String rapid = "(coalesce(peak_bpm, 0) >= " + RULE.bytesPerMinute() + " OR coalesce(peak_kpm, 0) >= "
        + RULE.keysPerMinute() + ")";
    Section growth = new Section("keyspace_growth", "Growth in Redis's keyspace",
        "Per namespace, between the first and last complete pass; peak over " + windows + " equal windows; rapid from "
            + (long) RULE.bytesPerMinute() + " bytes or " + (long) RULE.keysPerMinute() + " keys a minute.",
        source.query(ctes + "SELECT whole.redis, whole.db, whole.namespace, layer, keys, bytes, bytes_error, samples, "
            + "round(minutes, 1) AS minutes, round(bpm, 1) AS bytes_per_min, round(kpm, 2) AS keys_per_min, "
            + "round(peak_bpm, 1) AS peak_bytes_per_min, " + rapid + " AS rapid FROM whole JOIN peaks USING (redis, db, namespace) "
            + "ORDER BY " + rapid + " DESC, bpm DESC NULLS LAST, keys DESC, namespace LIMIT " + ReportBuilder.LIST));
    Section unread = new Section("keyspace_unread_growth", "Growing and never read",
        "Namespaces whose bytes or keys grew while no span read them (a Redis read command or a memory retrieve or "
            + "search on that namespace, between the first and last pass).",
        source.query(ctes + ", reads AS (SELECT whole.redis, whole.db, whole.namespace, count(spans.span_id) AS reads "
            + "FROM whole LEFT JOIN spans ON spans.memory_namespace = whole.namespace AND spans.start_time BETWEEN "
            + "whole.first_time AND whole.last_time AND " + KeyOperations.sqlCase("upper(" + KeySql.operation() + ")")
            + " = 'read' GROUP BY ALL) SELECT whole.redis, whole.db, whole.namespace, layer, keys, bytes, "
            + "round(bpm, 1) AS bytes_per_min, round(kpm, 2) AS keys_per_min, reads FROM whole JOIN reads "
            + "USING (redis, db, namespace) WHERE reads = 0 AND (bpm > 0 OR kpm > 0) "
            + "ORDER BY bpm DESC NULLS LAST, namespace LIMIT " + ReportBuilder.LIST));
    Section noTtl = new Section("keyspace_no_ttl", "Keys without TTL accumulating",
        "Namespaces whose keys that never expire grew between the first and last complete pass.",
        source.query(ctes + "SELECT redis, db, namespace, layer, keys, no_ttl_first AS keys_without_ttl_first, "
            + "no_ttl_last AS keys_without_ttl, round((no_ttl_last - no_ttl_first) / nullif(minutes, 0), 2) "
            + "AS no_ttl_per_min FROM whole WHERE no_ttl_last > no_ttl_first "
            + "ORDER BY no_ttl_last - no_ttl_first DESC, namespace LIMIT " + ReportBuilder.LIST));
    return List.of(growth, unread, noTtl);
  }
}
