package io.memtrace.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The collector's {@code memory-state} section in the agent's file: accepted, left alone, never a problem. */
class MemoryStateSectionTest {

  @TempDir
  Path dir;

  @Test
  void shouldAcceptTheCollectorsSectionWithoutProblems() throws IOException {
    ConfigResult result = YamlConfigs.load(dir,
        "redis:",
        "  namespace-from-key: '^([^:]+):'",
        "memory-state:",
        "  layers:",
        "    session: ['session:*']",
        "    whatever-the-collector-reads: [1, 2]",
        "");
    assertThat(result.problems()).isEmpty();
    assertThat(result.config().get(Settings.REDIS_NAMESPACE_FROM_KEY).pattern()).isEqualTo("^([^:]+):");
  }

  @Test
  void shouldStillReportAMisspelledSectionAsUnknown() throws IOException {
    ConfigResult result = YamlConfigs.load(dir, "memory-stat:\n  layers:\n    session: ['session:*']\n");
    assertThat(result.problems()).extracting(ConfigProblem::key).contains("memory-stat.layers.session");
  }
}
