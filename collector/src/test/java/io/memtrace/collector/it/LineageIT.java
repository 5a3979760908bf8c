package io.memtrace.collector.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.ForkedJvm;
import io.memtrace.testsupport.TestRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Lineage across processes: one JVM under the agent writes to a real Redis, a second JVM under the agent
 * reads it back, both export OTLP over sockets to one real {@code serve}, and the {@code lineage} view,
 * {@code traces} and {@code report} name the writer JVM's spans as the writers of the reader's values. The
 * writer runs with retention on (the agent's default), so its second SET of a namespace is compressed:
 * the memory-manager layer still sees every write, the Redis layer says which writers it cannot know.
 */
class LineageIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path PROGRAM = Path.of("src/test/resources/programs/LineageProgram.java").toAbsolutePath();

  @Test
  void shouldNameTheWriteOfAnotherAgentForEachRead() throws Exception {
    assertThat(BuildPaths.AGENT_JAR).as("the agent jar; build it first").exists();
    Path dir = BuildPaths.IT_WORK.resolve("lineage-" + System.nanoTime());
    Path data = dir.resolve("data");
    try (TestRedis redis = TestRedis.start(); CollectorProcess serve = CollectorProcess.serve(data)) {
      String classPath = EndToEndIT.compile(dir, PROGRAM, "jedis");
      // retention as by default, but no span kept for being slow (a cold JVM on a busy machine) and one
      // interval for the run: the first command of each kind and namespace is kept, the others compressed
      Path config = Files.writeString(dir.resolve("memtrace.yaml"), config(""));
      run(dir, classPath, config, serve, "lineage-writer", "write", redis, Map.of());
      String read = run(dir, classPath, config, serve, "lineage-reader", "read", redis,
          Map.of("MEMTRACE_RETENTION_ENABLED", "false"));
      assertThat(read).contains("{\"tests\": 3} {\"tests\": 5} written directly null null");

      Map<String, JsonNode> lineage = lineage(data);
      JsonNode plan = lineage.get("memory plan-1");
      assertThat(plan.path("writer").asText()).isEqualTo("seen");
      assertThat(plan.path("write_service").asText()).isEqualTo("lineage-writer");
      assertThat(plan.path("read_service").asText()).isEqualTo("lineage-reader");
      String writerTrace = plan.path("write_trace_id").asText();
      assertThat(writerTrace).as("the writer's trace").matches("[0-9a-f]{32}");
      assertThat(plan.path("value_age_ms").asDouble()).isPositive();
      assertThat(lineage.get("memory plan-2").path("writer").asText()).isEqualTo("seen");
      String redisAt = "127.0.0.1:" + redis.port;
      JsonNode direct = lineage.get("redis direct:1");
      assertThat(direct.path("writer").asText()).as("its SET was the namespace's first: kept").isEqualTo("seen");
      assertThat(direct.path("redis").asText()).isEqualTo(redisAt);
      assertThat(direct.path("write_service").asText()).isEqualTo("lineage-writer");
      assertThat(direct.path("write_trace_id").asText()).as("written by the same task").isEqualTo(writerTrace);
      assertThat(lineage.get("redis plans:plan-2").path("writer").asText())
          .as("the second SETEX in plans was compressed by the writer's retention").isEqualTo("compressed");
      assertThat(lineage.get("redis gone:1").path("miss").asText()).isEqualTo("deleted");
      assertThat(lineage.get("redis never:1").path("writer").asText()).isEqualTo("not_in_store");

      ForkedJvm.Result traces = CollectorProcess.command("traces", "--data", data.toString(), "--service",
          "lineage-reader", "--last", "1", "--width", "200");
      assertThat(traces.stdout).as("%s", traces)
          .containsPattern("└─ written [0-9.]+ (ms|s) earlier by lineage\\.task\\.write in lineage-writer, trace "
              + writerTrace.substring(0, 8) + "…")
          .contains("└─ writer compressed by retention", "└─ found nothing: never written (in the store's retention)",
              "└─ found nothing: deleted");

      ForkedJvm.Result report = CollectorProcess.command("report", "--data", data.toString(), "--format", "json",
          "--layer", "redis");
      JsonNode sections = JSON.readTree(report.stdout).path("sections");
      assertThat(sections.at("/value_age/writer_compressed").asLong()).as("%s", report).isGreaterThan(0);
      assertThat(sections.at("/value_age/writer_not_in_store").asLong()).isEqualTo(1);
      assertThat(sections.at("/misses_after_write/after_delete").asLong()).isEqualTo(1);
    }
  }

  /**
   * LineageProgram's memtrace.yaml: its memory manager and tasks, and retention with {@code retention} (lines of the
   * block, or none), no span kept for being slow and one interval for the run.
   */
  static String config(String retention) {
    return String.join("\n",
        "retention:",
        retention,
        "  slow-threshold: 60000",
        "  interval: 1h",
        "memory-managers:",
        "  - type: Plans",
        "    attributes: { memory.namespace: plans }",
        "    methods:",
        "      - { name: store, operation: store, key: arg0, value: arg1 }",
        "      - { name: retrieve, operation: retrieve, key: arg0, found: \"return != null\", value: return }",
        "tasks:",
        "  - type: LineageProgram",
        "    method: [write, read]",
        "    span: \"lineage.task.{method}\"",
        "").replace("retention:\n\n", "retention:\n");
  }

  /** The lineage rows of the reader, by layer and key. */
  private static Map<String, JsonNode> lineage(Path data) throws Exception {
    ForkedJvm.Result rows = CollectorProcess.command("query", "--data", data.toString(), "--format", "json",
        "SELECT * FROM lineage WHERE read_service = 'lineage-reader'");
    assertThat(rows.exitCode).as("%s", rows).isZero();
    Map<String, JsonNode> byKey = new HashMap<>();
    JSON.readTree(rows.stdout).forEach(r -> byKey.put(r.path("read_layer").asText() + " " + r.path("key").asText(), r));
    return byKey;
  }

  private static String run(Path dir, String classPath, Path config, CollectorProcess serve, String service, String mode,
      TestRedis redis, Map<String, String> env) throws Exception {
    ForkedJvm app = ForkedJvm.program(classPath, "LineageProgram", mode, redis.host, String.valueOf(redis.port))
        .withAgent("config=" + config)
        .exportTo(serve.url().toString())
        .env("OTEL_METRICS_EXPORTER", "none")
        .env("OTEL_SERVICE_NAME", service);
    env.forEach(app::env);
    ForkedJvm.Result run = app.run(dir.resolve(mode));
    assertThat(run.exitCode).as("%s", run).isZero();
    // the agent exports at shutdown; serve has committed what it acknowledged
    return run.stdout;
  }
}
