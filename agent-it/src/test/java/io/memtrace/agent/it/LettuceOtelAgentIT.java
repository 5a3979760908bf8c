package io.memtrace.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.ForkedJvm;
import io.memtrace.testsupport.OtlpSink;
import io.memtrace.testsupport.TestRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Lettuce 5, 6 and 7 beside the real OpenTelemetry Java agent, which traces Lettuce too, in either
 * order of the two agents: each command has one span, memtrace's. When memtrace starts first it
 * sets {@code otel.instrumentation.lettuce.enabled=false} (the user's own setting stands:
 * OtelAgentClientsTest); when that agent started first, too early for that, memtrace keeps that
 * agent's Lettuce spans from starting.
 */
class LettuceOtelAgentIT {

  private static final String MEMTRACE_LETTUCE = "io.memtrace.lettuce";

  @ParameterizedTest(name = "Lettuce {0}, OpenTelemetry agent {1}")
  @CsvSource({"5.3.7.RELEASE, before", "5.3.7.RELEASE, after", LettuceSpansIT.LETTUCE + ", before",
      LettuceSpansIT.LETTUCE + ", after", "7.0.0.RELEASE, before", "7.0.0.RELEASE, after"})
  void shouldGiveEachCommandOneSpanMemtracesInEitherOrder(String version, String order) throws Exception {
    Path dir = BuildPaths.IT_WORK.resolve("lettuce-" + version + "-otel-" + order);
    Files.createDirectories(dir);
    ForkedJvm.Result result;
    try (TestRedis redis = TestRedis.start(); OtlpSink receiver = new OtlpSink()) {
      ForkedJvm jvm = ForkedJvm.program(LettuceSpansIT.programClassPath(version), "LettuceProgram", redis.host,
              String.valueOf(redis.port), "brief")
          .withAgent().everySpan()
          .env("OTEL_TRACES_EXPORTER", "otlp")
          .env("OTEL_METRICS_EXPORTER", "none")
          .env("OTEL_LOGS_EXPORTER", "none")
          .env("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint());
      if (order.equals("before")) {
        jvm.javaagentBefore(BuildPaths.OTEL_AGENT_JAR);
      } else {
        jvm.javaagentAfter(BuildPaths.OTEL_AGENT_JAR);
      }
      result = jvm.run(dir);

      assertThat(result.exitCode).as("%s", result).isZero();
      assertThat(result.stdout).contains("exec -> false 2 OK 1").contains("reactive-get -> reactive value");
      assertThat(result.stderr).contains("memtrace.events.dropped=0").doesNotContain("[memtrace] WARN");
      if (order.equals("before")) {
        assertThat(result.stderr).doesNotContain("otel.instrumentation.lettuce.enabled=false")
            .contains("Lettuce and Redisson spans from starting, so each command gets one span, memtrace's");
      } else {
        assertThat(result.stderr).contains("set otel.instrumentation.lettuce.enabled=false");
      }
      assertThat(receiver.spansOfScope(MEMTRACE_LETTUCE::equals)).as("memtrace's Lettuce spans")
          .hasSize(LettuceSpansIT.BRIEF_REDIS_SPANS);
      assertThat(receiver.spansOfScope(s -> s.contains("lettuce") && !s.equals(MEMTRACE_LETTUCE)))
          .as("the OpenTelemetry agent's Lettuce spans, handshake included").isEmpty();
    }
  }
}
