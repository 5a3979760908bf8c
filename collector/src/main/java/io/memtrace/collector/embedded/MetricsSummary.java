package io.memtrace.collector.embedded;

import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.reader.Layer;
import io.memtrace.collector.reader.Section;

/** Cache hit rate and error rate from spans, and memtrace's own health counters from received metrics. */
public final class MetricsSummary {

  public static final String HEALTH = "'memtrace.events.dropped', 'memtrace.events.exported', 'memtrace.export.failures', "
      + "'memory.cache.hits', 'memory.cache.misses', 'memory.operations', 'memory.operation.errors'";

  private MetricsSummary() {
  }

  /** @param from what the layer's spans are read from; null to read the counts kept ({@link ReportRollups}) */
  static Section cacheAndErrors(SqlSource source, Layer layer, String from, String since) {
    // the counts per layer, kept or counted, then the rates from them
    String counts = from == null ? "SELECT coalesce(sum(hits), 0)::BIGINT AS hits, coalesce(sum(misses), 0)::BIGINT "
        + "AS misses, coalesce(sum(found), 0)::BIGINT AS found, coalesce(sum(operations), 0)::BIGINT AS operations, "
        + "coalesce(sum(errors), 0)::BIGINT AS errors FROM " + RollupSql.LAYER_COUNTS.view() + " WHERE layer = '"
        + layer.viewName() + "'"
        : "SELECT count(*) FILTER (WHERE found) AS hits, count(*) FILTER (WHERE NOT found) AS misses, count(found) "
        + "AS found, count(*) AS operations, count(*) FILTER (WHERE status_code = 'ERROR') AS errors "
        + "FROM (SELECT memory_found AS found, status_code " + KeySql.layerSpans(layer, from, since) + ")";
    ResultTable table = source.query("SELECT hits, misses, round(hits / nullif(found, 0), 4) AS hit_rate, operations, "
        + "errors, round(errors / nullif(operations, 0), 4) AS error_rate FROM (" + counts + ")");
    return new Section("cache_and_errors", "Cache hit rate and error rate",
        "Hits and misses are reads that report memory.found.", table);
  }

  /**
   * Counters as last reported: the latest value of each cumulative series, or the sum of a delta
   * series, added up over services and attribute sets.
   */
  static Section health(SqlSource source) {
    ResultTable table = source.query("SELECT name, sum(v)::BIGINT AS value FROM (SELECT name, "
        + "CASE WHEN temporality = 'delta' THEN sum(value) ELSE arg_max(value, time) END AS v FROM metrics "
        + "WHERE name IN (" + HEALTH + ") GROUP BY name, service_name, attributes::VARCHAR, temporality) "
        + "GROUP BY name ORDER BY name");
    String note = table.size() == 0 ? "No memtrace metrics received (the agent sends them on /v1/metrics)." : null;
    return new Section("memtrace_health", "Counters from received metrics", note, table);
  }
}
