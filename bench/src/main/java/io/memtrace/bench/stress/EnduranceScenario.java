package io.memtrace.bench.stress;

import java.util.List;

/**
 * {@code endurance}: a steady load for a long time (10 minutes; 60 s in CI). The application's live
 * heap (after a full collection the harness asks for, a third of the way in and near the end) must
 * stay flat; threads and sockets must stop growing once every pool has started (the last third adds
 * none over the middle one); and the agent's counters must be consistent with what the collector stored.
 */
final class EnduranceScenario extends Scenario {

  EnduranceScenario() {
    super("endurance", "sustained load: heap, threads and sockets flat; counters consistent");
  }

  @Override
  void play(ScenarioContext c, Rig rig, ScenarioResult r) throws Exception {
    double seconds = c.duration();
    AppFork fork = c.startMixed(rig, seconds);
    long t0 = fork.t0();
    long[] gcAt = new long[2];
    List<FaultWindow> gcs = new FaultSchedule()
        .add("full GC", seconds / 3, 0, () -> gcAt[0] = fork.fullGc(), () -> { })
        .add("full GC", seconds - 4, 0, () -> gcAt[1] = fork.fullGc(), () -> { }).play(t0);
    AppRun run = c.finish(rig, fork, seconds);
    List<Sample> s = run.samples();
    c.metrics(r, rig, run);
    double early = Measures.liveHeapAfter(s, gcAt[0]);
    double late = Measures.liveHeapAfter(s, gcAt[1]);
    r.metric("live_heap_mb_at_a_third", early).metric("live_heap_mb_near_end", late);
    r.metric("full_gc_seconds", List.of((gcs.get(0).from() - t0) / 1000.0, (gcs.get(1).from() - t0) / 1000.0));
    r.check(Verdicts.appUnaffected(run));
    r.check(Check.atMost("live heap (after a full GC) near the end minus at a third of the run", late - early,
        c.settings.get("heap-growth-mb"), " MiB"));
    int n = s.size();
    List<Sample> middle = s.subList(n / 3, 2 * n / 3);
    List<Sample> last = s.subList(2 * n / 3, n);
    ThreadChecks.check(r, middle, last, "middle third", "last third");
    boolean monotonic = true;
    for (int i = 1; i < n; i++) {
      Sample a = s.get(i - 1);
      Sample b = s.get(i);
      monotonic &= b.produced() >= a.produced() && b.exported() >= a.exported() && b.dropped() >= a.dropped();
    }
    r.check(Check.that("counters never go back", monotonic, monotonic ? "monotonic" : "a counter fell", "monotonic"));
    r.check(Verdicts.accounting(run));
    r.check(Verdicts.stored(rig, c, run));
  }
}
