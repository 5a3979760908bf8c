package io.memtrace.collector.embedded;

import io.memtrace.collector.keyspace.GrowthRule;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.reader.Section;
import io.memtrace.collector.report.KeyOperations;
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

  /** Change a minute of {@code figure} from the first to the last row of a group. */
  private static String change(String figure) {
    return "(arg_max(" + figure + ", time) - arg_min(" + figure + ", time)) / nullif(epoch(max(time) - min(time)) / 60, 0)";
  }

  /**
   * The least change a minute the two rows' bounds allow: the change less the bound of a difference
   * (the root of the sum of the squares of the two bounds, which are standard errors times the same factor).
   */
  private static String beyond(String figure, String error) {
    return "((arg_max(" + figure + ", time) - arg_min(" + figure + ", time)) - " + combined(error)
        + ") / nullif(epoch(max(time) - min(time)) / 60, 0)";
  }

  private static String combined(String error) {
    return "sqrt(coalesce(arg_max(" + error + ", time), 0) ^ 2 + coalesce(arg_min(" + error + ", time), 0) ^ 2)";
  }

  /** A store written before sampled passes lacks their columns (a read-only open does not add them). */
  private static String samplingColumns(SqlSource source) {
    try {
      source.query("SELECT keys_error, keys_without_ttl_error, sampled FROM keyspace LIMIT 0");
      return " REPLACE (coalesce(keys_error, 0) AS keys_error, coalesce(sampled, false) AS sampled)";
    } catch (RuntimeException e) {
      return ", 0 AS keys_error, NULL::BIGINT AS keys_without_ttl_error, false AS sampled";
    }
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
    String ctes = "WITH s AS (SELECT *" + samplingColumns(source) + " FROM keyspace WHERE complete AND NOT stale"
        + since.replace("start_time", "time") + "), bounds AS (SELECT min(time) AS t0, greatest(epoch(max(time) - "
        + "min(time)), 1e-9) AS span FROM s), "
        + "w AS (SELECT s.*, least(" + (windows - 1) + ", floor(epoch(time - t0) / span * " + windows + "))::INT AS win "
        + "FROM s, bounds), "
        + "per_window AS (SELECT redis, db, namespace, win, " + change("bytes") + " AS bpm, "
        + beyond("bytes", "bytes_error") + " AS bpm_low, " + change("keys") + " AS kpm, "
        + beyond("keys", "keys_error") + " AS kpm_low FROM w GROUP BY ALL), "
        + "peaks AS (SELECT redis, db, namespace, max(bpm) AS peak_bpm, max(bpm_low) AS peak_bpm_low, "
        + "max(kpm_low) AS peak_kpm_low FROM per_window GROUP BY ALL), "
        + "whole AS (SELECT redis, db, namespace, arg_max(layer, time) AS layer, arg_max(keys, time) AS keys, "
        + "arg_max(keys_error, time) AS keys_error, arg_max(bytes, time) AS bytes, arg_max(bytes_error, time) AS bytes_error, "
        + "bool_or(sampled) AS sampled, count(*) AS samples, "
        + "min(time) AS first_time, max(time) AS last_time, epoch(max(time) - min(time)) / 60 AS minutes, "
        + change("bytes") + " AS bpm, " + beyond("bytes", "bytes_error") + " AS bpm_low, "
        + change("keys") + " AS kpm, " + beyond("keys", "keys_error") + " AS kpm_low, "
        + "arg_min(keys_without_ttl, time) AS no_ttl_first, arg_max(keys_without_ttl, time) AS no_ttl_last, "
        + "(arg_max(keys_without_ttl, time) - arg_min(keys_without_ttl, time)) - " + combined("keys_without_ttl_error")
        + " AS no_ttl_growth_low FROM s GROUP BY ALL) ";
    String rapid = "(coalesce(peak_bpm_low, 0) >= " + RULE.bytesPerMinute() + " OR coalesce(peak_kpm_low, 0) >= "
        + RULE.keysPerMinute() + ")";
    Section growth = new Section("keyspace_growth", "Growth in Redis's keyspace",
        "Per namespace, between the first and last complete pass; peak over " + windows + " equal windows; rapid from "
            + (long) RULE.bytesPerMinute() + " bytes or " + (long) RULE.keysPerMinute() + " keys a minute beyond the "
            + "passes' error bounds (a sampled row's keys and bytes are estimates, ± keys_error and bytes_error).",
        source.query(ctes + "SELECT whole.redis, whole.db, whole.namespace, layer, sampled, keys, keys_error, bytes, "
            + "bytes_error, samples, round(minutes, 1) AS minutes, round(bpm, 1) AS bytes_per_min, round(kpm, 2) AS "
            + "keys_per_min, round(peak_bpm, 1) AS peak_bytes_per_min, " + rapid + " AS rapid FROM whole JOIN peaks "
            + "USING (redis, db, namespace) ORDER BY " + rapid + " DESC, bpm DESC NULLS LAST, keys DESC, namespace LIMIT "
            + ReportBuilder.LIST));
    Section unread = new Section("keyspace_unread_growth", "Growing and never read",
        "Namespaces whose bytes or keys grew (beyond the passes' error bounds) while no span read them (a Redis read "
            + "command or a memory retrieve or search on that namespace, between the first and last pass).",
        source.query(ctes + ", reads AS (SELECT whole.redis, whole.db, whole.namespace, count(spans.span_id) AS reads "
            + "FROM whole LEFT JOIN spans ON spans.memory_namespace = whole.namespace AND spans.start_time BETWEEN "
            + "whole.first_time AND whole.last_time AND " + KeyOperations.sqlCase("upper(" + KeySql.operation() + ")")
            + " = 'read' GROUP BY ALL) SELECT whole.redis, whole.db, whole.namespace, layer, sampled, keys, bytes, "
            + "round(bpm, 1) AS bytes_per_min, round(kpm, 2) AS keys_per_min, reads FROM whole JOIN reads "
            + "USING (redis, db, namespace) WHERE reads = 0 AND (bpm_low > 0 OR kpm_low > 0) "
            + "ORDER BY bpm DESC NULLS LAST, namespace LIMIT " + ReportBuilder.LIST));
    Section noTtl = new Section("keyspace_no_ttl", "Keys without TTL accumulating",
        "Namespaces whose keys that never expire grew between the first and last complete pass, beyond the passes' "
            + "error bounds.",
        source.query(ctes + "SELECT redis, db, namespace, layer, sampled, keys, no_ttl_first AS keys_without_ttl_first, "
            + "no_ttl_last AS keys_without_ttl, round((no_ttl_last - no_ttl_first) / nullif(minutes, 0), 2) "
            + "AS no_ttl_per_min FROM whole WHERE no_ttl_growth_low > 0 "
            + "ORDER BY no_ttl_last - no_ttl_first DESC, namespace LIMIT " + ReportBuilder.LIST));
    return List.of(growth, unread, noTtl);
  }
}
