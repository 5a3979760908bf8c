package io.memtrace.bench.overhead;

import static io.memtrace.bench.overhead.RoundStats.check;
import static io.memtrace.bench.overhead.RoundStats.fmt;
import static io.memtrace.bench.overhead.RoundStats.medianAll;

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

  /**
   * The start-up probes: a main that does nothing, one whose first act is a Redis command, and the
   * Spring Boot app of {@code spring-app/} in its probe mode (start, store and read back one note
   * in Redis, exit), run as {@code java -jar} when its fat jar is built.
   */
  enum Probe {
    TRIVIAL("trivial", TrivialMain.class.getName()),
    JEDIS_FIRST("jedis-first", JedisFirstMain.class.getName()),
    SPRING_BOOT("spring-boot", null);

    final String name;
    /** The probe's main class in the bench jar; {@code null} for the Spring Boot fat jar. */
    final String mainClass;

    Probe(String name, String mainClass) {
      this.name = name;
      this.mainClass = mainClass;
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

  /** One measured figure of a run, shown as its median and its difference to no agent's median. */
  private static final class Column {
    final String title;
    final String format;
    final ToDoubleFunction<Forks.Outcome> value;

    Column(String title, String format, ToDoubleFunction<Forks.Outcome> value) {
      this.title = title;
      this.format = format;
      this.value = value;
    }
  }

  private static final Column WALL = new Column("wall s", "%.3f", o -> o.wallSeconds);
  private static final Column EXIT_CPU = new Column("CPU s", "%.2f", o -> o.get("exit_cpu_s"));
  private static final Column RSS = new Column("peak RSS MB", "%.0f", o -> o.get("peak_rss_kb") / 1024);
  private static final Column FIRST_REPLY = new Column("first reply s", "%.3f",
      o -> (o.get("first_reply_epoch_ms") - o.startedAtMillis) / 1000);
  private static final Column FIRST_REPLY_CPU = new Column("CPU s by then", "%.2f", o -> o.get("first_reply_cpu_s"));
  private static final Column EXIT = new Column("exit s", "%.3f", o -> o.wallSeconds);

  /** Appends a table per probe measured, and the start-up targets to {@code checks}. */
  void render(StringBuilder md, List<String> checks) {
    if (!runs.isEmpty()) {
      md.append("Start-up: each run of a probe is made under every variant in turn; \"+ vs no agent\" is the median "
          + "of the differences between a variant's run and no agent's run of the same turn.\n\n");
    }
    Map<String, Map<Integer, List<Forks.Outcome>>> trivial = runs.get(Probe.TRIVIAL);
    if (trivial != null) {
      md.append("**Start-up: a trivial main, JVM start to exit** (median of every run; CPU: all the process's "
          + "threads)\n\n");
      table(md, trivial, List.of(WALL, EXIT_CPU, RSS));
      if (trivial.containsKey("memtrace")) {
        checks.add(check("start-up overhead, trivial main", added(trivial, "memtrace", WALL.value), "<", 0.3, " s"));
        checks.add(check("extra RSS, trivial main", added(trivial, "memtrace", RSS.value), "<", 40, " MB"));
      }
    }
    Map<String, Map<Integer, List<Forks.Outcome>>> jedisFirst = runs.get(Probe.JEDIS_FIRST);
    if (jedisFirst != null) {
      md.append("**Start-up: a main whose first act is a Redis command** (`SET`, then `GET`; median of every "
          + "run; first reply: from starting the process to the end of the `SET`, and the CPU time the process "
          + "had used by then; exit: to the end of the process, the agent's last export included)\n\n");
      table(md, jedisFirst, List.of(FIRST_REPLY, FIRST_REPLY_CPU, EXIT, RSS));
      if (jedisFirst.containsKey("memtrace")) {
        checks.add(check("start-up overhead, a main's first Redis reply",
            added(jedisFirst, "memtrace", FIRST_REPLY.value), "<=", 0.2, " s"));
      }
    }
    Map<String, Map<Integer, List<Forks.Outcome>>> springBoot = runs.get(Probe.SPRING_BOOT);
    if (springBoot != null) {
      md.append("**Start-up: the Spring Boot app** (`java -jar spring-app/target/memtrace-spring-app.jar "
          + "--probe`: Spring Boot 3.5 starts, stores and reads back one note in Redis through Jedis, and exits; "
          + "median of every run; first reply: from starting the process to the end of the store's `SET`, and the "
          + "CPU time the process had used by then; exit: to the end of the process, the shutdown and the agent's "
          + "last export included; CPU to exit and peak RSS by GNU time)\n\n");
      table(md, springBoot, List.of(FIRST_REPLY, FIRST_REPLY_CPU, EXIT, EXIT_CPU, RSS));
      if (springBoot.containsKey("memtrace")) {
        checks.add(check("start-up overhead, Spring Boot's first Redis reply",
            added(springBoot, "memtrace", FIRST_REPLY.value), "<=", 0.25, " s"));
      }
    }
  }

  private void table(StringBuilder md, Map<String, Map<Integer, List<Forks.Outcome>>> byVariant, List<Column> columns) {
    StringBuilder head = new StringBuilder("| variant |");
    StringBuilder rule = new StringBuilder("|---|");
    for (Column c : columns) {
      head.append(' ').append(c.title).append(" | + vs no agent |");
      rule.append("---:|---:|");
    }
    md.append(head).append('\n').append(rule).append('\n');
    for (Map.Entry<String, Map<Integer, List<Forks.Outcome>>> v : byVariant.entrySet()) {
      md.append("| ").append(labels.get(v.getKey())).append(" |");
      for (Column c : columns) {
        double value = medianAll(v.getValue(), c.value);
        md.append(' ').append(fmt(c.format, value)).append(" | ")
            .append(fmt(c.format.replace("%", "%+"), added(byVariant, v.getKey(), c.value))).append(" |");
      }
      md.append('\n');
    }
    md.append('\n');
  }

  /**
   * The median of {@code variant}'s run minus no agent's run of the same round and place: the harness runs each run
   * of a probe under every variant in turn, so each pair was measured seconds apart and the machine's load mostly
   * cancels, where a difference of two medians kept it whenever it changed between one variant's runs and another's.
   */
  static double added(Map<String, Map<Integer, List<Forks.Outcome>>> byVariant, String variant,
      ToDoubleFunction<Forks.Outcome> value) {
    Map<Integer, List<Forks.Outcome>> base = byVariant.get("none");
    List<Double> differences = new ArrayList<>();
    for (Map.Entry<Integer, List<Forks.Outcome>> round : byVariant.get(variant).entrySet()) {
      List<Forks.Outcome> runs = round.getValue();
      List<Forks.Outcome> baseRuns = base.getOrDefault(round.getKey(), List.of());
      for (int i = 0; i < Math.min(runs.size(), baseRuns.size()); i++) {
        differences.add(value.applyAsDouble(runs.get(i)) - value.applyAsDouble(baseRuns.get(i)));
      }
    }
    return RoundStats.median(differences);
  }
}
