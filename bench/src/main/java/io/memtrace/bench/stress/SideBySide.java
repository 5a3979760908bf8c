package io.memtrace.bench.stress;

import io.memtrace.bench.stress.app.EpochHandshake;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs without an agent and under memtrace at the same time, in JVMs of their own that take turns at
 * the load ({@code --turns} of the stress application): all warm up together, then one works for a
 * turn while the others wait, then the next, round and round. The slow phases of a shared machine
 * (seconds to minutes long) then fall on all alike, which separate runs a minute apart cannot
 * promise: without an agent, two runs of the same program measured 0.35 and 1.08 ms. They are
 * compared by the median of their 1-second window p99s (a run's overall p99 is decided by its few
 * worst seconds, which on two shared cores are noise).
 *
 * <p>What turns cannot separate: memtrace's periodic work (a batch of spans every second, metrics
 * at their interval) goes on while another JVM has its turn, so a share of it falls on the runs
 * without an agent. Nor do they separate what a JVM draws when it starts: two JVMs of the same
 * program, taking turns, measured median p99s anywhere from 0.54x to 2.2x of each other, and kept
 * that difference for the whole run. Hence several JVMs a variant where a ratio must be fine.
 *
 * <p>The first turn begins a warm-up after the last JVM said its workers run ({@link EpochHandshake}), however long
 * each took to start: the warm-up is the same for all, and none can miss the epoch.
 */
final class SideBySide {

  /** The runs without an agent. */
  final List<AppRun> none = new ArrayList<>();
  /** The runs under memtrace. */
  final List<AppRun> agent = new ArrayList<>();
  /** Every run, in the order of its phase. */
  final List<AppRun> byPhase = new ArrayList<>();

  /** One JVM of those taking turns: its run's name, and whether memtrace is attached. */
  record Runner(String name, boolean agent) { }

  /**
   * The {@code --seconds} of every application when each is to be measured for about
   * {@code secondsEach} in turns of {@code turnSeconds}, with {@code runs} of them taking turns: all
   * their turns, one after the other.
   */
  static double seconds(double secondsEach, int turnSeconds, int runs) {
    return (double) runs * Math.max(1, Math.round(secondsEach / turnSeconds)) * turnSeconds;
  }

  /** {@link #seconds(double, int, int)} for two runs. */
  static double seconds(double secondsEach, int turnSeconds) {
    return seconds(secondsEach, turnSeconds, 2);
  }

  /**
   * Starts memtrace (as {@code agentRun}, with {@code env}) and no agent (as {@code none}) together
   * with {@code args}, whose {@code --seconds} must be {@link #seconds}; memtrace has the first turn.
   */
  static SideBySide takingTurns(ScenarioContext c, Rig rig, String agentRun, Map<String, String> env,
      List<String> args, int turnSeconds) throws IOException, InterruptedException {
    return takingTurns(c, rig, List.of(new Runner(agentRun, true), new Runner("none", false)), env, args, turnSeconds);
  }

  /**
   * Starts every one of {@code runners} together, the first having the first turn, the second the
   * next, and so on round; {@code env} goes to those under memtrace, and {@code args}' {@code --seconds}
   * must be {@link #seconds(double, int, int)} for as many runs. Two or more runners without an
   * agent make a control: the same program in several JVMs, whose ratios are what the machine alone
   * makes of them.
   */
  static SideBySide takingTurns(ScenarioContext c, Rig rig, List<Runner> runners, Map<String, String> env,
      List<String> args, int turnSeconds) throws IOException, InterruptedException {
    long warmupMillis = Math.round(c.warmup() * 1000);
    List<AppFork> forks = new ArrayList<>();
    SideBySide s = new SideBySide();
    try {
      for (int phase = 0; phase < runners.size(); phase++) {
        Runner runner = runners.get(phase);
        forks.add(c.start(rig, runner.name(), runner.agent(), List.of(), runner.agent() ? env : Map.of(),
            turns(args, turnSeconds, phase, runners.size())));
      }
      for (AppFork fork : forks) {
        fork.awaitReady();
      }
      long epoch = System.currentTimeMillis() + warmupMillis;
      for (AppFork fork : forks) {
        fork.sendEpoch(epoch);
      }
      for (AppFork fork : forks) {
        fork.awaitStart(warmupMillis / 1000 + 60);
      }
      double seconds = secondsOf(args);
      for (int phase = 0; phase < runners.size(); phase++) {
        AppRun run = c.finish(rig, forks.get(phase), seconds);
        s.byPhase.add(run);
        (runners.get(phase).agent() ? s.agent : s.none).add(run);
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      forks.forEach(AppFork::kill);
      throw e;
    }
    return s;
  }

  private static List<String> turns(List<String> args, int turnSeconds, int phase, int runs) {
    List<String> all = new ArrayList<>(args);
    all.addAll(List.of("--turns", "ready," + turnSeconds + "," + phase + "," + runs));
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
