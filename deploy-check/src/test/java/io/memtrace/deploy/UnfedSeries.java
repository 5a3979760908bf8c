package io.memtrace.deploy;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the Compose stack, run for real by {@link StackIT}, cannot feed, each with why: one list of metric names, and
 * the dashboard panels derived from it (those whose every query names only metrics of the list), so the two cannot
 * drift apart. {@link MetricNamesIT} holds the names and labels against what the real collector exports.
 */
final class UnfedSeries {

  static final String NO_TENANT_RULE = "the demo's planner makes model calls, but the stack's collector has no"
      + " tenant rule (memory-state.tenant), without which it keeps no cross-tenant counter";

  static final String NO_HEALTH_EXPORT = "serve sends its memory health gauges only through --forward, and the "
      + "stack's collector cannot forward: it is the sink of the OTel Collector, whose traces and metrics pipelines "
      + "both export to it, so a --forward to the OTel Collector would send every span and metric round again, "
      + "without end; the gauges need a way out of serve that carries its own metrics only (the fleet profile's "
      + "serve --clickhouse, which receives no spans, forwards them to the gateway)";

  /** The metrics the demo and the watcher cannot feed, each with why. */
  static final Map<String, String> METRICS = Map.ofEntries(
      Map.entry("memory_tenant_cross_reads_total", NO_TENANT_RULE),
      Map.entry("memory_health_never_read_ratio", NO_HEALTH_EXPORT),
      Map.entry("memory_health_search_empty_ratio", NO_HEALTH_EXPORT),
      Map.entry("memory_health_read_write_ratio", NO_HEALTH_EXPORT),
      Map.entry("memory_health_unchanged_rewrites", NO_HEALTH_EXPORT),
      Map.entry("memory_health_duplicate_values", NO_HEALTH_EXPORT),
      Map.entry("memory_health_redis_commands_per_operation", NO_HEALTH_EXPORT),
      Map.entry("memory_health_n_plus_one_calls", NO_HEALTH_EXPORT),
      Map.entry("memory_ttl_missing", NO_HEALTH_EXPORT));

  /** The panels (title and query, {@code Writes never read, by store (A)}) whose queries name only unfed metrics. */
  static final Map<String, String> PANELS = panels();

  private UnfedSeries() {
  }

  private static Map<String, String> panels() {
    Map<String, String> panels = new TreeMap<>();
    for (Dashboards.Query query : Dashboards.queries()) {
      Set<String> metrics = PromQl.names(Dashboards.asPrometheusSees(query.expr())).metrics();
      if (!metrics.isEmpty() && METRICS.keySet().containsAll(metrics)) {
        panels.put(query.panel() + " (" + query.refId() + ")", METRICS.get(metrics.iterator().next()));
      }
    }
    return Map.copyOf(panels);
  }
}
