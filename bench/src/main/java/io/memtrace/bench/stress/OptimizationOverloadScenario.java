package io.memtrace.bench.stress;

import java.util.List;
import java.util.Map;

/**
 * {@code optimization-overload}: bursts of 16 threads, flat out, against a ring of only 1,024 slots,
 * without an agent and under memtrace, the two taking turns at the load. A full ring must drop events and count
 * them, never make the application wait: the median of its 1-second p99.9s (one burst each) is
 * compared with the same bursts without an agent, and the span accounting must balance exactly.
 */
final class OptimizationOverloadScenario extends Scenario {

  OptimizationOverloadScenario() {
    super("optimization-overload",
        "bursts of 16 threads against a 1,024-slot ring: the app never blocks, every span accounted for");
  }

  @Override
  void play(ScenarioContext c, Rig rig, ScenarioResult r) throws Exception {
    double seconds = SideBySide.seconds(c.duration(), c.settings.integer("turn-seconds"));
    int ring = c.settings.integer("ring-size");
    List<String> args = c.appArgs(rig, "burst", seconds, "burst-ms", "pause-ms");
    Map<String, String> env = Map.of("MEMTRACE_RING_SIZE", String.valueOf(ring));
    SideBySide runs = SideBySide.takingTurns(c, rig, "memtrace", env, args, c.settings.integer("turn-seconds"));
    AppRun last = runs.agent.get(runs.agent.size() - 1);
    c.metrics(r, rig, last);
    r.events = AppRun.Events.sum(runs.agent);
    double ratio = SideBySide.medianWindow(runs.agent, Sample::p999us) / SideBySide.medianWindow(runs.none, Sample::p999us);
    long ringPeak = runs.agent.stream().flatMap(a -> a.samples().stream()).mapToLong(Sample::ringUsedMax).max().orElse(-1);
    r.metric("window_p999_ms_median_without_agent", SideBySide.medianWindow(runs.none, Sample::p999us) / 1000);
    r.metric("window_p999_ms_median_with_agent", SideBySide.medianWindow(runs.agent, Sample::p999us) / 1000);
    r.metric("p999_ratio", ratio).metric("throughput_ratio", runs.throughputRatio());
    r.metric("ring_size", ring).metric("ring_peak_used", ringPeak).metric("dropped", r.events.dropped());
    for (AppRun run : runs.none) {
      r.check(Verdicts.appUnaffected(run));
    }
    for (AppRun run : runs.agent) {
      r.check(Verdicts.appUnaffected(run));
      r.check(Verdicts.accounting(run));
      r.check(Verdicts.stored(rig, c, run));
    }
    r.check(Check.atMost("app p99.9 (median of 1-second p99.9s), memtrace / no agent, same bursts", ratio,
        c.settings.get("p999-ratio"), "x"));
  }
}
