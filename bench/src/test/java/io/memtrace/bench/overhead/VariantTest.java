package io.memtrace.bench.overhead;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The baseline build runs as three variants, full capture, the defaults and the defaults with key events, each beside
 * the current build's twin.
 */
class VariantTest {

  private static final Path MEMTRACE = Path.of("new/memtrace-agent.jar");
  private static final Path BASELINE = Path.of("old/memtrace-agent.jar");

  private static Optional<Variant> named(Path baseline, String name) {
    return Variant.all(MEMTRACE, baseline, Path.of("otel.jar"), Path.of("ext.jar"), "http://127.0.0.1:1").stream()
        .filter(v -> v.name.equals(name)).findFirst();
  }

  @Test
  void shouldRunTheBaselineBuildWithTheSameEnvironmentAsEachOfTheCurrentBuildsVariants() {
    Variant defaults = named(BASELINE, "memtrace-baseline-retention").orElseThrow();
    Variant current = named(BASELINE, "memtrace-retention").orElseThrow();
    assertThat(defaults.jvmArgs).containsExactly("-javaagent:" + BASELINE);
    assertThat(defaults.env).isEqualTo(current.env).containsAllEntriesOf(Variant.RETENTION_ON);

    Variant keys = named(BASELINE, "memtrace-baseline-retention-keys").orElseThrow();
    assertThat(keys.jvmArgs).containsExactly("-javaagent:" + BASELINE);
    assertThat(keys.env).isEqualTo(named(BASELINE, "memtrace-retention-keys").orElseThrow().env)
        .containsEntry("MEMTRACE_RETENTION_KEY_EVENTS", "true");

    Variant fullCapture = named(BASELINE, "memtrace-baseline").orElseThrow();
    assertThat(fullCapture.jvmArgs).containsExactly("-javaagent:" + BASELINE);
    assertThat(fullCapture.env).isEqualTo(named(BASELINE, "memtrace").orElseThrow().env)
        .containsAllEntriesOf(Variant.RETENTION_OFF);
  }

  @Test
  void shouldOfferNoBaselineVariantWithoutABaselineBuild() {
    assertThat(named(null, "memtrace-baseline")).isEmpty();
    assertThat(named(null, "memtrace-baseline-retention")).isEmpty();
    assertThat(named(null, "memtrace-baseline-retention-keys")).isEmpty();
    assertThat(named(null, "memtrace-retention")).isPresent();
  }

  @Test
  void shouldKeepTheOtherVariantsOnTheCurrentBuild() {
    for (String name : new String[] {"memtrace", "memtrace-retention", "memtrace-noexport"}) {
      assertThat(named(BASELINE, name).orElseThrow().jvmArgs).as(name).containsExactly("-javaagent:" + MEMTRACE);
    }
    assertThat(Map.copyOf(named(BASELINE, "none").orElseThrow().env)).isEmpty();
  }
}
