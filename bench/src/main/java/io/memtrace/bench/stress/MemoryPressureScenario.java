package io.memtrace.bench.stress;

import java.util.List;
import java.util.Map;

/**
 * {@code memory-pressure}: the application holds 90 % of a small heap before its load starts, with
 * and without memtrace. memtrace must cause no OutOfMemoryError, and what it holds must stay within
 * its ring and batches.
 */
final class MemoryPressureScenario extends Scenario {

  MemoryPressureScenario() {
    super("memory-pressure",
        "the app's heap held at 90 %: memtrace causes no OutOfMemoryError, its memory stays within ring + batches");
  }

  @Override
  void play(ScenarioContext c, Rig rig, ScenarioResult r) throws Exception {
    double seconds = c.duration();
    List<String> jvm = List.of("-Xmx" + c.settings.integer("heap-mb") + "m");
    List<String> args = c.appArgs(rig, "mixed", seconds, "rate", "ballast-percent");
    AppRun none = c.run(rig, "none", false, jvm, Map.of(), args, seconds);
    AppRun agent = c.run(rig, "memtrace", true, jvm, Map.of(), args, seconds);
    c.metrics(r, rig, agent);
    r.metric("heap_after_gc_end_mb_without_agent", none.value("heap_after_gc_end_mb"));
    r.metric("heap_after_gc_end_mb_with_agent", agent.value("heap_after_gc_end_mb"));
    r.check(Check.that("no OutOfMemoryError under memtrace", agent.count("oom") == 0 && !agent.oomInLog()
        && agent.exitCode() == 0, "oom " + agent.count("oom") + ", exit " + agent.exitCode(), "none, exit 0"));
    r.check(Verdicts.appUnaffected(none)).check(Verdicts.appUnaffected(agent));
    r.check(AgentHeap.check(c.config, AgentHeap.DEFAULT_RING, none, agent));
    r.check(Verdicts.accounting(agent));
  }
}
