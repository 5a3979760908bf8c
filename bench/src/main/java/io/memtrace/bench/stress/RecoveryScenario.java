package io.memtrace.bench.stress;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code recovery}: the three collector faults (slow, down, failing) one after the other, twice,
 * each followed by a quiet spell. After each, the application and the export must be back to steady
 * state within {@code recovery-seconds}; and the second round must leave no more threads, sockets or
 * heap than the first did (a leak grows with each fault; pools that start on the first fault do not).
 */
final class RecoveryScenario extends Scenario {

  static final int ROUNDS = 2;

  RecoveryScenario() {
    super("recovery",
        "after each collector fault, steady state returns within 5 s; no leaked threads, sockets or memory");
  }

  @Override
  void play(ScenarioContext c, Rig rig, ScenarioResult r) throws Exception {
    double fault = c.durationOverride > 0 ? c.durationOverride : c.seconds("fault-seconds");
    double settle = c.seconds("settle-seconds");
    double lead = 5;
    double seconds = lead + ROUNDS * 3 * (fault + settle) + 5;
    double factor = c.config.number("stability", "p99-factor");
    AppFork fork = c.startMixed(rig, seconds);
    long t0 = fork.t0();
    FaultSchedule schedule = new FaultSchedule();
    long[] gcAt = new long[ROUNDS];
    double at = lead;
    for (int round = 1; round <= ROUNDS; round++) {
      schedule.add("collector slow, round " + round, at, fault, () -> rig.proxy.slow(2000), rig.proxy::pass);
      at += fault + settle;
      schedule.add("collector down, round " + round, at, fault, () -> {
        rig.proxy.down();
        rig.stopCollector();
      }, () -> {
        rig.startCollector();
        rig.proxy.up();
      });
      at += fault + settle;
      schedule.add("collector answers 503, round " + round, at, fault, () -> rig.proxy.error(503, 1), rig.proxy::pass);
      at += fault + settle;
      int r0 = round - 1;
      // the live heap at the end of each round, from a full collection asked for as an operator would
      schedule.add("full GC", at - 3, 0, () -> gcAt[r0] = fork.fullGc(), () -> { });
    }
    List<FaultWindow> windows = schedule.play(t0).stream().filter(w -> !w.label().equals("full GC")).toList();
    r.faults.addAll(windows);
    AppRun run = c.finish(rig, fork, seconds);
    Verdicts.metrics(r, run, rig.redisWatch, factor);
    r.check(Verdicts.appUnaffected(run));
    List<Double> recoveries = new ArrayList<>();
    double limit = c.settings.get("recovery-seconds");
    int k = c.settings.integer("steady-windows");
    for (FaultWindow w : windows) {
      double s = Measures.recoverySeconds(run.samples(), w, r.faults, c.settings.get("steady-p99-factor"), k);
      recoveries.add(Double.isInfinite(s) ? null : s);
      r.check(Check.atMost("steady state back after " + w.label(), s, limit, " s"));
    }
    r.metric("recovery_seconds", recoveries);
    // the most threads and sockets seen in each round: round 1 has opened every pool the faults
    // open (export lanes, the retry timer); a leak adds more in round 2
    long round2From = windows.get(3).from();
    List<Sample> round1 = run.samples().stream().filter(x -> x.t() > windows.get(0).from() && x.t() <= round2From).toList();
    List<Sample> round2 = run.samples().stream().filter(x -> x.t() > round2From).toList();
    ThreadChecks.check(r, round1, round2, "round 1", "round 2", true);
    double heapGrowth = Measures.liveHeapAfter(run.samples(), gcAt[1]) - Measures.liveHeapAfter(run.samples(), gcAt[0]);
    r.metric("heap_after_gc_growth_round_2_mb", heapGrowth);
    r.check(Check.atMost("live heap (after a full GC), end of round 2 minus end of round 1", heapGrowth,
        c.settings.get("heap-growth-mb"), " MiB"));
    r.check(Verdicts.accounting(run));
    r.check(Verdicts.stored(rig, c, run));
  }
}
