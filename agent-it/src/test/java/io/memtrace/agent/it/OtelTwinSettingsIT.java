package io.memtrace.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.ForkedJvm;
import io.memtrace.testsupport.OtlpSink;
import io.memtrace.testsupport.TestRedis;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * memtrace beside the real OpenTelemetry agent, each sent to its own receiver: the OpenTelemetry
 * agent reads {@code OTEL_EXPORTER_OTLP_ENDPOINT} and {@code OTEL_SERVICE_NAME}, memtrace its
 * memtrace-only twins {@code MEMTRACE_EXPORTER_OTLP_ENDPOINT} and {@code MEMTRACE_SERVICE_NAME}.
 */
class OtelTwinSettingsIT {

  @Test
  void shouldSendMemtraceToItsOwnEndpointUnderItsOwnNameAndLeaveTheOpenTelemetryAgentAlone() throws Exception {
    try (TestRedis redis = TestRedis.start(); OtlpSink otelReceiver = new OtlpSink();
        OtlpSink memtraceReceiver = new OtlpSink()) {
      ForkedJvm.Result result = ForkedJvm.program(JedisSpansIT.programClassPath("5.2.0"), "JedisProgram",
              redis.host, String.valueOf(redis.port))
          .withAgent().everySpan()
          .javaagentAfter(BuildPaths.OTEL_AGENT_JAR)
          .env("OTEL_EXPORTER_OTLP_ENDPOINT", otelReceiver.endpoint())
          .env("OTEL_SERVICE_NAME", "the-app")
          .env("OTEL_TRACES_EXPORTER", "otlp")
          .env("OTEL_METRICS_EXPORTER", "otlp")
          .env("OTEL_LOGS_EXPORTER", "none")
          // the OpenTelemetry agent's own Jedis spans, so its traces are seen going to its endpoint
          .env("OTEL_INSTRUMENTATION_JEDIS_ENABLED", "true")
          .env("MEMTRACE_EXPORTER_OTLP_ENDPOINT", memtraceReceiver.endpoint())
          .env("MEMTRACE_SERVICE_NAME", "memtrace-side")
          .run(BuildPaths.IT_WORK.resolve("otel-twin-settings"));

      assertThat(result.exitCode).as("%s", result).isZero();
      assertThat(result.stderr).doesNotContain("is OFF").contains("memtrace.export.failures=0");
      assertThat(memtraceReceiver.spans().stream().map(Span::getName).collect(Collectors.toSet()))
          .as("%s", result).contains("SET", "GET", "PIPELINE");
      assertThat(memtraceReceiver.serviceNames()).isNotEmpty().containsOnly("memtrace-side");
      assertThat(memtraceReceiver.metricNames()).contains("memtrace.events.exported")
          .noneMatch(name -> name.startsWith("jvm."));
      assertThat(otelReceiver.serviceNames()).as("the OpenTelemetry agent's spans").isNotEmpty()
          .containsOnly("the-app");
      assertThat(otelReceiver.metricNames()).as("the OpenTelemetry agent's metrics")
          .anyMatch(name -> name.startsWith("jvm."))
          .noneMatch(name -> name.startsWith("memtrace.") || name.startsWith("memory."));
    }
  }
}
