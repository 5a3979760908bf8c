package io.memtrace.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.agent.config.OtelSettings.Signal;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The memtrace-only twins of the OpenTelemetry settings ({@code MEMTRACE_EXPORTER_OTLP_ENDPOINT} for
 * {@code OTEL_EXPORTER_OTLP_ENDPOINT}): memtrace property, memtrace env, otel property, otel env,
 * default; a twin of a general setting outranks the OpenTelemetry per-signal form; messages name
 * the variable that was used.
 */
class OtelTwinsTest {

  private static ConfigResult load(Map<String, String> env, String... properties) {
    Properties props = new Properties();
    for (int i = 0; i < properties.length; i += 2) {
      props.setProperty(properties[i], properties[i + 1]);
    }
    return ConfigLoader.load(null, env, props);
  }

  @Test
  void shouldRankMemtracePropertyThenMemtraceEnvThenOtelPropertyThenOtelEnv() {
    Map<String, String> env = Map.of("OTEL_SERVICE_NAME", "otel-env", "MEMTRACE_SERVICE_NAME", "memtrace-env");

    assertThat(load(env, "otel.service.name", "otel-prop", "memtrace.service.name", "memtrace-prop")
        .config().get(OtelSettings.SERVICE_NAME)).isEqualTo("memtrace-prop");
    assertThat(load(env, "otel.service.name", "otel-prop").config().get(OtelSettings.SERVICE_NAME))
        .isEqualTo("memtrace-env");
    assertThat(load(Map.of("OTEL_SERVICE_NAME", "otel-env"), "otel.service.name", "otel-prop")
        .config().get(OtelSettings.SERVICE_NAME)).isEqualTo("otel-prop");
    assertThat(load(Map.of("OTEL_SERVICE_NAME", "otel-env")).config().get(OtelSettings.SERVICE_NAME))
        .isEqualTo("otel-env");
  }

  @Test
  void shouldSayWhichFormGaveTheValue() {
    MemtraceConfig config = load(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://a:4318",
        "MEMTRACE_EXPORTER_OTLP_ENDPOINT", "http://b:4318", "OTEL_TRACES_EXPORTER", "otlp")).config();

    assertThat(config.get(OtelSettings.ENDPOINT)).isEqualTo("http://b:4318");
    assertThat(config.givenAs(OtelSettings.ENDPOINT)).isEqualTo("MEMTRACE_EXPORTER_OTLP_ENDPOINT");
    assertThat(config.givenForMemtraceOnly(OtelSettings.ENDPOINT)).isTrue();
    assertThat(config.givenAs(OtelSettings.TRACES_EXPORTER)).isEqualTo("OTEL_TRACES_EXPORTER");
    assertThat(config.givenForMemtraceOnly(OtelSettings.TRACES_EXPORTER)).isFalse();
    assertThat(config.givenAs(OtelSettings.TIMEOUT)).as("default").isNull();
  }

  @Test
  void shouldLetGeneralTwinOutrankTheOpenTelemetryPerSignalForm() {
    MemtraceConfig config = load(Map.of("OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", "5s",
        "MEMTRACE_EXPORTER_OTLP_TIMEOUT", "7s")).config();

    assertThat(config.get(OtelSettings.timeout(Signal.TRACES))).isEqualTo(7_000L);
    assertThat(config.givenAs(OtelSettings.timeout(Signal.TRACES))).isEqualTo("MEMTRACE_EXPORTER_OTLP_TIMEOUT");
  }

  @Test
  void shouldStillLetPerSignalWinInsideEachLayer() {
    MemtraceConfig config = load(Map.of("MEMTRACE_EXPORTER_OTLP_TIMEOUT", "7s",
        "MEMTRACE_EXPORTER_OTLP_METRICS_TIMEOUT", "9s", "OTEL_EXPORTER_OTLP_TIMEOUT", "1s",
        "OTEL_EXPORTER_OTLP_TRACES_HEADERS", "k=theirs", "OTEL_EXPORTER_OTLP_HEADERS", "k=general")).config();

    assertThat(config.get(OtelSettings.timeout(Signal.METRICS))).isEqualTo(9_000L);
    assertThat(config.get(OtelSettings.timeout(Signal.TRACES))).isEqualTo(7_000L);
    assertThat(config.get(OtelSettings.headers(Signal.TRACES))).containsExactly(Map.entry("k", "theirs"));
  }

  @Test
  void shouldNameTheTwinInTheProblemAndFallBackToTheDefaultNotToTheOpenTelemetryValue() {
    ConfigResult result = load(Map.of("MEMTRACE_EXPORTER_OTLP_ENDPOINT", "b:4318",
        "OTEL_EXPORTER_OTLP_ENDPOINT", "http://a:4318"));

    ConfigProblem problem = ConfigProblems.onlyFrom(result, "environment variable MEMTRACE_EXPORTER_OTLP_ENDPOINT",
        "'b:4318'", "using the default http://localhost:4318");
    assertThat(problem.key()).isEqualTo("memtrace.exporter.otlp.endpoint");
    assertThat(problem.toString()).doesNotContain("otel.").doesNotContain("OTEL_");
    assertThat(result.agentEnabled()).isTrue();
    assertThat(result.config().get(OtelSettings.ENDPOINT)).isEqualTo("http://localhost:4318");
  }

  @Test
  void shouldNameTheTwinPropertyWhenThatWasUsed() {
    ConfigResult result = load(Map.of(), "memtrace.traces.exporter", "zipkin");

    ConfigProblems.onlyFrom(result, "system property memtrace.traces.exporter", "[zipkin]");
    assertThat(result.config().get(OtelSettings.TRACES_EXPORTER)).isEqualTo(List.of());
  }

  @Test
  void shouldNameTheInheritedTwinWhenAPerSignalValueIsBad() {
    ConfigResult result = load(Map.of("MEMTRACE_EXPORTER_OTLP_COMPRESSION", "gzip",
        "MEMTRACE_EXPORTER_OTLP_TRACES_COMPRESSION", "zstd"));

    ConfigProblems.onlyAt(result, "memtrace.exporter.otlp.traces.compression",
        "using the value of MEMTRACE_EXPORTER_OTLP_COMPRESSION");
    assertThat(result.config().get(OtelSettings.compression(Signal.TRACES))).isEqualTo("gzip");
  }

  @Test
  void shouldTreatAnEmptyTwinAsNotSet() {
    MemtraceConfig config = load(Map.of("MEMTRACE_EXPORTER_OTLP_ENDPOINT", " ",
        "OTEL_EXPORTER_OTLP_ENDPOINT", "http://a:4318")).config();

    assertThat(config.get(OtelSettings.ENDPOINT)).isEqualTo("http://a:4318");
  }
}
