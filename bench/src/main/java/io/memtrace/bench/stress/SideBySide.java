package io.memtrace.bench.stress;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs without an agent and under memtrace in alternating order, round after round, so slow phases
 * of a shared machine fall on both; compares them by the median of their 1-second window p99s (a
 * run's overall p99 is decided by its few worst seconds, which on two shared cores are noise).
 */
final class SideBySide {

  final List<AppRun> none = new ArrayList<>();
  final List<AppRun> agent = new ArrayList<>();

  /** One run of one variant. */
  @FunctionalInterface
  interface Runner {
    AppRun run(String name, boolean agent) throws Exception;
  }

  static SideBySide run(int rounds, Runner runner) throws Exception {
    SideBySide s = new SideBySide();
    for (int round = 1; round <= rounds; round++) {
      String suffix = rounds > 1 ? "-" + round : "";
      boolean agentFirst = round % 2 == 0;
      if (agentFirst) {
        s.agent.add(runner.run("memtrace" + suffix, true));
      }
      s.none.add(runner.run("none" + suffix, false));
      if (!agentFirst) {
        s.agent.add(runner.run("memtrace" + suffix, true));
      }
    }
    return s;
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
