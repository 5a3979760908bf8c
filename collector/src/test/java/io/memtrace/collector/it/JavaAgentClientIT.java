package io.memtrace.collector.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.TestRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A Java service under the OpenTelemetry Java agent alone (its Jedis instrumentation, sanitizer on as by default:
 * {@code SET k ? ? ?}), exporting over OTLP/HTTP protobuf to a real {@code serve}, against a real {@code redis-server}:
 * the keys come from its statements, checked against the sanitizer's shape.
 */
class JavaAgentClientIT {

  @Test
  void shouldReportTheKeysOfAServiceUnderTheOpenTelemetryAgentAlone() throws Exception {
    Path dir = Files.createDirectories(BuildPaths.IT_WORK.resolve("java-agent-client-it-" + System.nanoTime()));
    Path data = dir.resolve("data");
    try (TestRedis redis = TestRedis.start(); CollectorProcess serve = CollectorProcess.serve(data)) {
      ClientWorkloads.runJavaTask(dir, BuildPaths.OTEL_AGENT_JAR, "java-otel-only", Map.of("OTEL_METRICS_EXPORTER", "none",
          "OTEL_LOGS_EXPORTER", "none"), redis, serve, "java");

      JsonNode spans = ClientWorkloads.redisSpans(data);
      List<String> keys = new ArrayList<>();
      List<String> seen = new ArrayList<>();
      for (JsonNode s : spans) {
        seen.add(s.path("statement").asText());
        if (!s.path("memory_key").isNull()) {
          keys.add(s.path("memory_key").asText());
          assertThat(s.path("memtrace_derived_from").asText()).as("%s", s).isNotEmpty();
        }
      }
      String plan = "aqe/test-plans:plan-java";
      // every keyed command but the two-key DEL, whose "DEL a b" reads as the one key "a b" too
      assertThat(keys).as("every keyed command, from: %s", seen).containsExactly(plan, plan,
          "aqe/test-plans:missing-java", "aqe/cache:a-java", plan, "aqe/sessions:s-java");
      assertThat(seen).as("the sanitizer keeps keys and hides values").contains("SET " + plan + " ? ? ?",
          "MSET aqe/cache:a-java ? aqe/cache:b-java ?");
      JsonNode sections = ClientWorkloads.redisReport(serve);
      JsonNode hot = sections.path("hot_keys");
      assertThat(hot.path("rows").get(0).path("key").asText()).as("%s", hot).isEqualTo(plan);
      assertThat(hot.path("rows").get(0).path("accesses").asLong()).isEqualTo(3);
      assertThat(hot.path("key_sources").path("statement").asLong()).isEqualTo(6);
      assertThat(hot.path("key_sources").path("hidden").asLong()).as("the DEL").isEqualTo(1);
      JsonNode noTtl = sections.path("no_ttl");
      assertThat(noTtl.path("ttl_unknown").asLong()).as("SET k ? ? ?: the TTL hidden; SET k ?: no TTL: %s", noTtl)
          .isEqualTo(1);
      assertThat(noTtl.path("unknown_keys").asLong()).as("the DEL, which may have deleted a key listed").isEqualTo(1);

      // the same task through memtrace's agent: the same analytics, but for the facts the sanitizer hides
      Map<String, List<String>> agent = ClientWorkloads.assertDiffersFromMemtracesAgent(sections, differences("java"),
          "java");
      assertThat(agent.get("hot_keys")).as("the reference").contains(plan + " accesses=3 reads=1 writes=2");
      assertThat(agent.get("no_ttl")).as("the reference").contains("aqe/sessions:s-java").doesNotContain(plan);
    }
  }

  @Test
  void shouldReportTheKeysOfALettuceServiceUnderTheOpenTelemetryAgentAlone() throws Exception {
    Path dir = Files.createDirectories(BuildPaths.IT_WORK.resolve("java-agent-lettuce-it-" + System.nanoTime()));
    Path data = dir.resolve("data");
    try (TestRedis redis = TestRedis.start(); CollectorProcess serve = CollectorProcess.serve(data)) {
      ClientWorkloads.runJavaTask(dir, LETTUCE_TASK, "lettuce", BuildPaths.OTEL_AGENT_JAR, "java-otel-lettuce",
          Map.of("OTEL_METRICS_EXPORTER", "none", "OTEL_LOGS_EXPORTER", "none"), redis, serve, "lettuce");

      JsonNode spans = ClientWorkloads.redisSpans(data);
      List<String> keys = new ArrayList<>();
      List<String> seen = new ArrayList<>();
      for (JsonNode s : spans) {
        seen.add(s.path("name").asText() + ": " + s.path("statement").asText() + " " + s.path("status_code").asText());
        if (!s.path("memory_key").isNull()) {
          keys.add(s.path("memory_key").asText());
        }
      }
      String plan = "aqe/test-plans:plan-lettuce";
      assertThat(keys).as("every keyed command but the two-key DEL, from: %s", seen).containsExactly(plan, plan,
          "aqe/test-plans:missing-lettuce", "aqe/cache:a-lettuce", plan, "aqe/sessions:s-lettuce");
      JsonNode sections = ClientWorkloads.redisReport(serve);
      assertThat(sections.path("hot_keys").path("key_sources").path("statement").asLong()).as("%s", seen).isEqualTo(6);
      assertThat(seen).as("Lettuce's spans mark the error").contains("LPUSH: LPUSH " + plan + " ? ERROR");

      ClientWorkloads.assertDiffersFromMemtracesAgent(sections, differences("lettuce"), "lettuce");
    }
  }

  private static final Path LETTUCE_TASK = Paths.get("src/test/resources/programs/LettuceTaskProgram.java")
      .toAbsolutePath();

  /** What the OpenTelemetry agent's spans of the task with keys ending in {@code suffix} cannot tell (docs/other-languages.md). */
  static String[] differences(String suffix) {
    // the two-key DEL, which reads as the one key "a b" too, names no key: its access is not counted, and the key it
    // deleted looks kept with no TTL (the list's note says that commands with unknown keys may have deleted it)
    return new String[] {"hot_keys -aqe/cache:a-" + suffix + " accesses=2 reads=0 writes=1",
        "hot_keys +aqe/cache:a-" + suffix + " accesses=1 reads=0 writes=1", "no_ttl +aqe/cache:a-" + suffix};
  }
}
