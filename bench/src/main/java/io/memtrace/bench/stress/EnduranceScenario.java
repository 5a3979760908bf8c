package io.memtrace.bench.stress;

import java.util.List;
import java.util.Map;

/**
 * {@code endurance}: a steady load for a long time (10 minutes; 60 s in CI). The agent's heap,
 * threads and sockets must stay flat and its counters consistent with what the collector stored.
 */
final class EnduranceScenario implements Scenario {

  @Override
  public String name() {
    return "endurance";
  }

  @Override
  public String description() {
    return "sustained load: heap, threads and sockets flat; counters consistent";
  }

  @Override
  public ScenarioResult run(ScenarioContext c) throws Exception {
    ScenarioResult r = new ScenarioResult(name(), description());
    double seconds = c.duration();
    try (Rig rig = c.rig(List.of())) {
      List<String> args = c.appArgs(rig, "mixed", String.valueOf(c.settings.integer("threads")), seconds);
      c.optional(args, "--rate", "rate");
      AppRun run = c.run(rig, "memtrace", true, List.of(), Map.of(), args, seconds);
      List<Sample> s = run.samples();
      Verdicts.metrics(r, run, rig.redisWatch, c.config.number("stability", "p99-factor"));
      double[] heap = Measures.thirds(s, Sample::heapAfterGcMb);
      r.check(Verdicts.appUnaffected(run));
      r.check(Check.atMost("heap after GC, last third minus first third", heap[1] - heap[0],
          c.settings.get("heap-growth-mb"), " MiB"));
      // after the first third every pool and connection has started: from there on nothing may grow
      List<Sample> settled = s.subList(s.size() / 3, s.size());
      long threads0 = settled.get(0).threads();
      long sockets0 = settled.get(0).sockets();
      long threadsMax = settled.stream().mapToLong(Sample::threads).max().orElse(-1);
      long socketsMax = settled.stream().mapToLong(Sample::sockets).max().orElse(-1);
      r.metric("threads", threads0).metric("threads_max", threadsMax).metric("sockets", sockets0).metric("sockets_max", socketsMax);
      r.check(Check.atMost("threads, most in the last two thirds / at their start", threadsMax, threads0, ""));
      r.check(Check.atMost("sockets, most in the last two thirds / at their start", socketsMax, sockets0, ""));
      boolean monotonic = true;
      for (int i = 1; i < s.size(); i++) {
        Sample a = s.get(i - 1);
        Sample b = s.get(i);
        monotonic &= b.produced() >= a.produced() && b.exported() >= a.exported() && b.dropped() >= a.dropped();
      }
      r.check(Check.that("counters never go back", monotonic, monotonic ? "monotonic" : "a counter fell", "monotonic"));
      r.check(Verdicts.accounting(run));
      r.check(Verdicts.stored(rig, c, run));
    }
    return r;
  }
}
