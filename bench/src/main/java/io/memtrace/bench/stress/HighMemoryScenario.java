package io.memtrace.bench.stress;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * {@code high-memory}: values of about 1 MiB stored into a Redis with a small {@code maxmemory}
 * (evicting the least recently used), so Redis runs near full. The report must show values of the
 * size the {@code LargeValueStored} alert warns about, and memtrace must not keep the values: its
 * heap, measured against a run without it, stays within its ring and batches.
 */
final class HighMemoryScenario extends Scenario {

  HighMemoryScenario() {
    super("high-memory",
        "values near 1 MiB, Redis near its maxmemory: LargeValueStored-level sizes visible, agent heap bounded");
  }

  /** Redis bounded at the scenario's {@code maxmemory-mb}, evicting the least recently used keys. */
  @Override
  List<String> redisSettings(ScenarioContext c) {
    return List.of("maxmemory " + c.settings.integer("maxmemory-mb") + "mb", "maxmemory-policy allkeys-lru");
  }

  @Override
  void play(ScenarioContext c, Rig rig, ScenarioResult r) throws Exception {
    double seconds = c.duration();
    int maxMb = c.settings.integer("maxmemory-mb");
    List<String> args = c.appArgs(rig, "large", seconds, "rate", "value-bytes");
    AppRun none = c.plain(rig, args, seconds);
    AppRun agent = c.traced(rig, args, seconds);
    c.metrics(r, rig, agent);
    r.metric("large_values_stored", agent.count("large_values"));
    r.check(Verdicts.appUnaffected(none)).check(Verdicts.appUnaffected(agent));
    double near = rig.redisWatch.peakMb() / maxMb;
    r.check(Check.atLeast("Redis ran near its maxmemory (peak used_memory / maxmemory)", near,
        c.settings.get("near-maxmemory"), ""));
    JsonNode rows = CollectorReads.report(c.layout, rig, "report").path("sections").path("largest_values").path("rows");
    long largest = rows.size() == 0 ? 0 : rows.get(0).path("size_bytes").asLong();
    r.metric("report_largest_value_bytes", largest);
    r.check(Check.atLeast("the report's largest stored value (LargeValueStored level)", largest,
        c.settings.get("large-value-bytes"), " B"));
    r.check(AgentHeap.check(c.config, AgentHeap.DEFAULT_RING, none, agent));
    r.check(Verdicts.accounting(agent));
  }
}
