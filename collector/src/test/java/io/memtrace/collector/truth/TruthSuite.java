package io.memtrace.collector.truth;

import com.fasterxml.jackson.databind.JsonNode;
import io.memtrace.collector.it.CollectorProcess;
import io.memtrace.collector.truth.ScenarioGenerator.Scenario;
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

  record Outcome(String table, List<Verdict> verdicts, Map<Long, List<String>> history, List<String> inconsistencies) {
    /** Wrong answers of a shape {@link KnownWrong} does not list. */
    List<Verdict> unexpected() {
      return verdicts.stream().filter(v -> v.outcome().equals("wrong") && KnownWrong.rule(v).isEmpty())
          .toList();
    }

    /** The table, then at most {@code limit} unexpected wrong answers, each with its scenario. */
    String report(int limit) {
      StringBuilder out = new StringBuilder(table).append('\n');
      unexpected().stream().limit(limit).forEach(v -> out.append(TruthTable.wrong(v, history.get(v.read().seed()))));
      return out.toString();
    }
  }

  /**
   * A run as the system properties ask: {@code truth.scenarios} (default 200) from seed {@code truth.from} (default 1),
   * or the one seed {@code truth.seed}; {@code truth.ops=common} keeps to SET/GET/DEL/PEXPIRE, pauses and memory
   * pressure; {@code truth.namespaces=GLOB} is given to serve as {@code --keyspace-events-namespaces}.
   */
  static Outcome fromProperties() throws Exception {
    String one = System.getProperty("truth.seed");
    long from = one != null ? Long.parseLong(one) : Long.getLong("truth.from", 1);
    int n = one != null ? 1 : Integer.getInteger("truth.scenarios", 200);
    List<Long> seeds = java.util.stream.LongStream.range(from, from + n).boxed().toList();
    String namespaces = System.getProperty("truth.namespaces", "");
    return run(seeds, !"common".equals(System.getProperty("truth.ops")), io.memtrace.testsupport.BuildPaths.IT_WORK
        .resolve("truth-" + System.nanoTime()), namespaces.isEmpty() ? new String[0]
        : new String[] {"--keyspace-events-namespaces", namespaces});
  }

  private TruthSuite() {
  }

  static Outcome run(List<Long> seeds, boolean all, Path dir, String... serveArgs) throws Exception {
    long start = System.currentTimeMillis();
    List<Scenario> scenarios = seeds.stream().map(s -> ScenarioGenerator.generate(s, all)).toList();
    try (TruthRedis redis = TruthRedis.start(dir.resolve("redis"));
        CollectorProcess serve = CollectorProcess.serve(dir.resolve("data"), Stream.concat(Stream.of("--watch-redis",
            redis.url(), "--watch-interval", "1s", "--keyspace-events", "on"), Stream.of(serveArgs))
            .toArray(String[]::new));
        RedisRecord record = new RedisRecord(redis);
        Jedis outside = redis.client()) {
      awaitSubscribed(serve);
      outside.clientSetname("truth-outside");
      ScenarioRunner runner;
      Map<String, String> actors = new HashMap<>();
      try (TracedService service = TracedService.start(dir.resolve("service"), redis, serve.url().toString())) {
        for (String client : outside.clientList().split("\n")) {
          String addr = client.replaceAll(".*\\baddr=(\\S+).*", "$1");
          if (client.contains("name=truth-")) {
            actors.put(addr, client.contains("name=truth-java ") ? "TRACED" : "OUTSIDE");
          }
        }
        runner = new ScenarioRunner(record, service, outside);
        runner.runAll(scenarios);
        service.close();
        runner.spanNames = service.spanNames();
      }
      Map<String, Long> monitored = MonitorCheck.count(record.monitor(), actors);
      if (!monitored.equals(runner.sent)) {
        runner.oracle.inconsistencies.add("MONITOR lists " + monitored + ", the suite sent " + runner.sent);
      }
      MemtraceAnswers answers = new MemtraceAnswers(serve);
      Map<String, Integer> runOfSpan = spansToRuns(answers, runner);
      StepSpans spans = new StepSpans(runOfSpan, runner.removedNothing, runner.commandOfRun);
      awaitSteady(answers);
      Map<String, MemtraceAnswers.Lineage> lineage = answers.lineage(TracedService.SERVICE);
      Map<String, Map<String, JsonNode>> timelines = new HashMap<>();
      Map<Integer, String> spanOfRun = new HashMap<>();
      runOfSpan.forEach((span, run) -> spanOfRun.put(run, span));
      List<Verdict> verdicts = new ArrayList<>();
      // a read the oracle could not explain is counted as its inconsistency, never judged
      for (ScenarioRunner.Read read : runner.reads.stream().filter(r -> r.truth() != null).toList()) {
        String span = spanOfRun.get(read.run());
        verdicts.add(Verdict.lineage(read, lineage.get(span), spans));
        Map<String, JsonNode> timeline = timelines.computeIfAbsent(read.place().key(), k -> {
          try {
            return answers.timeline(k);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
        verdicts.add(Verdict.timeline(read, timeline.get(span), spans));
      }
      String table = TruthTable.print(scenarios.size(), runner.reads.size(), verdicts, runner.oracle.inconsistencies,
          System.currentTimeMillis() - start);
      return new Outcome(table, verdicts, runner.history, runner.oracle.inconsistencies);
    }
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
   * Pairs each traced step with its span: the service's spans in the order they began are its steps' in the order
   * they ran, once every span is in (the agent exports the last ones as the service ends).
   */
  private static Map<String, Integer> spansToRuns(MemtraceAnswers answers, ScenarioRunner runner) throws Exception {
    List<String> names = runner.spanNames;
    long deadline = System.currentTimeMillis() + 60_000;
    List<String[]> spans = answers.spans(TracedService.SERVICE);
    while (spans.size() < names.size() && System.currentTimeMillis() < deadline) {
      Thread.sleep(200);
      spans = answers.spans(TracedService.SERVICE);
    }
    if (spans.size() != names.size()) {
      throw new AssertionError("the service ran " + names.size() + " steps and memtrace holds " + spans.size()
          + " of its spans");
    }
    Map<Integer, Integer> indexToRun = new HashMap<>();
    runner.spanOfRun.forEach((run, index) -> indexToRun.put(index, run));
    Map<String, Integer> runOfSpan = new HashMap<>();
    for (int i = 0; i < names.size(); i++) {
      String name = spans.get(i)[1].split(" ")[0];
      if (!name.equals(names.get(i))) {
        throw new AssertionError("span " + i + " of the service is " + spans.get(i)[1] + ", its step " + names.get(i));
      }
      if (indexToRun.containsKey(i)) {
        runOfSpan.put(spans.get(i)[0], indexToRun.get(i));
      }
    }
    return runOfSpan;
  }
}
