package io.memtrace.collector.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A Java service under the OpenTelemetry Java agent alone (its Jedis instrumentation, sanitizer on as by default:
 * {@code SET k ? ? ?}), exporting over OTLP/HTTP protobuf to a real {@code serve}, against a real {@code redis-server}:
 * the keys come from its statements, checked against the sanitizer's shape.
 */
class JavaAgentClientIT {

  private static final Path PROGRAM = Paths.get("src/test/resources/programs/OtelOnlyProgram.java").toAbsolutePath();
  private static final Path OTEL_AGENT = EndToEndIT.LIBS.resolve("otel-agent/opentelemetry-javaagent.jar");

  @Test
  void shouldReportTheKeysOfAServiceUnderTheOpenTelemetryAgentAlone() throws Exception {
    Path dir = Files.createDirectories(CollectorProcess.WORK.resolve("java-agent-client-it-" + System.nanoTime()));
    Path data = dir.resolve("data");
    String classPath = JedisPrograms.compile(dir, PROGRAM);
    try (TestRedis redis = TestRedis.start(); CollectorProcess serve = CollectorProcess.serve(data)) {
      ProcessBuilder app = new ProcessBuilder(CollectorProcess.JAVA, "-javaagent:" + OTEL_AGENT, "-cp", classPath,
          "OtelOnlyProgram", redis.host, String.valueOf(redis.port))
          .redirectErrorStream(true).redirectOutput(dir.resolve("app.log").toFile());
      app.environment().keySet().removeIf(k -> k.startsWith("OTEL_") || k.startsWith("MEMTRACE_"));
      app.environment().put("OTEL_EXPORTER_OTLP_ENDPOINT", serve.url().toString());
      app.environment().put("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
      app.environment().put("OTEL_SERVICE_NAME", "java-otel-only");
      app.environment().put("OTEL_METRICS_EXPORTER", "none");
      app.environment().put("OTEL_LOGS_EXPORTER", "none");
      Process process = app.start();
      assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
      // the agent exports what is left at shutdown; serve has committed what it acknowledged
      assertThat(Files.readString(dir.resolve("app.log"))).as("exit %s", process.exitValue()).contains("done java");

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
      assertThat(keys).as("every keyed command, from: %s", seen).containsExactly(plan, plan,
          "aqe/test-plans:missing-java", "aqe/cache:a-java", plan, "aqe/sessions:s-java", "aqe/cache:a-java");
      assertThat(seen).as("the sanitizer keeps keys and hides values").contains("SET " + plan + " ? ? ?",
          "MSET aqe/cache:a-java ? aqe/cache:b-java ?");
      JsonNode hot = ClientWorkloads.redisReport(data).path("hot_keys");
      assertThat(hot.path("rows").get(0).path("key").asText()).as("%s", hot).isEqualTo(plan);
      assertThat(hot.path("rows").get(0).path("accesses").asLong()).isEqualTo(3);
      assertThat(hot.path("key_sources").path("statement").asLong()).isEqualTo(7);
      JsonNode noTtl = ClientWorkloads.redisReport(data).path("no_ttl");
      assertThat(noTtl.path("ttl_unknown").asLong()).as("SET k ? ? ? and SET k ?: the TTL hidden: %s", noTtl).isEqualTo(2);
    }
  }
}
