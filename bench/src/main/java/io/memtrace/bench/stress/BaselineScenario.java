package io.memtrace.bench.stress;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code baseline}: the demo's layered memory under a steady paced load, in three variants against
 * the same Redis: without an agent; under memtrace exporting to a sink that accepts every request
 * without ingesting it; under memtrace exporting to the real collector. memtrace must drop nothing.
 *
 * <p>The overhead budget is memtrace's own cost: the agent's p99 with the sink against no agent, the
 * two taking turns at the load ({@link SideBySide#takingTurns}). In production the collector is a sidecar with CPU of its own; on this rig it
 * ingests on the application's two cores, which is a cost of where it runs, not of the agent, so
 * the collector variant's ratio is reported beside the budget with a bound of its own (that the
 * application never waits on the collector), and its spans must all be stored.
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
    double seconds = c.seconds("collector-duration");
    int turnSeconds = c.settings.integer("turn-seconds");
    double turnsSeconds = SideBySide.seconds(c.duration(), turnSeconds);
    try (Rig rig = c.rig(List.of())) {
      List<String> args = c.appArgs(rig, "mixed", String.valueOf(c.settings.integer("threads")), seconds);
      c.optional(args, "--rate", "rate");
      List<String> turnArgs = c.appArgs(rig, "mixed", String.valueOf(c.settings.integer("threads")), turnsSeconds);
      c.optional(turnArgs, "--rate", "rate");
      rig.proxy.sink();
      SideBySide sink;
      try {
        sink = SideBySide.takingTurns(c, rig, "memtrace-sink", Map.of(), turnArgs, turnSeconds);
      } finally {
        rig.proxy.pass();
      }
      // once, after the turns: its ratio has only a loose bound, so more runs would buy little
      AppRun collector = c.run(rig, "memtrace-collector", true, List.of(), Map.of(), args, seconds);
      Verdicts.metrics(r, collector, rig.redisWatch, c.config.number("stability", "p99-factor"));
      double none = SideBySide.medianWindowP99(sink.none);
      double budget = sink.p99Ratio();
      double withCollector = SideBySide.medianWindowP99(List.of(collector));
      double shared = withCollector / none;
      r.metric("window_p99_ms_median_without_agent", none / 1000);
      r.metric("window_p99_ms_median_with_agent_sink", SideBySide.medianWindowP99(sink.agent) / 1000);
      r.metric("window_p99_ms_median_with_agent_collector", withCollector / 1000);
      r.metric("p99_ratio", budget).metric("p99_ratio_collector_on_same_cores", shared);
      r.metric("throughput_ratio", sink.throughputRatio());
      List<AppRun> agentRuns = new ArrayList<>(sink.agent);
      agentRuns.add(collector);
      for (AppRun run : sink.none) {
        r.check(Verdicts.appUnaffected(run));
      }
      long dropped = 0;
      for (AppRun run : agentRuns) {
        r.check(Verdicts.appUnaffected(run));
        r.check(Verdicts.accounting(run));
        dropped += Math.max(0, run.events().dropped());
      }
      r.check(Verdicts.stored(rig, c, collector));
      r.check(Check.equal("memtrace dropped nothing", dropped, 0));
      r.check(Check.atMost("app p99 (median of 1-second p99s), memtrace exporting to a sink / no agent: the overhead budget",
          budget, c.settings.get("p99-ratio"), "x"));
      r.check(Check.atMost("app p99, memtrace with its collector ingesting on the same two cores / no agent",
          shared, c.settings.get("collector-p99-ratio"), "x"));
    }
    return r;
  }
}
