package io.memtrace.bench.stress;

import java.util.List;

/**
 * {@code slow-collector}: the collector's answers are held for {@code delay-ms} (2 s) for a while.
 * memtrace's consumer must keep draining the ring (exports wait on their own threads, and what
 * cannot wait is dropped and counted), so the application never waits for the collector.
 */
final class SlowCollectorScenario extends Scenario {

  SlowCollectorScenario() {
    super("slow-collector",
        "the collector answers after 2 s: the consumer never lets the ring fill, drops are counted");
  }

  @Override
  void play(ScenarioContext c, Rig rig, ScenarioResult r) throws Exception {
    double before = c.seconds("before");
    double slow = c.durationOverride > 0 ? c.durationOverride : c.seconds("slow");
    double seconds = before + slow + c.seconds("after");
    long delay = (long) c.settings.get("delay-ms");
    AppFork fork = c.startMixed(rig, seconds);
    long t0 = fork.t0();
    List<FaultWindow> windows = new FaultSchedule().add("collector slow (" + delay + " ms)", before, slow,
        () -> rig.proxy.slow(delay), rig.proxy::pass).play(t0);
    r.faults.addAll(windows);
    AppRun run = c.finish(rig, fork, seconds);
    FaultWindow w = windows.get(0);
    c.metrics(r, rig, run);
    long ringSize = run.samples().stream().mapToLong(Sample::ringSize).max().orElse(-1);
    long ringPeak = run.samples().stream().mapToLong(Sample::ringUsedMax).max().orElse(-1);
    long okWhileSlow = rig.proxy.requests().stream()
        .filter(q -> q.status() == 200 && q.receivedAtMillis() >= w.from() && q.receivedAtMillis() < w.to()).count();
    r.metric("ring_size", ringSize).metric("ring_peak_used", ringPeak).metric("exports_answered_while_slow", okWhileSlow);
    r.metric("dropped_while_slow", FaultChecks.at(run, w.to()).dropped() - FaultChecks.at(run, w.from()).dropped());
    r.check(Verdicts.appUnaffected(run));
    r.check(Check.that("the ring never filled (the consumer kept draining it)", ringSize > 0 && ringPeak < ringSize,
        Fmt.of("peak %s of %s slots in use", Fmt.count(ringPeak), Fmt.count(ringSize)), "< ring size"));
    r.check(FaultChecks.latencyThrough(run, w, r.faults, c.settings.get("p99-ratio")));
    r.check(Check.that("exports still delivered while slow", okWhileSlow > 0, okWhileSlow + " answered 200", "> 0"));
    r.check(Verdicts.accounting(run));
    r.check(Verdicts.stored(rig, c, run));
  }
}
