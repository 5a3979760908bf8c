package io.memtrace.bench.stress;

import java.util.Arrays;
import java.util.List;

/**
 * {@code concurrent-agents}: the demo fleet's agents (generate, execute, analyze in a workflow,
 * plus their own session and cache) at 1, 3, 5, 10 and 20 threads, each level run flat out with no
 * agent and under memtrace. The overhead ratio at each level is measured and charted.
 */
final class ConcurrentAgentsScenario extends Scenario {

  ConcurrentAgentsScenario() {
    super("concurrent-agents",
        "1, 3, 5, 10 and 20 fleet agent threads: overhead against no agent at each level, plotted");
  }

  @Override
  void play(ScenarioContext c, Rig rig, ScenarioResult r) throws Exception {
    int[] levels = c.settings.integers("levels");
    double perLevel = c.duration();
    String threads = String.join(",", Arrays.stream(levels).mapToObj(String::valueOf).toList());
    double seconds = levels.length * (perLevel + c.warmup());
    List<String> args = c.appArgs(rig, "fleet", threads, perLevel);
    AppRun none = c.plain(rig, args, seconds);
    AppRun agent = c.traced(rig, args, seconds);
    c.metrics(r, rig, agent);
    r.check(Verdicts.appUnaffected(none)).check(Verdicts.appUnaffected(agent));
    r.levels = levels;
    r.throughputRatios = new double[levels.length];
    r.p99Ratios = new double[levels.length];
    double min = c.settings.get("min-throughput-ratio");
    for (int i = 0; i < levels.length; i++) {
      String key = "level_" + levels[i] + "_";
      r.throughputRatios[i] = agent.value(key + "ops_s") / none.value(key + "ops_s");
      r.p99Ratios[i] = agent.value(key + "p99_us") / none.value(key + "p99_us");
      r.metric(key + "ops_s_without_agent", none.value(key + "ops_s")).metric(key + "ops_s_with_agent", agent.value(key + "ops_s"));
      r.metric(key + "throughput_ratio", r.throughputRatios[i]).metric(key + "p99_ratio", r.p99Ratios[i]);
      r.check(Check.atLeast(levels[i] + " threads: throughput under memtrace / without", r.throughputRatios[i], min, "x"));
    }
    r.check(Verdicts.accounting(agent));
    r.check(Verdicts.stored(rig, c, agent));
  }
}
