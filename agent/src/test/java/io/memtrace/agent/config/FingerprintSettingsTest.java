package io.memtrace.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class FingerprintSettingsTest {

  private static ConfigResult env(String name, String value) {
    return ConfigLoader.load(null, Map.of(name, value), new Properties());
  }

  @Test
  void shouldFingerprintUnderAKeyDrawnPerJvmByDefault() {
    MemtraceConfig config = MemtraceConfig.defaults();
    assertThat(config.get(Settings.CAPTURE_FINGERPRINTS)).isTrue();
    assertThat(config.get(Settings.CAPTURE_FINGERPRINT_KEY)).isNull();
  }

  @Test
  void shouldTakeAKeyOfThirtyTwoHexDigitsInLowerCase() {
    ConfigResult result = env("MEMTRACE_CAPTURE_FINGERPRINT_KEY", "00112233445566778899AABBCCDDEEFF");
    assertThat(result.problems()).isEmpty();
    assertThat(result.config().get(Settings.CAPTURE_FINGERPRINT_KEY)).isEqualTo("00112233445566778899aabbccddeeff");
  }

  @Test
  void shouldNameTheKeyAndItsLengthButNeverShowIt() {
    String secret = "0011223344556677deadbeef";
    ConfigResult result = env("MEMTRACE_CAPTURE_FINGERPRINT_KEY", secret);
    ConfigProblem problem = ConfigProblems.onlyAt(result, "capture.fingerprint-key", "32 hexadecimal digits",
        "got 24 characters");
    assertThat(problem.toString()).doesNotContain(secret).contains("MEMTRACE_CAPTURE_FINGERPRINT_KEY");
    assertThat(result.agentEnabled()).as("a key that cannot be used stops memtrace, as any bad capture setting").isFalse();
  }

  @Test
  void shouldNameTheFirstCharacterThatIsNotHex() {
    String secret = "00112233445566778899aabbccddeegg";
    ConfigResult result = env("MEMTRACE_CAPTURE_FINGERPRINT_KEY", secret);
    ConfigProblem problem = ConfigProblems.onlyAt(result, "capture.fingerprint-key", "character 31 is not one");
    assertThat(problem.toString()).doesNotContain(secret);
  }

  @Test
  void shouldSwitchFingerprintsOff() {
    ConfigResult result = env("MEMTRACE_CAPTURE_FINGERPRINTS", "false");
    assertThat(result.problems()).isEmpty();
    assertThat(result.config().get(Settings.CAPTURE_FINGERPRINTS)).isFalse();
  }
}
