package io.memtrace.collector.truth;

import com.fasterxml.jackson.databind.JsonNode;
import io.memtrace.collector.it.CollectorProcess;
import io.memtrace.collector.truth.ScenarioGenerator.Scenario;
import io.memtrace.testsupport.OtlpSink;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import redis.clients.jedis.Jedis;

/**
 * One run of the truth suite: a Redis, a {@code serve} watching it with keyspace notifications on (its default
 * namespaces unless {@code serveArgs} say otherwise), the traced service under the agent and the untraced client; the
 * scenarios, then every traced read's answers from memtrace judged against the oracle's.
 */
final class TruthSuite {

  /**
   * A run's answers, judged.
   *
   * @param stepOfRun each step's {@code seed/step} by run number, to compare two runs of the same seeds
   * @param timeOfRun when each step began, by run number
   * @param changedOfRun the places ({@code db/key}) each step's commands other than a GET name, by run number
   * @param unstored  the commands of the Java service's steps that left no span (under retention: compressed, and
   *                  naming no key), by run number
   */
  record Outcome(String table, List<Verdict> verdicts, Map<Long, List<String>> history, List<String> inconsistencies,
      Map<Integer, String> stepOfRun, Map<Integer, Long> timeOfRun, Map<Integer, java.util.Set<String>> changedOfRun,
      Map<Integer, String> unstored) {
    /** Wrong answers of a shape {@link KnownWrong} does not list. */
    List<Verdict> unexpected() {
      return verdicts.stream().filter(v -> v.outcome().equals("wrong") && KnownWrong.rule(v).isEmpty())
          .toList();
    }

    /**
     * The table, then at most {@code limit} unexpected wrong answers, each with its scenario, and as many examples of
     * each known cause as {@code truth.examples} asks (default none).
     */
    String report(int limit) {
      StringBuilder out = new StringBuilder(table).append('\n');
      unexpected().stream().limit(limit).forEach(v -> out.append(TruthTable.wrong(v, history.get(v.read().seed()))));
      // each read the oracle could not explain with its scenario as it ran, to replay and mend the oracle
      inconsistencies.stream().limit(limit).forEach(i -> {
        java.util.regex.Matcher seed = java.util.regex.Pattern.compile("read of t(-?\\d+):").matcher(i);
        if (seed.find() && history.containsKey(Long.parseLong(seed.group(1)))) {
          out.append("INCONSISTENT ").append(i).append("\n  scenario:\n    ")
              .append(String.join("\n    ", history.get(Long.parseLong(seed.group(1))))).append('\n');
        }
      });
      int examples = Integer.getInteger("truth.examples", 0);
      verdicts.stream().filter(v -> v.outcome().equals("wrong")).collect(java.util.stream.Collectors.groupingBy(
          v -> KnownWrong.rule(v).map(KnownWrong.Rule::name).orElse(""), java.util.TreeMap::new,
          java.util.stream.Collectors.toList())).forEach((rule, vs) -> vs.stream().limit(rule.isEmpty() ? 0 : examples)
          .forEach(v -> out.append("known (").append(rule).append(") ")
              .append(TruthTable.wrong(v, history.get(v.read().seed())))));
      return out.toString();
    }
  }

  /**
   * A run as the system properties ask: {@code truth.scenarios} (default 200) from seed {@code truth.from} (default 1)
   * and {@link KnownWrong#REGRESSION_SEEDS}, or the one seed {@code truth.seed}, or the seeds {@code truth.seeds=a,b,c} alone; {@code truth.ops=common} keeps to
   * SET/GET/DEL/PEXPIRE, pauses and memory pressure; {@code truth.clickhouse=true} asks the timelines of ClickHouse
   * (chDB) too, and each read's lineage there, many reads at once through its reader and the first
   * {@code truth.clickhouse.webview} (default 1) of each batch as the web view asks it too; {@code truth.node=false} leaves the Node service out (it is in when npm is on the path, its steps then
   * the Java service's); {@code truth.namespaces=GLOB} is given to serve as {@code --keyspace-events-namespaces}.
   */
  static Outcome fromProperties() throws Exception {
    return run(seeds(), settings(), io.memtrace.testsupport.BuildPaths.IT_WORK.resolve("truth-" + System.nanoTime()));
  }

  /** The seeds {@link #fromProperties} runs. */
  static List<Long> seeds() {
    String list = System.getProperty("truth.seeds");
    if (list != null) {
      return java.util.Arrays.stream(list.split(",")).map(Long::parseLong).toList();
    }
    String one = System.getProperty("truth.seed");
    long from = one != null ? Long.parseLong(one) : Long.getLong("truth.from", 1);
    int n = one != null ? 1 : Integer.getInteger("truth.scenarios", 200);
    List<Long> seeds = new ArrayList<>(java.util.stream.LongStream.range(from, from + n).boxed().toList());
    if (one == null) {
      KnownWrong.REGRESSION_SEEDS.stream().filter(s -> !seeds.contains(s)).forEach(seeds::add);
    }
    return seeds;
  }

  /** The settings {@link #fromProperties} runs with: the Java service at full capture. */
  static Settings settings() {
    String namespaces = System.getProperty("truth.namespaces", "");
    boolean all = !"common".equals(System.getProperty("truth.ops"));
    return new Settings(all, all && !"false".equals(System.getProperty("truth.node")) && onPath("npm"),
        Boolean.getBoolean("truth.clickhouse"), namespaces.isEmpty() ? List.of()
        : List.of("--keyspace-events-namespaces", namespaces), false);
  }

  /**
   * What a run drives and asks.
   *
   * @param all        every command, or the common subset
   * @param node       with the Node service (else its steps are the Java service's)
   * @param clickhouse the timelines asked of ClickHouse too
   * @param serveArgs  more arguments for serve
   * @param defaults   the Java service under memtrace's defaults (retention on) with key events, not at full capture
   */
  record Settings(boolean all, boolean node, boolean clickhouse, List<String> serveArgs, boolean defaults) {
    /**
     * The same, the Java service under the defaults with key events; with {@code clickhouse}, ClickHouse is asked too,
     * its views expanding the key events' carriers (ADR 0004).
     */
    Settings underDefaults() {
      return new Settings(all, node, clickhouse, serveArgs, true);
    }

    /** The same, the Java service at full capture. */
    Settings atFullCapture() {
      return new Settings(all, node, clickhouse, serveArgs, false);
    }
  }

  private TruthSuite() {
  }

  /**
   * serve's query timeout for the suite's questions, {@code TestQueryLimits.HANG_GUARD}'s: they compare answers, and
   * at load 10-20 the {@code lineage} view's question of every read ran past the default 30 s.
   */
  static final String HANG_GUARD = io.memtrace.collector.query.TestQueryLimits.HANG_GUARD.timeout().toMinutes() + "m";

  static Outcome run(List<Long> seeds, Settings settings, Path dir) throws Exception {
    long start = System.currentTimeMillis();
    List<Scenario> scenarios = seeds.stream().map(s -> ScenarioGenerator.generate(s, settings.all())).toList();
    try (TruthRedis redis = TruthRedis.start(dir.resolve("redis"));
        OtlpSink forwarded = new OtlpSink();
        CollectorProcess serve = CollectorProcess.serve(dir.resolve("data"), Stream.of(List.of("--watch-redis",
            redis.url(), "--watch-interval", "1s", "--keyspace-events", "on", "--query-timeout", HANG_GUARD),
            settings.serveArgs(),
            settings.clickhouse() ? List.of("--forward", forwarded.endpoint()) : List.<String>of())
            .flatMap(List::stream).toArray(String[]::new));
        RedisRecord record = new RedisRecord(redis);
        Jedis outside = redis.client()) {
      awaitSubscribed(serve);
      outside.clientSetname("truth-outside");
      ScenarioRunner runner;
      StringBuilder phases = new StringBuilder();
      Map<String, String> actors;
      MemtraceAnswers answers = new MemtraceAnswers(serve);
      Map<String, Integer> runOfSpan = new HashMap<>();
      java.util.Set<Integer> unstored = new java.util.TreeSet<>();
      try (TracedService java = TracedService.java(dir.resolve("service"), redis, serve.url().toString(),
          settings.defaults());
          TracedService node = settings.node() ? TracedService.node(redis, serve.url().toString()) : null) {
        actors = actors(outside);
        runner = new ScenarioRunner(record, java, node, outside);
        phases.append(String.format("start %.1f s", (System.currentTimeMillis() - start) / 1000.0));
        long ran = System.currentTimeMillis();
        runner.runAll(scenarios);
        phases.append(String.format(", scenarios %.1f s", (System.currentTimeMillis() - ran) / 1000.0));
        for (TracedService service : node == null ? List.of(java) : List.of(java, node)) {
          service.close();
          runOfSpan.putAll(service.pairSpans(answers));
          runner.oracle.inconsistencies.addAll(service.unpaired);
          unstored.addAll(service.unstored);
        }
      }
      Map<String, Long> monitored = MonitorCheck.count(record.monitor(), actors);
      if (!monitored.equals(runner.sent)) {
        runner.oracle.inconsistencies.add("MONITOR lists " + monitored + ", the suite sent " + runner.sent);
      }
      StepSpans spans = new StepSpans(runOfSpan, runner.removedNothing, runner.commandOfRun, runner.nodeRuns);
      phases.append(String.format(", spans in %.1f s", (System.currentTimeMillis() - start) / 1000.0));
      awaitSteady(answers);
      Map<Integer, String> spanOfRun = new HashMap<>();
      runOfSpan.forEach((span, run) -> spanOfRun.put(run, span));
      Map<String, MemtraceAnswers.Lineage> lineage = lineage(answers, serve, runner, spanOfRun);
      phases.append(String.format(", lineage at %.1f s", (System.currentTimeMillis() - start) / 1000.0));
      Map<String, Map<String, JsonNode>> timelines = answers.timelines(runner.reads.stream()
          .map(r -> r.place().key()).distinct().toList());
      List<Verdict> verdicts = new ArrayList<>();
      // a read the oracle could not explain is counted as its inconsistency, never judged
      for (ScenarioRunner.Read read : runner.reads.stream().filter(r -> r.truth() != null).toList()) {
        String span = spanOfRun.get(read.run());
        verdicts.add(Verdict.lineage(read, lineage.get(span), spans));
        verdicts.add(Verdict.timeline(read, timelines.get(read.place().key()).get(span), spans));
      }
      if (settings.clickhouse()) {
        verdicts.addAll(onClickHouse(dir, forwarded, answers, runner, spans, spanOfRun, verdicts));
        phases.append(String.format(", ClickHouse at %.1f s", (System.currentTimeMillis() - start) / 1000.0));
      }
      phases.append(settings.node() ? "; with the Node service" : "; without Node");
      if (settings.defaults()) {
        JsonNode kept = answers.rows("SELECT count(*), count(*) FILTER (WHERE attributes['memtrace.key_event'] IS NOT "
            + "NULL), count(*) FILTER (WHERE name = 'GET'), count(*) FILTER (WHERE name = 'GET' AND "
            + "attributes['memtrace.key_event'] IS NOT NULL) FROM spans WHERE service_name = '" + TracedService.JAVA
            + "' AND name NOT LIKE 'memtrace.%'").get(0);
        phases.append(String.format("; the Java service under the defaults with key events: %d of its %d stored "
            + "spans from key events (%d of %d GETs), %d of its steps left no span", kept.get(1).asLong(),
            kept.get(0).asLong(), kept.get(3).asLong(), kept.get(2).asLong(), unstored.size()));
      }
      String table = TruthTable.print(scenarios.size(), runner.reads.size(), verdicts, runner.oracle.inconsistencies,
          System.currentTimeMillis() - start) + phases + "\n";
      Map<Integer, String> unstoredCommands = new java.util.TreeMap<>();
      unstored.forEach(run -> unstoredCommands.put(run, runner.commandOfRun.get(run)));
      return new Outcome(table, verdicts, runner.history, runner.oracle.inconsistencies, runner.stepOfRun,
          runner.timeOfRun, runner.changedOfRun, unstoredCommands);
    }
  }

  /**
   * The {@code lineage} view's rows of the Java service's reads. The view gives every stored read a row: a read whose
   * span is stored and that has none is a fault of serve, never an unknown, counted among the inconsistencies the IT
   * fails on, with serve's warnings. Asked once: the question waits for every span serve acknowledged to be loaded
   * ({@link MemtraceAnswers}), and the spans were paired from the same store. The rows missing for every read (two
   * runs of 2026-12-01 and -02) were an answer of serve's timeout read as rows, not a store that lagged.
   */
  private static Map<String, MemtraceAnswers.Lineage> lineage(MemtraceAnswers answers, CollectorProcess serve,
      ScenarioRunner runner, Map<Integer, String> spanOfRun) throws Exception {
    List<String> asked = runner.reads.stream().filter(r -> r.truth() != null).map(r -> spanOfRun.get(r.run()))
        .filter(java.util.Objects::nonNull).toList();
    Map<String, MemtraceAnswers.Lineage> lineage = answers.lineage(TracedService.JAVA);
    long missing = asked.stream().filter(span -> !lineage.containsKey(span)).count();
    if (missing > 0) {
      String warnings = serve.stderr().lines().filter(l -> l.contains("warning") || l.contains("rror"))
          .limit(20).collect(java.util.stream.Collectors.joining("\n  "));
      runner.oracle.inconsistencies.add("the lineage view gave no row for " + missing + " of the " + asked.size()
          + " stored reads; serve's warnings and errors:\n  " + warnings);
    }
    return lineage;
  }

  private static boolean onPath(String tool) {
    return java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
        .anyMatch(d -> java.nio.file.Files.isExecutable(Path.of(d, tool)));
  }

  /** The notifications' writer lingers a second: they are all in when their count holds still that long. */
  private static void awaitSteady(MemtraceAnswers answers) throws Exception {
    long deadline = System.currentTimeMillis() + 15_000;
    for (long was = -1, now = answers.notifications(); now != was && System.currentTimeMillis() < deadline;
        now = answers.notifications()) {
      was = now;
      Thread.sleep(1_500);
    }
  }

  /** serve names its subscription once it is made; a second more and its status row is written. */
  private static void awaitSubscribed(CollectorProcess serve) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 20_000;
    while (!serve.stderr().contains("keyspace notifications of ") && System.currentTimeMillis() < deadline) {
      Thread.sleep(100);
    }
    Thread.sleep(1_000);
  }

  /**
   * The same reads' timelines asked of ClickHouse, loaded with the same spans and notifications; where its answer
   * differs from the embedded store's, that is counted beside the table (the inconsistencies the IT fails on). Each
   * read's lineage too, judged as the {@code lineage} view's rows are. Both are asked of the ClickHouse reader for the
   * reads of as many scenarios at a time as keep their keys within {@code MissCauses.MAX_KEYS} (ten of two keys;
   * {@code ClickHouseReader#timelines}, {@code #readLineage}: about the statements of one read's question, not of
   * each read's); the first {@code truth.clickhouse.webview} reads of
   * each batch (default 1) and the first key's timeline are asked as the web view and {@code timeline --key} ask them
   * too, over HTTP one at a time, and must give the same answer (judged as {@code lineage (ClickHouse, web view)}).
   */
  private static List<Verdict> onClickHouse(Path dir, OtlpSink forwarded, MemtraceAnswers answers,
      ScenarioRunner runner, StepSpans spans, Map<Integer, String> spanOfRun, List<Verdict> earlier) throws Exception {
    List<Verdict> verdicts = new ArrayList<>();
    int webView = Integer.getInteger("truth.clickhouse.webview", 1);
    Map<String, String[]> traceOf = answers.traceOfSpan(TracedService.JAVA);
    try (ClickHouseTwin twin = ClickHouseTwin.load(dir.resolve("clickhouse"), forwarded.requests(), answers)) {
      MemtraceAnswers http = twin.answers();
      Map<Long, List<ScenarioRunner.Read>> bySeed = new java.util.LinkedHashMap<>();
      runner.reads.stream().filter(r -> r.truth() != null)
          .forEach(r -> bySeed.computeIfAbsent(r.seed(), s -> new ArrayList<>()).add(r));
      List<List<ScenarioRunner.Read>> batches = new ArrayList<>();
      for (List<ScenarioRunner.Read> reads : bySeed.values()) {
        List<ScenarioRunner.Read> last = batches.isEmpty() ? null : batches.get(batches.size() - 1);
        if (last == null || java.util.stream.Stream.concat(last.stream(), reads.stream()).map(r -> r.place().key())
            .distinct().count() > io.memtrace.collector.timeline.MissCauses.MAX_KEYS) {
          batches.add(last = new ArrayList<>());
        }
        last.addAll(reads);
      }
      int askedOverHttp = 0;
      for (List<ScenarioRunner.Read> batch : batches) {
        List<String> keys = batch.stream().map(r -> r.place().key()).distinct().toList();
        Map<String, Map<String, JsonNode>> timelines = timelines(twin.reader(), keys);
        Map<String, JsonNode> overHttp = webView > 0 ? http.timeline(keys.get(0)) : timelines.get(keys.get(0));
        if (!overHttp.equals(timelines.get(keys.get(0)))) {
          runner.oracle.inconsistencies.add("ClickHouse's timeline of " + keys.get(0) + " over HTTP differs from the "
              + "reader's for many keys: " + overHttp + " against " + timelines.get(keys.get(0)));
        }
        List<String> traces = batch.stream().map(r -> traceOf.get(spanOfRun.get(r.run())))
            .filter(java.util.Objects::nonNull).map(id -> id[0]).distinct().toList();
        Map<String, MemtraceAnswers.Lineage> lineage = MemtraceAnswers.lineage(twin.reader().readLineage(traces));
        Map<String, MemtraceAnswers.Lineage> sampled = http.readLineage(batch.stream().limit(webView)
            .map(r -> spanOfRun.get(r.run())).filter(java.util.Objects::nonNull).toList(), traceOf);
        askedOverHttp += sampled.size();
        for (ScenarioRunner.Read read : batch) {
          String span = spanOfRun.get(read.run());
          verdicts.add(Verdict.timeline(read, timelines.get(read.place().key()).get(span), spans)
              .from("timeline (ClickHouse)"));
          verdicts.add(Verdict.lineage(read, lineage.get(span), spans).from("lineage (ClickHouse)"));
          if (sampled.containsKey(span)) {
            verdicts.add(Verdict.lineage(read, sampled.get(span), spans).from("lineage (ClickHouse, web view)"));
            if (!sampled.get(span).equals(lineage.get(span))) {
              runner.oracle.inconsistencies.add("ClickHouse's read_lineage of the read #" + read.run() + " (seed "
                  + read.seed() + ") says " + sampled.get(span) + ", its reader's for many reads " + lineage.get(span));
            }
          }
        }
      }
      System.out.printf("ClickHouse: %d batches of reads; %d reads and %d keys asked over HTTP too%n", batches.size(),
          askedOverHttp, webView > 0 ? batches.size() : 0);
    }
    // the two stores, given the same rows, must give the same answer to each read, right or not; times to the
    // millisecond, as ClickHouse keeps the notifications' status rows (DateTime64(3))
    Map<Integer, String> embedded = new HashMap<>();
    earlier.stream().filter(v -> v.source().equals("timeline")).forEach(v -> embedded.put(v.read().run(),
        toMillis(v.claim())));
    verdicts.stream().filter(v -> v.source().startsWith("timeline")).filter(v -> !toMillis(v.claim())
        .equals(embedded.get(v.read().run()))).forEach(v -> runner.oracle
        .inconsistencies.add("ClickHouse answered the read #" + v.read().run() + " (seed " + v.read().seed() + ") "
            + v.claim() + ", the embedded store " + embedded.get(v.read().run())));
    return verdicts;
  }

  /** The events of each key's ClickHouse timeline that are spans, by span id, as {@code /api/keys/{key}/timeline} gives them. */
  private static Map<String, Map<String, JsonNode>> timelines(
      io.memtrace.collector.clickhouse.reader.ClickHouseReader reader, List<String> keys) throws java.io.IOException {
    List<io.memtrace.collector.reader.TimelineRequest> requests = keys.stream()
        .map(k -> new io.memtrace.collector.reader.TimelineRequest(k, null, null, MemtraceAnswers.TIMELINE_LIMIT))
        .toList();
    Map<String, Map<String, JsonNode>> out = new HashMap<>();
    for (Map.Entry<io.memtrace.collector.reader.TimelineRequest, io.memtrace.collector.reader.KeyTimeline> e
        : reader.timelines(requests).entrySet()) {
      // written as the API writes it, then read back as the API's answer is read
      out.put(e.getKey().key(), MemtraceAnswers.bySpan(io.memtrace.collector.timeline.TimelineText.JSON
          .writeValueAsString(e.getValue())));
    }
    return out;
  }

  private static String toMillis(String claim) {
    return claim.replaceAll("(\\.\\d{3})\\d*Z", "$1Z");
  }

  /** The clients of the suite by their address, as MONITOR names them: whose each command on a key is. */
  private static Map<String, String> actors(Jedis outside) {
    Map<String, String> actors = new HashMap<>();
    for (String client : outside.clientList().split("\n")) {
      String name = client.replaceAll(".*\\bname=(\\S*).*", "$1");
      String actor = name.equals(TracedService.JAVA) ? "TRACED" : name.equals(TracedService.NODE) ? "NODE"
          : name.equals("truth-outside") ? "OUTSIDE" : null;
      if (actor != null) {
        actors.put(client.replaceAll(".*\\baddr=(\\S+).*", "$1"), actor);
      }
    }
    return actors;
  }
}
