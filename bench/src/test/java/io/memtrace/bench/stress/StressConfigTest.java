package io.memtrace.bench.stress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StressConfigTest {

  @TempDir
  Path dir;

  private Path write(String yaml) throws Exception {
    Path file = dir.resolve("stress.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  @Test
  void shouldReadThePerModeValueAndFallBackToCi() throws Exception {
    Path file = write("warmup: {comprehensive: 15, ci: 6}\nscenarios:\n  baseline:\n"
        + "    duration: {comprehensive: 300, ci: 20, smoke: 6}\n    threads: 4\n");

    assertThat(StressConfig.load(file, StressConfig.Mode.SMOKE).scenario("baseline").get("duration")).isEqualTo(6);
    assertThat(StressConfig.load(file, StressConfig.Mode.SMOKE).warmup()).isEqualTo(6);
    assertThat(StressConfig.load(file, StressConfig.Mode.COMPREHENSIVE).scenario("baseline").get("duration")).isEqualTo(300);
    assertThat(StressConfig.load(file, StressConfig.Mode.CI).scenario("baseline").integer("threads")).isEqualTo(4);
  }

  @Test
  void shouldSetTheCommandLinesAgentEnvironmentOverTheFiles() throws Exception {
    Path file = write("agent-environment:\n  MEMTRACE_RETENTION_KEY_EVENTS: \"false\"\n  OTEL_METRIC_EXPORT_INTERVAL: \"1000\"\n"
        + "scenarios:\n  baseline:\n    threads: 4\n");
    StressOptions options = StressOptions.parse(new String[] {"--ci", "--agent-env", "MEMTRACE_RETENTION_KEY_EVENTS=true",
        "--agent-env", "MEMTRACE_RING_SIZE=8192"});
    StressConfig config = StressConfig.load(file, StressConfig.Mode.CI);
    options.agentEnv.forEach(config::overrideAgentEnvironment);

    assertThat(config.agentEnvironment()).containsEntry("MEMTRACE_RETENTION_KEY_EVENTS", "true")
        .containsEntry("MEMTRACE_RING_SIZE", "8192").containsEntry("OTEL_METRIC_EXPORT_INTERVAL", "1000");
    assertThatThrownBy(() -> StressOptions.parse(new String[] {"--ci", "--agent-env", "=true"}))
        .hasMessageContaining("--agent-env takes NAME=VALUE, not '=true'");
  }

  @Test
  void shouldNameTheFileAndKeyOfAMissingSetting() throws Exception {
    Path file = write("scenarios:\n  baseline:\n    threads: 4\n");
    StressConfig config = StressConfig.load(file, StressConfig.Mode.CI);

    assertThatThrownBy(() -> config.scenario("baseline").get("duration"))
        .hasMessageContaining(file.toString()).hasMessageContaining("'scenarios.baseline.duration' is missing");
    assertThatThrownBy(() -> config.scenario("recovery")).hasMessageContaining("no settings for scenario 'recovery'");
  }

  @Test
  void shouldHaveSettingsForEveryScenarioInTheShippedFile() throws Exception {
    Path shipped = Paths.get(System.getProperty("memtrace.root", "..")).resolve("bench/stress.yaml");
    for (StressConfig.Mode mode : StressConfig.Mode.values()) {
      StressConfig config = StressConfig.load(shipped, mode);
      for (Scenario s : Scenarios.ALL) {
        assertThat(config.scenarioNames()).contains(s.name());
        StressConfig.Scenario settings = config.scenario(s.name());
        assertThat(settings.has("duration") || settings.has("before") || settings.has("fault-seconds"))
            .as("%s has a length", s.name()).isTrue();
      }
      assertThat(config.quick()).allSatisfy(Scenarios::named);
    }
  }

  @Test
  void shouldRefuseUnknownArgumentsAndScenarios() {
    assertThatThrownBy(() -> StressOptions.parse(new String[] {"--fast"})).hasMessageContaining("unknown argument '--fast'");
    assertThatThrownBy(() -> StressOptions.parse(new String[] {})).hasMessageContaining("say what to run");
    assertThatThrownBy(() -> Scenarios.named("leak")).hasMessageContaining("no scenario 'leak'")
        .hasMessageContaining("memory-leak");
    StressOptions ci = StressOptions.parse(new String[] {"--ci"});
    assertThat(ci.mode).isEqualTo(StressConfig.Mode.CI);
    assertThat(ci.failOnCheck).isTrue();
    assertThat(StressOptions.parse(new String[] {"--scenario", "baseline", "--duration", "60"}).duration).isEqualTo(60);
  }
}
