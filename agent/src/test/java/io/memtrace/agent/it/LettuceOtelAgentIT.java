package io.memtrace.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.ForkedJvm;
import io.memtrace.testsupport.OtlpSink;
import io.memtrace.testsupport.TestRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Lettuce beside the OpenTelemetry Java agent, which traces Lettuce too: when that agent started
 * first, too early for memtrace to switch its Lettuce instrumentation off, memtrace keeps that
 * agent's Lettuce spans from starting, so each command still has one span, memtrace's. (When
 * memtrace starts first it sets {@code otel.instrumentation.lettuce.enabled=false}, as for Jedis;
 * OtelAgentJedisTest covers that.)
 */
class LettuceOtelAgentIT {

  private static final String MEMTRACE_LETTUCE = "io.memtrace.lettuce";

  @Test
  void shouldGiveEachCommandOneSpanMemtracesWhenTheOpenTelemetryAgentStartedFirst() throws Exception {
    Path dir = BuildPaths.IT_WORK.resolve("lettuce-otel-before");
    Files.createDirectories(dir);
    ForkedJvm.Result result;
    try (TestRedis redis = TestRedis.start(); OtlpSink receiver = new OtlpSink()) {
      result = ForkedJvm.program(LettuceSpansIT.programClassPath(), "LettuceProgram", redis.host,
              String.valueOf(redis.port), "brief")
          .javaagentBefore(BuildPaths.OTEL_AGENT_JAR)
          .withAgent().everySpan()
          .env("OTEL_TRACES_EXPORTER", "otlp")
          .env("OTEL_LOGS_EXPORTER", "none")
          .env("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint())
          .run(dir);

      assertThat(result.exitCode).as("%s", result).isZero();
      assertThat(result.stdout).contains("exec -> false 2 OK 1").contains("reactive-get -> reactive value");
      assertThat(result.stderr).doesNotContain("otel.instrumentation.lettuce.enabled=false")
          .contains("and its Lettuce spans, so each command gets one span, memtrace's")
          .contains("memtrace.events.dropped=0");
      assertThat(receiver.spansOfScope(MEMTRACE_LETTUCE::equals)).as("memtrace's Lettuce spans")
          .hasSize(LettuceSpansIT.BRIEF_REDIS_SPANS);
      assertThat(receiver.spansOfScope(s -> s.contains("lettuce") && !s.equals(MEMTRACE_LETTUCE)))
          .as("the OpenTelemetry agent's Lettuce spans, handshake included").isEmpty();
    }
  }
}
