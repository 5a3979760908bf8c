package io.memtrace.bench.stress;

import java.util.List;
import java.util.Map;

/**
 * {@code baseline}: the demo's layered memory under a steady paced load, without an agent and under
 * memtrace in alternating rounds, against the same Redis and collector. memtrace must drop nothing
 * and keep the application's p99 (the median of its 1-second p99s) within the overhead budget.
 */
final class BaselineScenario implements Scenario {

  @Override
  public String name() {
    return "baseline";
  }

  @Override
  public String description() {
    return "steady load on the layered memory, 4 threads: 0 drops, app p99 within the overhead budget";
  }

  @Override
  public ScenarioResult run(ScenarioContext c) throws Exception {
    ScenarioResult r = new ScenarioResult(name(), description());
    double seconds = c.duration();
    try (Rig rig = c.rig(List.of())) {
      List<String> args = c.appArgs(rig, "mixed", String.valueOf(c.settings.integer("threads")), seconds);
      c.optional(args, "--rate", "rate");
      SideBySide runs = SideBySide.run(c.settings.integer("rounds"),
          (name, agent) -> c.run(rig, name, agent, List.of(), Map.of(), args, seconds));
      AppRun last = runs.agent.get(runs.agent.size() - 1);
      Verdicts.metrics(r, last, rig.redisWatch, c.config.number("stability", "p99-factor"));
      r.events = AppRun.Events.sum(runs.agent);
      double ratio = runs.p99Ratio();
      r.metric("window_p99_ms_median_without_agent", SideBySide.medianWindowP99(runs.none) / 1000);
      r.metric("window_p99_ms_median_with_agent", SideBySide.medianWindowP99(runs.agent) / 1000);
      r.metric("p99_ratio", ratio).metric("throughput_ratio", runs.throughputRatio());
      for (AppRun run : runs.none) {
        r.check(Verdicts.appUnaffected(run));
      }
      long dropped = 0;
      for (AppRun run : runs.agent) {
        r.check(Verdicts.appUnaffected(run));
        r.check(Verdicts.accounting(run));
        r.check(Verdicts.stored(rig, c, run));
        dropped += Math.max(0, run.events().dropped());
      }
      r.check(Check.equal("memtrace dropped nothing", dropped, 0));
      r.check(Check.atMost("app p99 (median of 1-second p99s), memtrace / no agent", ratio, c.settings.get("p99-ratio"), "x"));
    }
    return r;
  }
}
