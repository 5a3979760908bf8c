package io.memtrace.collector.truth;

import io.memtrace.collector.truth.Step.Actor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Issue 77's target "Exact" on the truth suite: the same seeds run twice, each against a fresh Redis and
 * {@code serve}, the Java service first at full capture, then under memtrace's defaults (retention on) with
 * {@code retention.key-events: true}; each read's two answers (its {@code lineage} row, its timeline event, as
 * {@link Verdict} judges them) are compared read by read.
 *
 * <p>An answer is its verdict ({@code right}, {@code unknown} and why, or {@code wrong} and its shape) and the step
 * it names, by its place in the scenario ({@code seed/step}: run numbers and span ids differ between the runs). Two
 * runs are two histories: an eviction or a TTL may land on the other side of a read. A read whose truth differs
 * between them is not compared (counted as "Redis did otherwise"); a read whose answers differ must have a cause
 * this class lists ({@link #CAUSES}, as {@link KnownWrong} lists wrong answers), or the IT fails. A read the
 * defaults answer {@code compressed} fails it too unless a listed cause names it.
 */
final class ExactByDefault {

  /**
   * A read's answers in the two runs.
   *
   * @param namedUnstored the command of the step the full capture's answer names, when that step left no span in
   *                      the defaults' run; else null
   * @param closeChanges  whether, in either run, another step changed the read's key within {@link #CLOSE_MS}
   *                      before the change the read saw, or after the read itself
   */
  record Pair(String source, ScenarioRunner.Read read, Verdict full, Verdict defaults, String truth, String fullAnswer,
      String defaultsAnswer, String namedUnstored, boolean closeChanges) {
    boolean same() {
      return fullAnswer.equals(defaultsAnswer);
    }
  }

  /** A cause of differing answers: its name, why, and which differences are its. */
  record Cause(String name, String reason, Predicate<Pair> matches) {
  }

  private static final Set<String> BATCHES = Set.of("PIPE", "MULTI");
  /** NoticedChanges.BEFORE_MS, with a margin for the suite's own clock. */
  static final long CLOSE_MS = 300;
  /** The unknowns whose cause is how late the watcher received a notification, or where the spans fell. */
  private static final Set<String> TIMING = Set.of("unknown_late", "unknown_unplaced");

  static final List<Cause> CAUSES = List.of(
      // a pipeline or MULTI compressed whole goes out as its batch's key events since 2f5ceee3: before it, its count
      // (no namespace: any key) made the timeline say 'unknown (spans compressed)' for every read near its interval
      new Cause("a command naming no key compressed", "ADR 0004: a compressed command makes a key event only when it "
          + "names a key; a compressed SWAPDB or FLUSHDB leaves no span, and the answer at full capture named it",
          p -> p.namedUnstored() != null && !BATCHES.contains(p.namedUnstored())
              && !p.defaults().outcome().equals("wrong")),
      new Cause("two changes of the key within 250 ms", "the lineage view's own rules (NoticedChanges): when two "
          + "changes of the key's kind are received within 250 ms before the writer began, which is the writer's own "
          + "is open; when a change is received within 250 ms after the read, no span accounting for it, it may have "
          + "come before the read (a busy watcher's lag). Either way the read says 'writer unknown'. The other run's "
          + "steps fell further apart, or its watcher was slower, and it kept the writer; both answers are the "
          + "view's, by timing (seed 20: an untraced RENAME into the key four steps after the read)",
          // the view's rules compare when the watcher received a notification, which the suite's step clock does not
          // see: a run may meet them with no two steps within 250 ms by that clock (seed 52), so a right answer in one
          // run against 'writer unknown' in the other is the same cause; a compressed answer never is. The timeline
          // has the second rule since 6e64ee72 (WriterLinks.unseen), named in its answer (seed 20 under the defaults
          // at load 17-25: the RENAME's rename_to received 164 ms after the read began; at full capture it failed)
          p -> (p.source().equals("lineage")
              ? "writer unknown".equals(p.full().cause()) || "writer unknown".equals(p.defaults().cause())
              : writeReportedAfterTheRead(p.full()) || writeReportedAfterTheRead(p.defaults())
                  || ownerOpen(p.full()) || ownerOpen(p.defaults()))
              && !compressed(p.defaults()) && !p.full().outcome().equals("wrong")
              && !p.defaults().outcome().equals("wrong")
              && (p.closeChanges() || p.full().outcome().equals("right") || p.defaults().outcome().equals("right"))),
      new Cause("a change known by its notification alone", "retention changes only what the traced services "
          + "send: a change no span names the key of (an untraced write or delete, an expiry, an eviction, a key's "
          + "arrival by COPY, RENAME or MOVE, a script's change, a Node DEL, whose span records no reply) is known by "
          + "its keyspace notification alone, and "
          + "whether the watcher received it before the read began decides the answer in either run (seen at load "
          + "7-15: a read of an untraced SET with no writer, 'writer not in store', when its notification came after "
          + "the read)",
          // the timeline's 'unseen' (the value found is not the last write memtrace placed before the read) is the
          // watcher's timing too for such a change: its notification was not placed before the read (seed 61 at load
          // 7: an untraced SET PX 50 right after an eviction flood, the read after it; right at full capture)
          p -> (!hidden(p.defaults()) || unseen(p.defaults()) && !compressed(p.defaults()))
              && notifiedOnly(p.full().read().truth()) && !p.full().outcome().equals("wrong")
              && !p.defaults().outcome().equals("wrong")
              && (p.full().outcome().equals("unknown") || p.defaults().outcome().equals("unknown"))),
      new Cause("right under the defaults, not at full capture", "the defaults lose nothing here: the full "
          + "capture's run gave this read an unknown (or a wrong answer, which fails that run by itself) the other run "
          + "did not: a late notification, or a span not yet placed, in that run only",
          p -> p.defaults().outcome().equals("right") && !p.full().outcome().equals("right")),
      new Cause("Redis removed another write's value", "both right: an expiry or eviction, timed by Redis, took the "
          + "value of a different write in each run, and the answer names the write whose value it took",
          p -> p.defaults().outcome().equals("right") && p.full().outcome().equals("right")
              && Set.of("expired", "evicted").contains(p.full().read().truth().what())),
      new Cause("an untraced command on a whole database beside the read in one run", "the watcher places a "
          + "FLUSHDB, FLUSHALL or SWAPDB of the untraced client in the window of two polls of INFO commandstats "
          + "(about 100 ms), of the whole server and no database: the seven slots share one server, and another "
          + "scenario's call falls between a read and the change it saw in one run and not in the other",
          p -> !hidden(p.defaults()) && !p.full().outcome().equals("wrong") && !p.defaults().outcome().equals("wrong")
              && (untracedWholeDatabase(p.full()) || untracedWholeDatabase(p.defaults()))),
      new Cause("timing", "the two runs are two histories: the watcher receives a notification late, or a span "
          + "falls beside another's notification, in one run and not the other (unknown_late, unknown_unplaced)",
          p -> !hidden(p.defaults()) && (timing(p.full()) && !p.defaults().outcome().equals("wrong")
              || timing(p.defaults()) && !p.full().outcome().equals("wrong"))),
      new Cause("a known wrong answer in one run", "KnownWrong's causes are timing-dependent (a late notification, a "
          + "span's window): one run gives the known wrong answer, the other does not",
          p -> !hidden(p.defaults()) && knownOrNot(p.full()) && knownOrNot(p.defaults())
              && (p.full().outcome().equals("wrong") || p.defaults().outcome().equals("wrong"))));

  /** How many of the full run's seeds the defaults' run takes when {@code truth.defaults.scenarios} is not set. */
  static final int CI_SCENARIOS = 100;

  private ExactByDefault() {
  }

  /** The defaults' run beside a full run: its own outcome, the comparison, and the report of both. */
  record Run(TruthSuite.Outcome outcome, Comparison comparison, String report) {
  }

  /**
   * The defaults' run of the first {@code truth.defaults.scenarios} (default {@link #CI_SCENARIOS}; 0 for none) of
   * {@link TruthSuite#seeds}, compared with {@code full}, their full run; none when 0. With
   * {@code truth.defaults.control=true} the second run is at full capture too: what two runs differ by alone.
   */
  static Optional<Run> fromProperties(TruthSuite.Outcome full) throws Exception {
    int n = Integer.getInteger("truth.defaults.scenarios", CI_SCENARIOS);
    if (n <= 0) {
      return Optional.empty();
    }
    List<Long> seeds = TruthSuite.seeds().stream().limit(n).toList();
    boolean control = Boolean.getBoolean("truth.defaults.control");
    TruthSuite.Settings settings = control ? TruthSuite.settings().underDefaults().atFullCapture()
        : TruthSuite.settings().underDefaults();
    TruthSuite.Outcome outcome = TruthSuite.run(seeds, settings, io.memtrace.testsupport.BuildPaths.IT_WORK
        .resolve("truth-defaults-" + System.nanoTime()));
    Comparison comparison = compare(full, outcome);
    StringBuilder report = new StringBuilder(control ? "the second run, at full capture again (control):\n"
        : "the second run, the Java service under the defaults with key events:\n").append(outcome.report(30))
        .append(comparison.table());
    comparison.unexplained().stream().limit(30).forEach(p -> report.append(unexplained(p, full, outcome)));
    int examples = Integer.getInteger("truth.examples", 0);
    comparison.pairs().stream().filter(p -> !p.same()).collect(Collectors.groupingBy(
        p -> cause(p).map(Cause::name).orElse(""), TreeMap::new, Collectors.toList())).forEach((cause, ps) -> ps
        .stream().limit(cause.isEmpty() ? 0 : examples).forEach(p -> report.append("known (").append(cause)
        .append(") ").append(unexplained(p, full, outcome))));
    return Optional.of(new Run(outcome, comparison, report.toString()));
  }

  /** The comparison of two runs of the same seeds: every pair, and the table. */
  record Comparison(List<Pair> pairs, int notCompared, String table) {
    /** Pairs whose answers differ with no listed cause, or that the defaults answer compressed without one. */
    List<Pair> unexplained() {
      return pairs.stream().filter(p -> (!p.same() || compressed(p.defaults())) && cause(p).isEmpty()).toList();
    }
  }

  static Optional<Cause> cause(Pair pair) {
    return CAUSES.stream().filter(c -> c.matches().test(pair)).findFirst();
  }

  /** The answers of {@code defaults} (the defaults' run) compared with those of {@code full}, read by read. */
  static Comparison compare(TruthSuite.Outcome full, TruthSuite.Outcome defaults) {
    Map<String, Verdict> fullByRead = new HashMap<>();
    full.verdicts().stream().filter(v -> !v.source().contains("ClickHouse")).forEach(v -> fullByRead.put(
        v.source() + " " + v.read().seed() + "/" + v.read().step(), v));
    Map<String, String> unstoredSteps = new HashMap<>();
    defaults.unstored().forEach((run, command) -> unstoredSteps.put(defaults.stepOfRun().get(run), command));
    List<Pair> pairs = new ArrayList<>();
    int notCompared = 0;
    // ClickHouse's answers, when asked, are compared with the embedded store's in each run (its inconsistencies)
    for (Verdict d : defaults.verdicts().stream().filter(v -> !v.source().contains("ClickHouse")).toList()) {
      Verdict f = fullByRead.get(d.source() + " " + d.read().seed() + "/" + d.read().step());
      String truth = f == null ? null : truth(f.read().truth(), full.stepOfRun());
      if (f == null || !truth.equals(truth(d.read().truth(), defaults.stepOfRun()))) {
        notCompared++;
        if (compressed(d)) {
          // a compressed answer is judged whatever the truth: it fails without a listed cause
          pairs.add(new Pair(d.source(), d.read(), d, d, "(not compared)", "(not compared)",
              answer(d, defaults.stepOfRun()), null, false));
        }
        continue;
      }
      pairs.add(new Pair(d.source(), d.read(), f, d, truth, answer(f, full.stepOfRun()), answer(d,
          defaults.stepOfRun()), f.named() == null ? null : unstoredSteps.get(full.stepOfRun()
          .get(f.named())), closeChanges(defaults, d.read()) || closeChanges(full, f.read())));
    }
    return new Comparison(pairs, notCompared, table(pairs, notCompared, defaults));
  }

  private static String table(List<Pair> pairs, int notCompared, TruthSuite.Outcome defaults) {
    StringBuilder out = new StringBuilder("exact by default (issue 77): each read's answers under the defaults with "
        + "key events against full capture\n");
    out.append(String.format("%-10s %6s %6s %7s   differing by cause%n", "source", "reads", "same", "differ"));
    pairs.stream().collect(Collectors.groupingBy(Pair::source, TreeMap::new, Collectors.toList())).forEach((s, ps) -> {
      Map<String, Long> causes = ps.stream().filter(p -> !p.same()).collect(Collectors.groupingBy(
          p -> cause(p).map(Cause::name).orElse("NOT EXPLAINED"), TreeMap::new, Collectors.counting()));
      out.append(String.format("%-10s %6d %6d %7d   %s%n", s, ps.size(), ps.stream().filter(Pair::same).count(),
          ps.stream().filter(p -> !p.same()).count(), causes));
    });
    out.append(String.format("not compared: %d answers whose read's truth differed between the runs (Redis did "
        + "otherwise: an eviction, a TTL)%n", notCompared));
    Map<String, Long> left = new TreeMap<>();
    defaults.unstored().values().forEach(c -> left.merge(c, 1L, Long::sum));
    out.append("steps of the Java service left with no span under the defaults (compressed, naming no key): ")
        .append(left).append('\n');
    return out.toString();
  }

  /** One unexplained pair, with both runs' histories of its scenario. */
  static String unexplained(Pair p, TruthSuite.Outcome full, TruthSuite.Outcome defaults) {
    ScenarioRunner.Read r = p.read();
    return String.format("DIFFERS seed=%d (replay: -Dtruth.seed=%d) step %d GET %s, %s%n  oracle: %s%n"
        + "  full capture: %s (%s)%n  defaults:     %s (%s)%n  full capture's run:%n    %s%n  defaults' run:%n    %s%n",
        r.seed(), r.seed(), r.step(), r.place(), p.source(), p.truth(), p.fullAnswer(), p.full().claim(),
        p.defaultsAnswer(), p.defaults().claim(), String.join("\n    ", full.history().getOrDefault(r.seed(),
        List.of())), String.join("\n    ", defaults.history().getOrDefault(r.seed(), List.of())));
  }

  /**
   * Whether another step changed the read's key within {@link #CLOSE_MS} before the change the read saw, or within
   * {@link #CLOSE_MS} after the read.
   */
  private static boolean closeChanges(TruthSuite.Outcome run, ScenarioRunner.Read read) {
    Long at = run.timeOfRun().get(read.truth().run());
    Long readAt = run.timeOfRun().get(read.run());
    String place = read.place().db() + "/" + read.place().key();
    return run.changedOfRun().entrySet().stream().anyMatch(e -> {
      Long t = run.timeOfRun().get(e.getKey());
      return e.getKey() != read.truth().run() && e.getValue().contains(place) && t != null
          && (at != null && t <= at && t >= at - CLOSE_MS || readAt != null && t >= readAt && t <= readAt + CLOSE_MS);
    });
  }

  /** The answer as compared: the verdict, and the step it names by its place in the scenario. */
  static String answer(Verdict v, Map<Integer, String> stepOfRun) {
    String what = v.outcome().equals("unknown") ? "unknown (" + v.cause() + ")" : v.outcome() + " (" + v.kind() + ")";
    return v.named() == null ? what : what + " naming step " + stepOfRun.get(v.named());
  }

  private static String truth(Change t, Map<Integer, String> stepOfRun) {
    return t.what() + (t.by() == null ? "" : " by " + t.by() + " " + t.command() + " step " + stepOfRun.get(t.run()));
  }

  /** An answer that retention's counts made unknown: the view's {@code compressed}, the timeline's. */
  static boolean compressed(Verdict v) {
    return v.outcome().equals("unknown") && ("compressed".equals(v.cause()) || "unknown_compressed".equals(v.cause()));
  }

  /**
   * An answer retention's counts may have made unknown: compressed, or in the timeline a change whose author is
   * unknown (the lineage view says {@code compressed} for those, and {@code unknown} only by the notifications), but
   * for a key that arrived by COPY, RENAME or MOVE, which the timeline names so at full capture too.
   */
  private static boolean hidden(Verdict v) {
    return compressed(v) || v.source().startsWith("timeline") && "writer unknown".equals(v.cause())
        && !(v.read().truth().what().equals("write") && Set.of("COPY", "RENAME", "MOVE").contains(
        v.read().truth().command()));
  }

  /** A change no span names the key of, or a Node delete: ioredis records no reply, so its notification says it. */
  private static boolean notifiedOnly(Change truth) {
    return !truth.namedByItsSpan() || truth.by() == Actor.NODE && truth.what().equals("delete");
  }

  /**
   * An unknown by a command on a whole database of a client memtrace does not trace: the view's {@code whole_db} with
   * no span, the timeline's naming that client.
   */
  private static boolean untracedWholeDatabase(Verdict v) {
    return v.outcome().equals("unknown") && Set.of("whole database", "unknown_whole_db").contains(v.cause())
        && (v.claim().contains("does not trace") || v.source().startsWith("lineage") && !v.claim().contains(" span "));
  }

  /**
   * The timeline's {@code writer unknown} for a write Redis reported, no span accounting for it, within 250 ms after
   * the read (WriterLinks.unseen): the watcher's lag, at any capture, as the view's; the answer names this reason.
   */
  static boolean writeReportedAfterTheRead(Verdict v) {
    return v.source().startsWith("timeline") && "writer unknown".equals(v.cause())
        && v.claim().contains("Redis reported a write of the key at") && v.claim().contains("after the read began");
  }

  /**
   * The timeline's {@code writer unknown} for a change whose own span or key event is left open because another change
   * of the key was received while that command ran or after it ended (KeyRecord.openOwner): the timeline's form of
   * the view's two-changes rule, by when the watcher received them; the answer names this reason.
   */
  static boolean ownerOpen(Verdict v) {
    return v.source().startsWith("timeline") && "writer unknown".equals(v.cause())
        && v.claim().contains("leaves which is its own open");
  }

  /** The timeline's answer that the value found is not the last write memtrace placed before the read. */
  private static boolean unseen(Verdict v) {
    return v.source().startsWith("timeline") && "writer unknown".equals(v.cause())
        && v.claim().contains("\"what\":\"unseen\"");
  }

  private static boolean timing(Verdict v) {
    return v.outcome().equals("unknown") && TIMING.contains(v.cause());
  }

  private static boolean knownOrNot(Verdict v) {
    return !v.outcome().equals("wrong") || KnownWrong.rule(v).isPresent();
  }
}
