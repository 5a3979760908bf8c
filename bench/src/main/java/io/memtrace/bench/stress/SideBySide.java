package io.memtrace.bench.stress;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs without an agent and under memtrace at the same time, in JVMs of their own that take turns at
 * the load ({@code --turns} of the stress application): both warm up together, then memtrace works
 * for a turn while the other JVM waits, then the other way round, turn after turn. The slow phases
 * of a shared machine (seconds to minutes long) then fall on both alike, which separate runs a
 * minute apart cannot promise: without an agent, two runs of the same program measured 0.35 and
 * 1.08 ms. The two are compared by the median of their 1-second window p99s (a run's overall p99 is
 * decided by its few worst seconds, which on two shared cores are noise).
 *
 * <p>What turns cannot separate: memtrace's periodic work (metrics every second, a batch of spans
 * every second) goes on while the other JVM has its turn, so a share of it falls on the run
 * without an agent.
 */
final class SideBySide {

  /** Time both JVMs are given to start before their warm-up begins. */
  static final long START_MILLIS = 5_000;

  final List<AppRun> none = new ArrayList<>();
  final List<AppRun> agent = new ArrayList<>();

  /**
   * The {@code --seconds} of both applications when each is to be measured for about
   * {@code secondsEach} in turns of {@code turnSeconds}: both variants' turns, one after the other.
   */
  static double seconds(double secondsEach, int turnSeconds) {
    return 2.0 * Math.max(1, Math.round(secondsEach / turnSeconds)) * turnSeconds;
  }

  /**
   * Starts memtrace (as {@code agentRun}, with {@code env}) and no agent (as {@code none}) together
   * with {@code args}, whose {@code --seconds} must be {@link #seconds}; memtrace has the first turn.
   */
  static SideBySide takingTurns(ScenarioContext c, Rig rig, String agentRun, Map<String, String> env,
      List<String> args, int turnSeconds) throws IOException, InterruptedException {
    long warmupMillis = Math.round(c.warmup() * 1000);
    long epoch = System.currentTimeMillis() + START_MILLIS + warmupMillis;
    AppFork withAgent = c.start(rig, agentRun, true, List.of(), env, turns(args, epoch, turnSeconds, 0));
    AppFork without;
    try {
      without = c.start(rig, "none", false, List.of(), Map.of(), turns(args, epoch, turnSeconds, 1));
    } catch (IOException | RuntimeException e) {
      withAgent.kill();
      throw e;
    }
    SideBySide s = new SideBySide();
    try {
      long startSeconds = (START_MILLIS + warmupMillis) / 1000 + 60;
      withAgent.awaitStart(startSeconds);
      without.awaitStart(startSeconds);
      double seconds = secondsOf(args);
      s.agent.add(c.finish(rig, withAgent, seconds));
      s.none.add(c.finish(rig, without, seconds));
    } catch (IOException | InterruptedException | RuntimeException e) {
      withAgent.kill();
      without.kill();
      throw e;
    }
    return s;
  }

  private static List<String> turns(List<String> args, long epoch, int turnSeconds, int phase) {
    List<String> all = new ArrayList<>(args);
    all.addAll(List.of("--turns", epoch + "," + turnSeconds + "," + phase));
    return all;
  }

  private static double secondsOf(List<String> args) {
    return Double.parseDouble(args.get(args.indexOf("--seconds") + 1));
  }

  static double medianWindowP99(List<AppRun> runs) {
    return medianWindow(runs, Sample::p99us);
  }

  static double medianWindow(List<AppRun> runs, java.util.function.ToDoubleFunction<Sample> field) {
    return Measures.median(runs.stream().flatMap(r -> r.samples().stream()).mapToDouble(field).toArray());
  }

  double p99Ratio() {
    return medianWindowP99(agent) / medianWindowP99(none);
  }

  static double opsPerSecond(List<AppRun> runs) {
    double ops = runs.stream().mapToDouble(r -> r.value("ops")).sum();
    double seconds = runs.stream().mapToDouble(r -> r.value("seconds")).sum();
    return ops / seconds;
  }

  double throughputRatio() {
    return opsPerSecond(agent) / opsPerSecond(none);
  }
}
