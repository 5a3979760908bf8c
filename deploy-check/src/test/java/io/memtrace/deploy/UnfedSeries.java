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

  /** The metrics the demo and the watcher cannot feed, each with why. */
  static final Map<String, String> METRICS = Map.ofEntries(
      Map.entry("memory_tenant_cross_reads_total", NO_TENANT_RULE));

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
