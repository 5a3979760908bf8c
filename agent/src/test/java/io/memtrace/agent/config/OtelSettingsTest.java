package io.memtrace.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.agent.config.OtelSettings.Signal;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The standard OTEL_* settings: read as the SDK reads them, and never able to switch memtrace off. */
class OtelSettingsTest {

  private static ConfigResult load(Map<String, String> env) {
    return ConfigLoader.load(null, env, new Properties());
  }

  /** The configuration from {@code env} and one system property, {@code property}={@code value}. */
  private static MemtraceConfig config(Map<String, String> env, String property, String value) {
    Properties props = new Properties();
    props.setProperty(property, value);
    return ConfigLoader.load(null, env, props).config();
  }

  @Test
  void shouldReadDurationsWithUnitsAsTheJavaSdkDoes() {
    ConfigResult result = load(Map.of("OTEL_BSP_SCHEDULE_DELAY", "1s", "OTEL_EXPORTER_OTLP_TIMEOUT", "10s",
        "OTEL_METRIC_EXPORT_INTERVAL", "2m"));

    assertThat(result.problems()).isEmpty();
    assertThat(result.agentEnabled()).isTrue();
    assertThat(result.config().get(OtelSettings.BSP_SCHEDULE_DELAY)).isEqualTo(1_000L);
    assertThat(result.config().get(OtelSettings.TIMEOUT)).isEqualTo(10_000L);
    assertThat(result.config().get(OtelSettings.METRIC_EXPORT_INTERVAL)).isEqualTo(120_000L);
  }

  @Test
  void shouldReadPlainNumbersAsMilliseconds() {
    ConfigResult result = load(Map.of("OTEL_BSP_SCHEDULE_DELAY", "250", "OTEL_EXPORTER_OTLP_TIMEOUT", "750ms"));

    assertThat(result.problems()).isEmpty();
    assertThat(result.config().get(OtelSettings.BSP_SCHEDULE_DELAY)).isEqualTo(250L);
    assertThat(result.config().get(OtelSettings.TIMEOUT)).isEqualTo(750L);
  }

  @Test
  void shouldWarnNamingVariableAndValueAndKeepAgentOnWhenDurationIsUnreadable() {
    ConfigResult result = load(Map.of("OTEL_BSP_SCHEDULE_DELAY", "soon"));

    assertThat(ConfigProblems.onlyFrom(result, "environment variable OTEL_BSP_SCHEDULE_DELAY", "'soon'",
        "using the default 1000").effect()).isEqualTo(ConfigProblem.Effect.FALLBACK);
    assertThat(result.agentEnabled()).isTrue();
    assertThat(result.redisEnabled()).isTrue();
    assertThat(result.config().get(OtelSettings.BSP_SCHEDULE_DELAY)).isEqualTo(1_000L);
  }

  @Test
  void shouldClampHugeBatchSizeInsteadOfPreallocatingIt() {
    ConfigResult result = load(Map.of("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "50000000"));

    assertThat(result.problems()).singleElement().satisfies(p -> {
      assertThat(p.toString()).contains("OTEL_BSP_MAX_EXPORT_BATCH_SIZE").contains("50000000")
          .contains("between 1 and 8192").contains("using 8192");
      assertThat(p.effect()).isEqualTo(ConfigProblem.Effect.FALLBACK);
    });
    assertThat(result.agentEnabled()).isTrue();
    assertThat(result.config().get(OtelSettings.BSP_MAX_EXPORT_BATCH_SIZE)).isEqualTo(8192);
  }

  @Test
  void shouldClampDurationBeyondAnyLong() {
    ConfigResult result = load(Map.of("OTEL_EXPORTER_OTLP_TIMEOUT", "99999999999999999999d"));

    assertThat(result.problems()).singleElement()
        .satisfies(p -> assertThat(p.message()).contains("99999999999999999999d").contains("using 600000"));
    assertThat(result.config().get(OtelSettings.TIMEOUT)).isEqualTo(600_000L);
  }

  @Test
  void shouldRejectZeroBatchSizeAndUseOne() {
    ConfigResult result = load(Map.of("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "0"));

    assertThat(result.config().get(OtelSettings.BSP_MAX_EXPORT_BATCH_SIZE)).isEqualTo(1);
    assertThat(result.agentEnabled()).isTrue();
  }

  @Test
  void shouldLetPerSignalFormWinAndInheritTheGeneralOtherwise() {
    ConfigResult result = load(Map.of("OTEL_EXPORTER_OTLP_TIMEOUT", "2s",
        "OTEL_EXPORTER_OTLP_METRICS_TIMEOUT", "3000",
        "OTEL_EXPORTER_OTLP_HEADERS", "api-key=a%20b",
        "OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"));

    MemtraceConfig config = result.config();
    assertThat(result.problems()).isEmpty();
    assertThat(config.get(OtelSettings.timeout(Signal.TRACES))).isEqualTo(2_000L);
    assertThat(config.get(OtelSettings.timeout(Signal.METRICS))).isEqualTo(3_000L);
    assertThat(config.get(OtelSettings.headers(Signal.METRICS))).containsExactly(Map.entry("api-key", "a b"));
    assertThat(config.get(OtelSettings.protocol(Signal.METRICS))).isEqualTo("grpc");
  }

  @Test
  void shouldInheritTheGeneralFallbackWhenTheGeneralIsBad() {
    ConfigResult result = load(Map.of("OTEL_EXPORTER_OTLP_COMPRESSION", "zstd"));

    assertThat(result.problems()).singleElement()
        .satisfies(p -> assertThat(p.message()).contains("gzip, none").contains("'zstd'"));
    assertThat(result.config().get(OtelSettings.compression(Signal.TRACES))).isEqualTo("none");
  }

  @Test
  void shouldPreferSystemPropertyOverEnvironment() {
    MemtraceConfig config = config(Map.of("OTEL_SERVICE_NAME", "from-env"), "otel.service.name", "from-property");

    assertThat(config.get(OtelSettings.SERVICE_NAME)).isEqualTo("from-property");
  }

  @Test
  void shouldTreatEmptyVariableAsNotSet() {
    ConfigResult result = load(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", " "));

    assertThat(result.problems()).isEmpty();
    assertThat(result.config().get(OtelSettings.ENDPOINT)).isEqualTo("http://localhost:4318");
  }

  @Test
  void shouldKeepKnownExportersAndNameTheUnknownOne() {
    ConfigResult result = load(Map.of("OTEL_TRACES_EXPORTER", "otlp, jaeger"));

    ConfigProblems.onlyFrom(result, "environment variable OTEL_TRACES_EXPORTER", "[jaeger]", "using [otlp]");
    assertThat(result.config().get(OtelSettings.TRACES_EXPORTER)).isEqualTo(List.of("otlp"));
  }

  @Test
  void shouldExportNothingAndSaySoWhenOnlyUnknownExportersAreNamed() {
    ConfigResult result = load(Map.of("OTEL_METRICS_EXPORTER", "prometheus"));

    assertThat(result.problems()).singleElement()
        .satisfies(p -> assertThat(p.message()).contains("[prometheus]").endsWith("using none"));
    assertThat(result.config().get(OtelSettings.METRICS_EXPORTER)).isEmpty();
  }

  @Test
  void shouldKeepValidResourceAttributesAndNameTheBrokenEntry() {
    ConfigResult result = load(Map.of("OTEL_RESOURCE_ATTRIBUTES", "team=memory,oops,region=eu%2Dwest"));

    assertThat(result.problems()).singleElement()
        .satisfies(p -> assertThat(p.message()).contains("[oops]"));
    assertThat(result.config().get(OtelSettings.RESOURCE_ATTRIBUTES))
        .containsExactly(Map.entry("team", "memory"), Map.entry("region", "eu-west"));
  }

  @Test
  void shouldRejectEndpointThatIsNotHttpUrl() {
    ConfigResult result = load(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "localhost:4318"));

    assertThat(result.problems()).singleElement()
        .satisfies(p -> assertThat(p.message()).contains("'localhost:4318'").contains("http://localhost:4318"));
    assertThat(result.agentEnabled()).isTrue();
  }

  @Test
  void shouldReadTheFileExportPathsFromTheirVariables() {
    MemtraceConfig config = config(Map.of("MEMTRACE_TRACES_FILE", "/tmp/t.jsonl"),
        "memtrace.metrics.file", "/tmp/m.jsonl");

    assertThat(config.get(Settings.TRACES_FILE)).isEqualTo("/tmp/t.jsonl");
    assertThat(config.get(Settings.METRICS_FILE)).isEqualTo("/tmp/m.jsonl");
  }
}
