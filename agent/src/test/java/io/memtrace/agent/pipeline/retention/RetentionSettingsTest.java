package io.memtrace.agent.pipeline.retention;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.agent.config.ConfigProblem;
import io.memtrace.agent.config.ConfigResult;
import io.memtrace.agent.config.Settings;
import io.memtrace.agent.config.YamlConfigs;
import io.memtrace.testsupport.MemtraceYaml;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code retention:} block and its environment forms; a mistake there never switches memtrace off. */
class RetentionSettingsTest {

  @TempDir
  Path dir;

  private ConfigResult loadYaml(String yaml, Map<String, String> env) throws IOException {
    return YamlConfigs.load(MemtraceYaml.write(dir, yaml), env);
  }

  @Test
  void shouldReadTheRetentionBlock() throws IOException {
    ConfigResult result = loadYaml(String.join("\n", "retention:", "  enabled: true", "  slow-threshold: 2s",
        "  sample-per-interval: 3", "  interval: 1m", ""), Map.of());

    assertThat(result.problems()).isEmpty();
    assertThat(result.config().get(Settings.RETENTION_ENABLED)).isTrue();
    assertThat(result.config().get(Settings.RETENTION_SLOW_THRESHOLD)).isEqualTo(2_000L);
    assertThat(result.config().get(Settings.RETENTION_SAMPLE_PER_INTERVAL)).isEqualTo(3);
    assertThat(result.config().get(Settings.RETENTION_INTERVAL)).isEqualTo(60_000L);
    assertThat(Retention.from(result.config(), () -> 0).enabled()).isTrue();
  }

  @Test
  void shouldBeOnByDefaultAndOffFromTheEnvironment() throws IOException {
    assertThat(Retention.from(loadYaml("", Map.of()).config(), () -> 0).enabled()).isTrue();

    ConfigResult result = loadYaml("", Map.of("MEMTRACE_RETENTION_ENABLED", "false",
        "MEMTRACE_RETENTION_SAMPLE_PER_INTERVAL", "5"));

    assertThat(result.config().get(Settings.RETENTION_ENABLED)).isFalse();
    assertThat(Retention.from(result.config(), () -> 0).enabled()).isFalse();
    assertThat(result.config().get(Settings.RETENTION_SAMPLE_PER_INTERVAL)).isEqualTo(5);
  }

  @Test
  void shouldNameABadValueAndFallBackWithoutSwitchingMemtraceOff() throws IOException {
    ConfigResult result = loadYaml(String.join("\n", "retention:", "  enabled: maybe", "  interval: 50",
        "  sample-per-interval: lots", ""), Map.of());

    assertThat(result.problems()).extracting(ConfigProblem::key)
        .containsExactlyInAnyOrder("retention.enabled", "retention.interval", "retention.sample-per-interval");
    assertThat(result.problems()).allSatisfy(p -> assertThat(p.effect()).isEqualTo(ConfigProblem.Effect.FALLBACK));
    assertThat(result.problems()).filteredOn(p -> p.key().equals("retention.interval")).singleElement()
        .satisfies(p -> assertThat(p.message()).contains("100").contains("50"));
    assertThat(result.agentEnabled()).as("the application keeps its tracing").isTrue();
    assertThat(result.config().get(Settings.RETENTION_ENABLED)).as("the default").isTrue();
    assertThat(result.config().get(Settings.RETENTION_INTERVAL)).as("the nearest allowed").isEqualTo(100L);
  }
}
