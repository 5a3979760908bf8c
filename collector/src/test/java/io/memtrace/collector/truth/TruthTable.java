package io.memtrace.collector.truth;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The suite's table: per source of answers, reads, right, unknown by cause, and wrong (by shape). */
final class TruthTable {

  private TruthTable() {
  }

  static String print(int scenarios, int reads, List<Verdict> verdicts, List<String> inconsistencies, long millis) {
    StringBuilder out = new StringBuilder();
    out.append(String.format("truth suite: %d scenarios, %d traced reads, %.1f s, inconsistencies %d (the oracle's, "
        + "or between the stores)%n", scenarios, reads, millis / 1000.0, inconsistencies.size()));
    out.append(String.format("%-30s %6s %6s %8s %6s   unknown by cause%n", "source", "reads", "right", "unknown",
        "wrong"));
    Map<String, List<Verdict>> bySource = verdicts.stream().collect(Collectors.groupingBy(Verdict::source, TreeMap::new,
        Collectors.toList()));
    bySource.forEach((source, vs) -> {
      Map<String, Long> causes = vs.stream().filter(v -> v.outcome().equals("unknown"))
          .collect(Collectors.groupingBy(Verdict::cause, TreeMap::new, Collectors.counting()));
      out.append(String.format("%-30s %6d %6d %8d %6d   %s%n", source, vs.size(), count(vs, "right"),
          count(vs, "unknown"), count(vs, "wrong"), causes));
    });
    Map<String, Long> shapes = verdicts.stream().filter(v -> v.outcome().equals("wrong"))
        .collect(Collectors.groupingBy(Verdict::signature, TreeMap::new, Collectors.counting()));
    if (!shapes.isEmpty()) {
      out.append("wrong answers by shape (source: truth -> memtrace's answer):\n");
      shapes.forEach((shape, n) -> out.append(String.format("  %5d  %s%s%n", n, shape,
          "")));
    }
    Map<String, Long> known = verdicts.stream().filter(v -> v.outcome().equals("wrong"))
        .collect(Collectors.groupingBy(v -> KnownWrong.rule(v).map(KnownWrong.Rule::name).orElse("NOT KNOWN"),
            TreeMap::new, Collectors.counting()));
    if (!known.isEmpty()) {
      out.append("wrong answers by known cause (KnownWrong):\n");
      known.forEach((rule, n) -> out.append(String.format("  %5d  %s%n", n, rule)));
    }
    inconsistencies.stream().limit(20).forEach(i -> out.append("oracle inconsistency: ").append(i).append('\n'));
    return out.toString();
  }

  private static long count(List<Verdict> verdicts, String outcome) {
    return verdicts.stream().filter(v -> v.outcome().equals(outcome)).count();
  }

  /** One wrong answer with what is needed to replay it: the seed, the read, both answers and the scenario as it ran. */
  static String wrong(Verdict v, List<String> history) {
    ScenarioRunner.Read r = v.read();
    return String.format("WRONG seed=%d (replay: -Dtruth.seed=%d) step %d (#%d) GET %s -> %s%n  memtrace %s: %s%n"
        + "  oracle: %s%n  scenario:%n    %s%n", r.seed(), r.seed(), r.step(), r.run(), r.place(), r.reply(),
        v.source(), v.claim(), r.truth(), String.join("\n    ", history));
  }
}
