package io.memtrace.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.ExportedSpans;
import io.memtrace.testsupport.ExportedSpans.Span;
import io.memtrace.testsupport.ForkedJvm;
import io.memtrace.testsupport.TestPrograms;
import io.memtrace.testsupport.TestRedisPerClass;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Retention under the real agent against a real Redis: {@code RetentionProgram} issues thousands of
 * commands as roots, inside memory-manager calls and inside a task, some failing and some slow.
 * Every error and slow span is exported, the rest of each (command, namespace) but a first sample is
 * compressed into counts on its parent or the summary span, and the shutdown line's accounting adds
 * up to what the application did.
 */
class RetentionIT extends TestRedisPerClass {

  private static final long SLOW_MS = 5;
  static final Pattern COUNTER = Pattern.compile("memtrace\\.events\\.(produced|exported|compressed|dropped)=(\\d+)");
  static final Pattern APP = Pattern.compile("(commands|memory-calls|tasks|errors|slow)=(\\d+)");

  static Map<String, Long> read(Pattern pattern, String text) {
    Map<String, Long> values = new HashMap<>();
    Matcher m = pattern.matcher(text);
    while (m.find()) {
      values.put(m.group(1), Long.parseLong(m.group(2)));
    }
    return values;
  }

  private static long compressedCount(Span span) {
    Object count = span.attributes.get("memtrace.compressed.count");
    return count == null ? 0 : (Long) count;
  }

  /** The {@code memtrace.compressed} event of {@code span} for {@code command} in {@code namespace}. */
  private static Map<String, Object> pair(Span span, String command, String namespace) {
    for (int i = 0; i < span.events.size(); i++) {
      Map<String, Object> a = span.eventAttributes.get(i);
      if (span.events.get(i).equals("memtrace.compressed") && command.equals(a.get("db.operation.name"))
          && namespace.equals(a.get("memory.namespace"))) {
        return a;
      }
    }
    throw new AssertionError("no memtrace.compressed event for " + command + " " + namespace + " on " + span);
  }

  @Test
  void shouldKeepErrorsAndSlowSpansAndCountEveryCompressedCommandOnItsParentOrTheSummary() throws Exception {
    String classPath = TestPrograms.compile("retention", TestPrograms.jedisClassPath("5.2.0"), "RetentionProgram.java");
    Path dir = BuildPaths.IT_WORK.resolve("retention");
    Files.createDirectories(dir);
    Path config = dir.resolve("memtrace.yaml");
    Files.writeString(config, String.join("\n",
        "retention:",
        "  enabled: true",
        "  slow-threshold: " + SLOW_MS,
        "  sample-per-interval: 1",
        "  interval: 1h", // one interval for the whole run, so one sample per pair
        "memory-managers:",
        "  - type: RetentionProgram$Memory",
        "    methods:",
        "      - { name: store, operation: store, key: arg0 }",
        "tasks:",
        "  - type: RetentionProgram$Planner",
        "    method: run",
        "    span: \"app.task.{method}\"",
        ""));
    Path spansFile = ExportedSpans.freshFile(dir);

    ForkedJvm.Result result = ForkedJvm.program(classPath, "RetentionProgram", redis.host, String.valueOf(redis.port))
        .withAgent("config=" + config)
        .env("OTEL_TRACES_EXPORTER", "none")
        .env("OTEL_METRICS_EXPORTER", "none")
        .tracesTo(spansFile)
        .env("MEMTRACE_RETENTION_ENABLED", "true") // the default; the other tests ask for every span
        .run(dir);

    assertThat(result.exitCode).as("%s", result).isZero();
    Map<String, Long> app = read(APP, result.stdout);
    Map<String, Long> agent = read(COUNTER, result.stderr);
    assertThat(agent).as("the shutdown line: %s", result.stderr).containsKeys("produced", "exported", "compressed", "dropped");
    ExportedSpans spans = ExportedSpans.read(spansFile);
    List<Span> exported = spans.spans;
    List<Span> summaries = spans.where(s -> s.name.equals("memtrace.compressed"));
    List<Span> redisSpans = spans.where(s -> "redis".equals(s.attributes.get("db.system.name")));

    // accounting: what the application did, and what became of it
    long spansOfApp = app.get("commands") + app.get("memory-calls") + app.get("tasks");
    assertThat(agent.get("produced")).as("every command, memory call and task, and the summaries")
        .isEqualTo(spansOfApp + summaries.size());
    assertThat(agent.get("produced"))
        .isEqualTo(agent.get("exported") + agent.get("compressed") + agent.get("dropped"));
    assertThat(agent.get("dropped")).isZero();
    assertThat(agent.get("exported")).isEqualTo(exported.size());
    assertThat(agent.get("compressed")).as("most commands are compressed").isGreaterThan(app.get("commands") * 9 / 10);
    long counted = exported.stream().mapToLong(RetentionIT::compressedCount).sum();
    assertThat(counted).as("the counts on parents and summaries are the commands not exported")
        .isEqualTo(agent.get("compressed")).isEqualTo(app.get("commands") - redisSpans.size());

    // always kept: memory and task spans, errors, slow spans
    assertThat(exported.stream().filter(s -> s.name.equals("memory.store"))).hasSize(app.get("memory-calls").intValue());
    assertThat(exported.stream().filter(s -> s.name.equals("app.task.run"))).hasSize(1);
    assertThat(redisSpans.stream().filter(s -> s.statusCode == Span.STATUS_ERROR)).as("every error")
        .hasSize(app.get("errors").intValue());
    assertThat(redisSpans.stream().filter(s -> s.name.equals("EVAL"))).as("every slow script")
        .hasSize(app.get("slow").intValue())
        .allSatisfy(s -> assertThat(s.end - s.start).isGreaterThanOrEqualTo(SLOW_MS * 1_000_000));

    // compressed children on their parents: the task's 30 GETs; a memory call's commands
    Span task = spans.where(s -> s.name.equals("app.task.run")).get(0);
    assertThat((Long) pair(task, "GET", "ret:task").get("memtrace.compressed.count") + kept(redisSpans, "GET", "ret:task"))
        .isEqualTo(30);
    assertThat(exported.stream().filter(s -> s.name.equals("memory.store") && compressedCount(s) == 3))
        .as("memory calls whose three commands were all compressed").isNotEmpty();
    // roots on the summary: 1000 SETs and GETs and 50 pipelines
    long getsOnSummaries = 0;
    long pipelinesOnSummaries = 0;
    for (Span summary : summaries) {
      assertThat(summary.parentSpanId).isEmpty();
      assertThat(summary.attributes).containsEntry("memtrace.summary.interval_ms", 3_600_000L);
      getsOnSummaries += (Long) pair(summary, "GET", "ret:root").get("memtrace.compressed.count");
      pipelinesOnSummaries += summary.eventAttributes.stream()
          .filter(a -> "PIPELINE SET".equals(a.get("db.operation.name")))
          .mapToLong(a -> (Long) a.get("memtrace.compressed.count")).sum();
    }
    assertThat(getsOnSummaries + kept(redisSpans, "GET", "ret:root")).isEqualTo(1000);
    assertThat(pipelinesOnSummaries + redisSpans.stream().filter(s -> s.name.equals("PIPELINE SET")).count())
        .isEqualTo(50);
  }

  /**
   * The exported spans of {@code command} in {@code namespace}: the first-seen sample, and any
   * others only because they were slow (a loaded machine can stall a command past the threshold).
   */
  private static long kept(List<Span> redisSpans, String command, String namespace) {
    List<Span> kept = redisSpans.stream().filter(s -> s.name.equals(command)
        && namespace.equals(s.attributes.get("memory.namespace"))).collect(java.util.stream.Collectors.toList());
    assertThat(kept.stream().filter(s -> s.end - s.start < SLOW_MS * 1_000_000))
        .as("kept though not slow: the sample alone").hasSize(1);
    return kept.size();
  }
}
