package io.memtrace.agent.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.agent.config.ConfigLoader;
import io.memtrace.agent.config.MemtraceConfig;
import io.memtrace.agent.config.OtelSettings.Signal;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** One rule for every signal: where it goes and how, including the gRPC fallback. */
class OtlpTargetTest {

  private static MemtraceConfig config(Map<String, String> env) {
    return ConfigLoader.load(null, env, new Properties()).config();
  }

  @Test
  void shouldAppendSignalPathToTheGeneralEndpoint() {
    MemtraceConfig config = config(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318/"));

    assertThat(OtlpTarget.of(config, Signal.TRACES).endpoint).isEqualTo("http://collector:4318/v1/traces");
    assertThat(OtlpTarget.of(config, Signal.METRICS).endpoint).isEqualTo("http://collector:4318/v1/metrics");
    assertThat(OtlpTarget.protocolNotice(config)).isNull();
  }

  @Test
  void shouldMoveEverySignalFromGrpcPortToHttpPortWhenGrpcIsAsked() {
    MemtraceConfig config = config(Map.of("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc",
        "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317"));

    assertThat(OtlpTarget.of(config, Signal.TRACES).endpoint).isEqualTo("http://collector:4318/v1/traces");
    assertThat(OtlpTarget.of(config, Signal.METRICS).endpoint).isEqualTo("http://collector:4318/v1/metrics");
    assertThat(OtlpTarget.protocolNotice(config))
        .contains("OTEL_EXPORTER_OTLP_PROTOCOL=grpc is not available")
        .contains("traces to http://collector:4318/v1/traces")
        .contains("metrics to http://collector:4318/v1/metrics");
  }

  @Test
  void shouldMoveSignalSpecificEndpointOnlyForTheSignalThatAsksForGrpc() {
    MemtraceConfig config = config(Map.of("OTEL_EXPORTER_OTLP_METRICS_PROTOCOL", "grpc",
        "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "http://m:4317/custom",
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://t:4317/custom"));

    assertThat(OtlpTarget.of(config, Signal.METRICS).endpoint).isEqualTo("http://m:4318/custom");
    assertThat(OtlpTarget.of(config, Signal.TRACES).endpoint).as("http/protobuf, as given")
        .isEqualTo("http://t:4317/custom");
    assertThat(OtlpTarget.protocolNotice(config)).contains("metrics to").doesNotContain("traces to");
  }

  @Test
  void shouldKeepAnEndpointOnAnotherPortAndSayNothingForASignalNotExportedOverOtlp() {
    MemtraceConfig config = config(Map.of("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc",
        "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:14317", "OTEL_METRICS_EXPORTER", "none"));

    assertThat(OtlpTarget.of(config, Signal.TRACES).endpoint).isEqualTo("http://collector:14317/v1/traces");
    assertThat(OtlpTarget.protocolNotice(config)).contains("traces to").doesNotContain("metrics to");
  }

  @Test
  void shouldTakeHeadersCompressionAndTimeoutPerSignal() {
    MemtraceConfig config = config(Map.of("OTEL_EXPORTER_OTLP_HEADERS", "k=v",
        "OTEL_EXPORTER_OTLP_METRICS_COMPRESSION", "gzip", "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", "3s"));

    OtlpTarget traces = OtlpTarget.of(config, Signal.TRACES);
    OtlpTarget metrics = OtlpTarget.of(config, Signal.METRICS);
    assertThat(traces.headers).containsExactly(Map.entry("k", "v"));
    assertThat(metrics.headers).containsExactly(Map.entry("k", "v"));
    assertThat(traces.gzip).isFalse();
    assertThat(metrics.gzip).isTrue();
    assertThat(traces.timeout.toMillis()).isEqualTo(3_000);
    assertThat(metrics.timeout.toMillis()).isEqualTo(10_000);
  }

  @Test
  void shouldNameTheTwinTheUserGaveWhenMemtraceAloneAsksForGrpc() {
    MemtraceConfig config = config(Map.of("MEMTRACE_EXPORTER_OTLP_PROTOCOL", "grpc",
        "MEMTRACE_EXPORTER_OTLP_ENDPOINT", "http://mine:4317", "OTEL_EXPORTER_OTLP_ENDPOINT", "http://theirs:4317"));

    assertThat(OtlpTarget.of(config, Signal.TRACES).endpoint).isEqualTo("http://mine:4318/v1/traces");
    assertThat(OtlpTarget.protocolNotice(config))
        .startsWith("MEMTRACE_EXPORTER_OTLP_PROTOCOL=grpc is not available")
        .contains("Point MEMTRACE_EXPORTER_OTLP_ENDPOINT at")
        .contains("set MEMTRACE_EXPORTER_OTLP_PROTOCOL=http/protobuf")
        .doesNotContain("OTEL_");
  }

  @Test
  void shouldLetTheGeneralTwinOutrankTheOpenTelemetryPerSignalEndpoint() {
    MemtraceConfig config = config(Map.of("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://a:4318/v1/traces",
        "MEMTRACE_EXPORTER_OTLP_ENDPOINT", "http://b:4318"));
    MemtraceConfig perSignalTwin = config(Map.of("MEMTRACE_EXPORTER_OTLP_TRACES_ENDPOINT", "http://c:4318/t",
        "MEMTRACE_EXPORTER_OTLP_ENDPOINT", "http://b:4318"));

    assertThat(OtlpTarget.of(config, Signal.TRACES).endpoint).isEqualTo("http://b:4318/v1/traces");
    assertThat(OtlpTarget.of(perSignalTwin, Signal.TRACES).endpoint).isEqualTo("http://c:4318/t");
    assertThat(OtlpTarget.of(perSignalTwin, Signal.METRICS).endpoint).isEqualTo("http://b:4318/v1/metrics");
  }
}
