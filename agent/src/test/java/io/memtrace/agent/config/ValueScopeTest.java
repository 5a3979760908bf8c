package io.memtrace.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValueScopeTest {

  @TempDir
  Path dir;

  private ConfigResult loadYaml(String yaml) throws IOException {
    return YamlConfigs.load(dir, yaml);
  }

  @Test
  void shouldCaptureNothingByDefault() throws IOException {
    MemtraceConfig config = loadYaml("capture:\n  keys: true\n").config();

    assertThat(config.get(Settings.CAPTURE_VALUES).isOff()).isTrue();
    assertThat(config.get(Settings.CAPTURE_VALUES).matches("session:1", "session")).isFalse();
    assertThat(config.get(Settings.CAPTURE_VALUE_MAX_BYTES)).isEqualTo(65536);
  }

  @Test
  void shouldMatchGlobsAgainstTheKeyOrItsNamespace() throws IOException {
    ConfigResult result = loadYaml("capture:\n  values: [\"chat:*\", \"prefs\"]\n  value-max-bytes: 100\n");

    assertThat(result.problems()).isEmpty();
    ValueScope scope = result.config().get(Settings.CAPTURE_VALUES);
    assertThat(scope.globs()).containsExactly("chat:*", "prefs");
    assertThat(scope.matches("chat:42", "chat")).as("by key").isTrue();
    assertThat(scope.matches("prefs:user:7", "prefs")).as("by namespace").isTrue();
    assertThat(scope.matches("prefsx:7", "prefsx")).as("a glob matches whole").isFalse();
    assertThat(scope.matches("session:1", "session")).isFalse();
    assertThat(result.config().get(Settings.CAPTURE_VALUE_MAX_BYTES)).isEqualTo(100);
  }

  @Test
  void shouldReadTrueAndFalseAsEverythingAndNothing() throws IOException {
    assertThat(loadYaml("capture:\n  values: true\n").config().get(Settings.CAPTURE_VALUES).matches("a", null))
        .isTrue();
    assertThat(loadYaml("capture:\n  values: false\n").config().get(Settings.CAPTURE_VALUES).matches("a", null))
        .isFalse();
  }

  @Test
  void shouldTakeGlobsFromTheEnvironmentAsACommaList() {
    ConfigResult result = ConfigLoader.load(null, Map.of("MEMTRACE_CAPTURE_VALUES", "chat:*,prefs,"),
        new Properties());

    assertThat(result.problems()).isEmpty();
    assertThat(result.config().get(Settings.CAPTURE_VALUES).globs()).containsExactly("chat:*", "prefs");
  }

  @Test
  void shouldRejectASwitchWordInAListNamingTheKey() throws IOException {
    ConfigResult result = loadYaml("capture:\n  values: [\"chat:*\", yes]\n");

    ConfigProblems.onlyAt(result, "capture.values", "'yes'", "globs");
    assertThat(result.config().get(Settings.CAPTURE_VALUES).isOff()).as("a bad scope captures nothing").isTrue();
  }

  @Test
  void shouldRejectALoneWordThatIsNoSwitch() throws IOException {
    ConfigResult result = loadYaml("capture:\n  values: on\n");

    ConfigProblems.onlyAt(result, "capture.values", "true or false", "[on]");
    assertThat(result.config().get(Settings.CAPTURE_VALUES).isOff()).isTrue();
  }

  @Test
  void shouldRejectACapOutOfRangeNamingTheKey() throws IOException {
    ConfigResult result = loadYaml("capture:\n  value-max-bytes: 4\n");

    assertThat(result.problems()).singleElement()
        .satisfies(p -> assertThat(p.key()).isEqualTo("capture.value-max-bytes"));
    assertThat(result.config().get(Settings.CAPTURE_VALUE_MAX_BYTES)).as("the nearest allowed").isEqualTo(16);
  }
}
