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
 * JVMs taking turns at the load ({@link SideBySide#takingTurns}), memtrace at its defaults. One
 * JVM a variant is not a fine measure on a small shared machine: the same program in two JVMs (a
 * control, which this scenario can run first) measured anywhere from 0.54x to 2.2x. So a round has
 * {@code jvms-per-variant} JVMs of each taking turns, the ratio is the median over {@code rounds}
 * rounds of new JVMs, and the bound is per mode: the budget where enough rounds run to resolve it,
 * a looser bound where one round runs.
 *
 * <p>In production the collector is a sidecar with CPU of its own; on this rig it ingests on the
 * application's two cores, which is a cost of where it runs, not of the agent, so the collector
 * variant's ratio is reported beside the budget with a bound of its own (that the application never
 * waits on the collector), and its spans must all be stored.
 */
final class BaselineScenario extends Scenario {

  /**
   * memtrace's own default metric interval, for the variants the budget is about: the suite exports
   * metrics every second elsewhere so that its checks see them soon, which is not how users run it.
   */
  static final Map<String, String> DEFAULT_METRICS = Map.of("OTEL_METRIC_EXPORT_INTERVAL", "60000");

  /** As many JVMs as the stress application's {@code --turns} takes turns among. */
  private static final int MAX_RUNS_TAKING_TURNS = 16;

  BaselineScenario() {
    super("baseline", "steady load on the layered memory, 4 threads: 0 drops, app p99 within the overhead budget");
  }

  @Override
  void play(ScenarioContext c, Rig rig, ScenarioResult r) throws Exception {
    double seconds = c.seconds("collector-duration");
    int turnSeconds = c.settings.integer("turn-seconds");
    int rounds = c.settings.has("rounds") ? c.settings.integer("rounds") : 1;
    int jvms = c.settings.has("jvms-per-variant") ? c.settings.integer("jvms-per-variant") : 1;
    boolean control = c.settings.has("control") && c.settings.integer("control") > 0;
    if (rounds < 1 || jvms < 1 || 2 * jvms > MAX_RUNS_TAKING_TURNS) {
      throw new IllegalArgumentException("baseline: rounds must be at least 1 and jvms-per-variant 1 to "
          + MAX_RUNS_TAKING_TURNS / 2 + ", got " + rounds + " and " + jvms);
    }
    // each JVM works duration / jvms seconds of its variant's duration, in its own turns
    double turnsSeconds = SideBySide.seconds(c.duration() / jvms, turnSeconds, 2 * jvms);
    List<String> args = c.mixedArgs(rig, seconds);
    List<String> turnArgs = c.mixedArgs(rig, turnsSeconds);
    List<AppRun> noneRuns = new ArrayList<>();
    if (control) {
      List<SideBySide.Runner> same = new ArrayList<>();
      for (int j = 1; j <= jvms; j++) {
        same.add(new SideBySide.Runner("control-a" + j, false));
        same.add(new SideBySide.Runner("control-b" + j, false));
      }
      SideBySide run = SideBySide.takingTurns(c, rig, same, Map.of(), turnArgs, turnSeconds);
      noneRuns.addAll(run.none);
      List<AppRun> a = new ArrayList<>();
      List<AppRun> b = new ArrayList<>();
      for (int i = 0; i < run.byPhase.size(); i++) {
        (i % 2 == 0 ? a : b).add(run.byPhase.get(i));
      }
      r.metric("p99_ratio_control", SideBySide.medianWindowP99(b) / SideBySide.medianWindowP99(a));
    }
    List<SideBySide> sink = new ArrayList<>();
    rig.proxy.sink();
    try {
      for (int i = 1; i <= rounds; i++) {
        String round = rounds == 1 ? "" : "-r" + i;
        List<SideBySide.Runner> runners = new ArrayList<>();
        for (int j = 1; j <= jvms; j++) {
          String jvm = jvms == 1 ? "" : "-" + j;
          runners.add(new SideBySide.Runner("memtrace-sink" + round + jvm, true));
          runners.add(new SideBySide.Runner("none" + round + jvm, false));
        }
        sink.add(SideBySide.takingTurns(c, rig, runners, DEFAULT_METRICS, turnArgs, turnSeconds));
      }
    } finally {
      rig.proxy.pass();
    }
    // once, after the turns: its ratio has only a loose bound, so more runs would buy little
    AppRun collector = c.run(rig, "memtrace-collector", true, List.of(), DEFAULT_METRICS, args, seconds);
    c.metrics(r, rig, collector);
    List<AppRun> agentRuns = new ArrayList<>();
    List<AppRun> pairedNone = new ArrayList<>();
    double[] ratios = new double[rounds];
    for (int i = 0; i < rounds; i++) {
      pairedNone.addAll(sink.get(i).none);
      agentRuns.addAll(sink.get(i).agent);
      ratios[i] = sink.get(i).p99Ratio();
    }
    noneRuns.addAll(pairedNone);
    double budget = Measures.median(ratios);
    double none = SideBySide.medianWindowP99(pairedNone);
    double withCollector = SideBySide.medianWindowP99(List.of(collector));
    double shared = withCollector / none;
    r.metric("window_p99_ms_median_without_agent", none / 1000);
    r.metric("window_p99_ms_median_with_agent_sink", SideBySide.medianWindowP99(agentRuns) / 1000);
    r.metric("window_p99_ms_median_with_agent_collector", withCollector / 1000);
    r.metric("p99_ratio", budget).metric("p99_ratios_by_round", ratiosText(ratios));
    r.metric("p99_ratio_collector_on_same_cores", shared);
    r.metric("throughput_ratio", SideBySide.opsPerSecond(agentRuns) / SideBySide.opsPerSecond(pairedNone));
    agentRuns.add(collector);
    for (AppRun run : noneRuns) {
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
    r.check(budgetCheck(ratios, jvms, c.settings.get("p99-ratio")));
    r.check(Check.atMost("app p99, memtrace with its collector ingesting on the same two cores / no agent",
        shared, c.settings.get("collector-p99-ratio"), "x"));
  }

  /**
   * The overhead budget's check: the median over the rounds of memtrace's median 1-second p99 (with
   * the sink) / no agent's, pooled over the round's {@code jvms} JVMs a variant, all taking turns.
   * It says how many rounds and JVMs the ratio rests on: fewer resolve less.
   */
  static Check budgetCheck(double[] ratios, int jvms, double max) {
    double median = Measures.median(ratios);
    String jvmText = jvms == 1 ? "one JVM" : jvms + " JVMs";
    String what = "app p99 (median of 1-second p99s), memtrace exporting to a sink / no agent, " + jvmText + " each, "
        + (ratios.length == 1 ? "one round" : "median of " + ratios.length + " rounds");
    String measured = Fmt.num(median) + "x" + (ratios.length == 1 ? "" : " (rounds: " + ratiosText(ratios) + ")");
    return new Check(what, measured, "<= " + Fmt.num(max) + "x", median <= max);
  }

  private static String ratiosText(double[] ratios) {
    List<String> parts = new ArrayList<>();
    for (double ratio : ratios) {
      parts.add(Fmt.num(ratio) + "x");
    }
    return String.join(", ", parts);
  }
}
