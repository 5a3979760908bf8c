package io.memtrace.bench.stress;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one scenario found: its checks, the span accounting of its run under the agent, its metrics,
 * and the series and windows its charts draw. {@link #holds} when every check held.
 */
public final class ScenarioResult {

  final String name;
  final String description;
  final List<Check> checks = new ArrayList<>();
  final Map<String, Object> metrics = new LinkedHashMap<>();
  final List<FaultWindow> faults = new ArrayList<>();
  AppRun.Events events = new AppRun.Events(-1, -1, -1, -1);
  /** The run under the agent whose samples are charted; null when the scenario failed before one. */
  AppRun run;
  /** For the overhead chart: thread counts and the ratios measured at each. */
  int[] levels;
  double[] throughputRatios;
  double[] p99Ratios;
  double seconds;

  ScenarioResult(String name, String description) {
    this.name = name;
    this.description = description;
  }

  public boolean holds() {
    return !checks.isEmpty() && checks.stream().allMatch(Check::holds);
  }

  ScenarioResult check(Check check) {
    checks.add(check);
    return this;
  }

  ScenarioResult metric(String key, Object value) {
    metrics.put(key, value instanceof Double d && (d.isNaN() || d.isInfinite()) ? null : value);
    return this;
  }

  public String name() {
    return name;
  }

  public List<Check> checks() {
    return checks;
  }
}
