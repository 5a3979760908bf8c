package io.memtrace.collector.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.ForkedJvm;
import io.memtrace.testsupport.TestRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 77's target on LineageIT's scenario: with retention on (writer and reader alike, most of their commands
 * compressed) and {@code retention.key-events}, {@code lineage} and each key's {@code timeline} give the same
 * answers as at full capture, read by read. Both runs go through the real agent and a real {@code serve} against
 * one real Redis; ids are compared by the place they first appear in the answers, times are left out.
 */
class ExactLineageIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path PROGRAM = Path.of("src/test/resources/programs/LineageProgram.java").toAbsolutePath();
  private static final Pattern ID = Pattern.compile("[0-9a-f]{16}|[0-9a-f]{32}");
  /** Columns that are times or durations: they differ from run to run. */
  private static final Pattern TIMES = Pattern.compile("(?i).*(time|_at|_ms|age|nanos|duration|start|end|seconds|ts)$");
  /** The start-up gate's warning when memtrace was not ready in time and a class it targets loaded untraced. */
  private static final String STARVED_START = "was not ready after";
  private static final List<String> KEYS = List.of("plans:plan-1", "plans:plan-2", "direct:1", "gone:1", "never:1");

  @Test
  void shouldAnswerEveryReadAsFullCaptureDoesWithRetentionAndKeyEventsOn() throws Exception {
    assertThat(BuildPaths.AGENT_JAR).as("the agent jar; build it first").exists();
    Path dir = BuildPaths.IT_WORK.resolve("exact-lineage-" + System.nanoTime());
    try (TestRedis redis = TestRedis.start()) {
      String classPath = EndToEndIT.compile(dir, PROGRAM, "jedis");
      Answers full = answers(dir.resolve("full"), classPath, "LineageProgram", redis,
          LineageIT.config("  enabled: false"), KEYS);
      Answers exact = answers(dir.resolve("exact"), classPath, "LineageProgram", redis,
          LineageIT.config("  enabled: true\n  key-events: true"), KEYS);

      assertThat(exact.fromKeyEvents).as("compressed commands stored from their key events: plan-2's SETEX and GET")
          .isGreaterThanOrEqualTo(2);
      assertThat(full.fromKeyEvents).isZero();
      assertThat(full.lineage).as("the scenario's reads").hasSize(7);
      assertThat(exact.lineage).as("lineage, read by read").isEqualTo(full.lineage);
      assertThat(exact.timelines).as("each key's timeline").isEqualTo(full.timelines);
      assertThat(full.lineage.toString()).doesNotContain("compressed");
    }
  }

  /**
   * The same with the writes in pipelines and transactions compressed as a whole (Jedis's pipelines and MULTI/EXEC,
   * Lettuce's MULTI/EXEC) and Lettuce's single commands, which end on its own threads, with every Redis span
   * compressed: each read's writer, a batch's SET, SETEX, INCR or DEL, is the batch span at full capture and the batch
   * stored from its key events with retention; Lettuce's SET and EXPIRE are stored from theirs.
   */
  @Test
  void shouldAnswerReadsOfPipelinedAndTransactionWritesAsFullCaptureDoes() throws Exception {
    assertThat(BuildPaths.AGENT_JAR).as("the agent jar; build it first").exists();
    Path dir = BuildPaths.IT_WORK.resolve("exact-batch-lineage-" + System.nanoTime());
    List<String> keys = List.of("batch:p1", "batch:p2", "batch:gone", "batch:t1", "batch:n", "batch:t-gone",
        "batch:l1", "batch:l2", "batch:ln");
    try (TestRedis redis = TestRedis.start()) {
      String classPath = io.memtrace.testsupport.TestPrograms.compileInto(dir.resolve("classes"), "11",
          io.memtrace.testsupport.TestPrograms.libraryClassPath("jedis", "lettuce"), BATCH_PROGRAM);
      Answers full = answers(dir.resolve("full"), classPath, "BatchLineageProgram", redis, batchConfig(false), keys);
      Answers exact = answers(dir.resolve("exact"), classPath, "BatchLineageProgram", redis, batchConfig(true), keys);

      assertThat(exact.batchesFromKeyEvents).as("the batches stored from their key events: two pipelines and the "
          + "two transactions").isEqualTo(4);
      assertThat(exact.fromKeyEvents).as("those, Lettuce's SET and EXPIRE, the reader's GETs")
          .isEqualTo(4 + 2 + keys.size());
      assertThat(full.fromKeyEvents).isZero();
      assertThat(full.lineage).as("the reader's GETs").hasSize(keys.size());
      assertThat(full.lineage.toString()).doesNotContain("compressed", "not_in_store");
      assertThat(exact.lineage).as("lineage, read by read").isEqualTo(full.lineage);
      assertThat(exact.timelines).as("each key's timeline").isEqualTo(full.timelines);
    }
  }

  private static final Path BATCH_PROGRAM = Path.of("src/test/resources/programs/BatchLineageProgram.java")
      .toAbsolutePath();

  /** BatchLineageProgram's memtrace.yaml: its tasks; {@code retention}: every Redis span compressed, key events on. */
  private static String batchConfig(boolean retention) {
    return String.join("\n",
        "retention:",
        "  enabled: " + retention,
        "  key-events: true",
        "  sample-per-interval: 0",
        "  slow-threshold: 60000",
        "  interval: 1h",
        "tasks:",
        "  - type: BatchLineageProgram",
        "    method: [write, read]",
        "    span: \"lineage.task.{method}\"",
        "");
  }

  private record Answers(List<String> lineage, Map<String, String> timelines, long fromKeyEvents,
      long batchesFromKeyEvents) {
  }

  private static Answers answers(Path dir, String classPath, String main, TestRedis redis, String memtraceYaml,
      List<String> keys) throws Exception {
    Files.createDirectories(dir);
    Path data = dir.resolve("data");
    Path config = Files.writeString(dir.resolve("memtrace.yaml"), memtraceYaml);
    try (CollectorProcess serve = CollectorProcess.serve(data)) {
      for (String mode : List.of("write", "read")) {
        ForkedJvm.Result run = ForkedJvm.program(classPath, main, mode, redis.host,
                String.valueOf(redis.port))
            .withAgent("config=" + config).exportTo(serve.url().toString())
            .env("OTEL_METRICS_EXPORTER", "none").env("OTEL_SERVICE_NAME", "lineage-" + mode)
            .run(dir.resolve(mode));
        assertThat(run.exitCode).as("%s", run).isZero();
        // a start starved past the gate's wait loads the task's class untraced: the writer's commands then land in
        // traces of their own, and the comparison below would fail without naming why (docs/troubleshooting.md)
        assertThat(run.stderr).as("memtrace's start in the %s run was starved of CPU: %s", mode, run)
            .doesNotContain(STARVED_START);
      }
      serve.awaitLoaded(); // the queries below read the store, not the ingest log's tail, and serve is killed
    }
    Map<String, String> ids = new HashMap<>();
    ForkedJvm.Result rows = CollectorProcess.command("query", "--data", data.toString(), "--format", "json",
        "SELECT * FROM lineage WHERE read_service = 'lineage-read' ORDER BY read_layer, key");
    assertThat(rows.exitCode).as("%s", rows).isZero();
    List<String> lineage = new ArrayList<>();
    JSON.readTree(rows.stdout).forEach(r -> lineage.add(normal(r, ids).toString()));
    Map<String, String> timelines = new TreeMap<>();
    for (String key : keys) {
      ForkedJvm.Result timeline = CollectorProcess.command("timeline", "--data", data.toString(), "--key", key,
          "--format", "json");
      assertThat(timeline.exitCode).as("%s", timeline).isZero();
      timelines.put(key, normal(JSON.readTree(timeline.stdout), ids).toString());
    }
    ForkedJvm.Result marked = CollectorProcess.command("query", "--data", data.toString(), "--format", "json",
        "SELECT count(*) AS n, count(*) FILTER (WHERE name LIKE 'PIPELINE%' OR name LIKE 'MULTI%') AS batches "
        + "FROM spans WHERE attributes['memtrace.key_event'] IS NOT NULL");
    assertThat(marked.exitCode).as("%s", marked).isZero();
    JsonNode counts = JSON.readTree(marked.stdout).get(0);
    return new Answers(lineage, timelines, counts.path("n").asLong(), counts.path("batches").asLong());
  }

  /** {@code node} with its times left out and each id named by the order it first appears in. */
  private static JsonNode normal(JsonNode node, Map<String, String> ids) {
    if (node.isObject()) {
      ObjectNode out = JSON.createObjectNode();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!TIMES.matcher(e.getKey()).matches()) {
          out.set(e.getKey(), normal(e.getValue(), ids));
        }
      }
      return out;
    }
    if (node.isArray()) {
      var out = JSON.createArrayNode();
      node.forEach(n -> out.add(normal(n, ids)));
      return out;
    }
    if (node.isTextual() && ID.matcher(node.textValue()).matches()) {
      return JSON.getNodeFactory().textNode(ids.computeIfAbsent(node.textValue(), k -> "id" + ids.size()));
    }
    return node;
  }
}
