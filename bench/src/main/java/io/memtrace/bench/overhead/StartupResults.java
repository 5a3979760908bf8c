package io.memtrace.bench.overhead;

import static io.memtrace.bench.overhead.Results.check;
import static io.memtrace.bench.overhead.Results.fmt;
import static io.memtrace.bench.overhead.Results.medianAll;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * The start-up part of the results: each probe run several times per variant and round, and the
 * medians over every run as markdown tables.
 */
final class StartupResults {

  /** The start-up probes: a main that does nothing, and one whose first act is a Redis command. */
  enum Probe {
    TRIVIAL("trivial", TrivialMain.class, false),
    JEDIS_FIRST("jedis-first", JedisFirstMain.class, true);

    final String name;
    final String mainClass;
    /** Whether it takes the Redis host and port as arguments. */
    final boolean redis;

    Probe(String name, Class<?> main, boolean redis) {
      this.name = name;
      this.mainClass = main.getName();
      this.redis = redis;
    }
  }

  /** probe → variant name → round → runs. */
  private final Map<Probe, Map<String, Map<Integer, List<Forks.Outcome>>>> runs = new TreeMap<>();
  private final Map<String, String> labels = new LinkedHashMap<>();

  void record(Probe probe, int round, Variant variant, Forks.Outcome outcome) {
    labels.putIfAbsent(variant.name, variant.label);
    runs.computeIfAbsent(probe, p -> new LinkedHashMap<>()).computeIfAbsent(variant.name, v -> new TreeMap<>())
        .computeIfAbsent(round, r -> new ArrayList<>()).add(outcome);
  }

  /** Appends a table per probe measured, and the start-up targets to {@code checks}. */
  void render(StringBuilder md, List<String> checks) {
    if (runs.containsKey(Probe.TRIVIAL)) {
      renderTrivial(md, runs.get(Probe.TRIVIAL), checks);
    }
    if (runs.containsKey(Probe.JEDIS_FIRST)) {
      renderJedisFirst(md, runs.get(Probe.JEDIS_FIRST));
    }
  }

  private void renderTrivial(StringBuilder md, Map<String, Map<Integer, List<Forks.Outcome>>> runs,
      List<String> checks) {
    Map<Integer, List<Forks.Outcome>> base = runs.get("none");
    md.append("**Start-up: a trivial main, JVM start to exit** (median of every run)\n\n");
    md.append("| variant | wall s | + s vs no agent | peak RSS MB | +MB |\n|---|---:|---:|---:|---:|\n");
    double baseWall = medianAll(base, o -> o.wallSeconds);
    double baseRss = medianAll(base, o -> o.get("peak_rss_kb") / 1024);
    for (Map.Entry<String, Map<Integer, List<Forks.Outcome>>> v : runs.entrySet()) {
      double wall = medianAll(v.getValue(), o -> o.wallSeconds);
      double rss = medianAll(v.getValue(), o -> o.get("peak_rss_kb") / 1024);
      md.append("| ").append(labels.get(v.getKey())).append(" | ").append(fmt("%.3f", wall))
          .append(" | ").append(fmt("%+.3f", wall - baseWall)).append(" | ").append(fmt("%.0f", rss))
          .append(" | ").append(fmt("%+.0f", rss - baseRss)).append(" |\n");
      if (v.getKey().equals("memtrace")) {
        checks.add(check("start-up overhead, trivial main", wall - baseWall, "<", 0.3, " s"));
        checks.add(check("extra RSS, trivial main", rss - baseRss, "<", 40, " MB"));
      }
    }
    md.append('\n');
  }

  /** First reply: from starting the process to the end of the first command; exit: to the end of the process. */
  private void renderJedisFirst(StringBuilder md, Map<String, Map<Integer, List<Forks.Outcome>>> runs) {
    Map<Integer, List<Forks.Outcome>> base = runs.get("none");
    ToDoubleFunction<Forks.Outcome> firstReply = o -> (o.get("first_reply_epoch_ms") - o.startedAtMillis) / 1000;
    md.append("**Start-up: a main whose first act is a Redis command** (`SET`, then `GET`; median of every run; "
        + "first reply: process start to the end of the `SET`; exit: to the end of the process, the agent's "
        + "last export included)\n\n");
    md.append("| variant | first reply s | + s vs no agent | exit s | + s vs no agent | peak RSS MB | +MB |\n"
        + "|---|---:|---:|---:|---:|---:|---:|\n");
    double baseFirst = medianAll(base, firstReply);
    double baseWall = medianAll(base, o -> o.wallSeconds);
    double baseRss = medianAll(base, o -> o.get("peak_rss_kb") / 1024);
    for (Map.Entry<String, Map<Integer, List<Forks.Outcome>>> v : runs.entrySet()) {
      double first = medianAll(v.getValue(), firstReply);
      double wall = medianAll(v.getValue(), o -> o.wallSeconds);
      double rss = medianAll(v.getValue(), o -> o.get("peak_rss_kb") / 1024);
      md.append("| ").append(labels.get(v.getKey()))
          .append(" | ").append(fmt("%.3f", first)).append(" | ").append(fmt("%+.3f", first - baseFirst))
          .append(" | ").append(fmt("%.3f", wall)).append(" | ").append(fmt("%+.3f", wall - baseWall))
          .append(" | ").append(fmt("%.0f", rss)).append(" | ").append(fmt("%+.0f", rss - baseRss)).append(" |\n");
    }
    md.append('\n');
  }
}
