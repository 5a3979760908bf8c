package io.memtrace.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.ForkedJvm;
import io.memtrace.testsupport.OtlpSink;
import io.memtrace.testsupport.TestRedis;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.BindException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The exporter settings against the real agent jar: a surprising value is reported and replaced,
 * never a reason to switch memtrace off, and every signal follows the same protocol rule.
 */
class ExporterSettingsIT {

  private static ForkedJvm jedisProgram(TestRedis redis) throws Exception {
    return ForkedJvm.program(JedisSpansIT.programClassPath("5.2.0"), "JedisProgram", redis.host,
        String.valueOf(redis.port)).withAgent().everySpan();
  }

  /** The program sending its traces over OTLP to {@code endpoint}. */
  private static ForkedJvm tracesTo(TestRedis redis, String endpoint) throws Exception {
    return jedisProgram(redis).env("OTEL_TRACES_EXPORTER", "otlp").env("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint);
  }

  @Test
  void shouldStayOnAndExportWhenDurationsHaveUnitsAndBatchSizeIsHuge() throws Exception {
    try (TestRedis redis = TestRedis.start(); OtlpSink receiver = new OtlpSink()) {
      ForkedJvm.Result result = tracesTo(redis, receiver.endpoint())
          .env("OTEL_BSP_SCHEDULE_DELAY", "1s")
          .env("OTEL_EXPORTER_OTLP_TIMEOUT", "10s")
          .env("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "50000000")
          .run(BuildPaths.IT_WORK.resolve("exporter-settings-units"));

      assertThat(result.exitCode).as("%s", result).isZero();
      assertThat(result.stderr).doesNotContain("is OFF").doesNotContain("failed to start")
          .contains("environment variable OTEL_BSP_MAX_EXPORT_BATCH_SIZE")
          .contains("got 50000000; using 8192")
          .doesNotContain("OTEL_BSP_SCHEDULE_DELAY").doesNotContain("OTEL_EXPORTER_OTLP_TIMEOUT")
          .contains("memtrace.export.failures=0");
      assertThat(receiver.spans().stream().map(Span::getName).collect(Collectors.toSet()))
          .contains("SET", "GET", "PIPELINE");
    }
  }

  @Test
  void shouldWarnAndUseDefaultWhenDurationIsUnreadable() throws Exception {
    try (TestRedis redis = TestRedis.start(); OtlpSink receiver = new OtlpSink()) {
      ForkedJvm.Result result = tracesTo(redis, receiver.endpoint())
          .env("OTEL_BSP_SCHEDULE_DELAY", "one second")
          .run(BuildPaths.IT_WORK.resolve("exporter-settings-unreadable"));

      assertThat(result.exitCode).as("%s", result).isZero();
      assertThat(result.stderr).doesNotContain("is OFF")
          .contains("WARN configuration problem: environment variable OTEL_BSP_SCHEDULE_DELAY")
          .contains("'one second'").contains("using the default 1000");
      assertThat(receiver.spans()).isNotEmpty();
    }
  }

  @Test
  void shouldSendTracesAndMetricsToHttpPortWhenGrpcEndpointIsOnGrpcPort() throws Exception {
    OtlpSink onHttpPort;
    try {
      onHttpPort = new OtlpSink(4318);
    } catch (BindException e) {
      Assumptions.abort("port 4318 is taken on this machine; the 4317 -> 4318 move cannot be observed");
      return;
    }
    try (TestRedis redis = TestRedis.start(); OtlpSink receiver = onHttpPort) {
      ForkedJvm.Result result = tracesTo(redis, "http://127.0.0.1:4317")
          .env("OTEL_METRICS_EXPORTER", "otlp")
          .env("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")
          .run(BuildPaths.IT_WORK.resolve("exporter-settings-grpc-port"));

      assertThat(result.exitCode).as("%s", result).isZero();
      assertThat(result.stderr)
          .contains("traces to http://127.0.0.1:4318/v1/traces, metrics to http://127.0.0.1:4318/v1/metrics")
          .contains("memtrace.export.failures=0");
      assertThat(result.stderr.split("is not available in memtrace", -1)).as("said once").hasSize(2);
      assertThat(receiver.spans()).isNotEmpty();
      assertThat(receiver.metricNames()).contains("memory.operations", "memtrace.events.exported");
    }
  }

  @Test
  void shouldCountFailedMetricExportsInExportFailures() throws Exception {
    try (TestRedis redis = TestRedis.start(); OtlpSink receiver = new OtlpSink().replying(request ->
        // a failure the exporter does not retry
        request.path.equals("/v1/metrics") ? OtlpSink.Reply.status(400) : OtlpSink.Reply.ok())) {
      ForkedJvm.Result result = tracesTo(redis, receiver.endpoint())
          .env("OTEL_METRICS_EXPORTER", "otlp")
          .run(BuildPaths.IT_WORK.resolve("exporter-settings-metric-failure"));

      assertThat(result.exitCode).as("%s", result).isZero();
      assertThat(receiver.requests("/v1/metrics").size()).isPositive();
      assertThat(receiver.spans()).as("span export is not affected").isNotEmpty();
      assertThat(result.stderr).contains("metrics export (otlp").contains("memtrace.export.failures")
          .containsPattern("memtrace\\.export\\.failures=[1-9]");
    }
  }
}
