package io.memtrace.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.common.GeneratedPage;
import io.memtrace.testsupport.BuildPaths;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/reference/configuration.md is the declarations written out: a setting added, renamed or
 * given another default without the page following fails here. Run with
 * {@code -Dmemtrace.docs.update=true} to rewrite the page (the command is in
 * {@link ConfigurationReference#REGENERATE}).
 */
class ConfigurationReferenceTest {

  @Test
  void shouldFindThePageAsTheDeclarationsRenderIt() throws IOException {
    GeneratedPage page = new GeneratedPage(BuildPaths.ROOT, ConfigurationReference.PATH, ConfigurationReference.page(),
        ConfigurationReference.REGENERATE);

    assertThat(page.check()).isEmpty();
  }

  @Test
  void shouldGiveEverySettingOneRowWithItsNamesAndDefault() {
    String page = ConfigurationReference.page();

    for (Setting<?> s : Settings.all()) {
      String id = s.inFile() ? s.key() : s.environmentName();
      assertThat(page.split("<a id=\"" + java.util.regex.Pattern.quote(id) + "\"></a>", -1))
          .as("rows for %s", id).hasSize(2);
    }
    assertThat(page).contains("| <a id=\"ring.size\"></a>`ring.size` | `MEMTRACE_RING_SIZE`<br>`memtrace.ring.size` "
        + "| `8192` | a power of two, 64 to 1048576 | memtrace off | Events that can wait");
    assertThat(page).contains("| <a id=\"redis.enabled\"></a>`redis.enabled` | `MEMTRACE_REDIS_ENABLED`<br>"
        + "`memtrace.redis.enabled` | `true` | `true` or `false` | Redis tracing off |");
    assertThat(page).contains("| <a id=\"tasks\"></a>`tasks` | (file only) |  | a list of rules | that rule dropped |");
    assertThat(page).contains("| <a id=\"OTEL_EXPORTER_OTLP_TRACES_TIMEOUT\"></a>`OTEL_EXPORTER_OTLP_TRACES_TIMEOUT`"
        + "<br>`MEMTRACE_EXPORTER_OTLP_TRACES_TIMEOUT` | `otel.exporter.otlp.traces.timeout`<br>"
        + "`memtrace.exporter.otlp.traces.timeout` | as `OTEL_EXPORTER_OTLP_TIMEOUT` |");
  }

  @Test
  void shouldListOwnSettingsBeforeTheVariables() {
    String page = ConfigurationReference.page();

    assertThat(page.indexOf("`span-prefix`")).isLessThan(page.indexOf("## Exporters: the standard OpenTelemetry settings"));
    assertThat(page.indexOf("<a id=\"MEMTRACE_CONFIG\">")).isGreaterThan(page.indexOf("## Exporters: the standard OpenTelemetry settings"));
    assertThat(page).contains(ConfigurationReference.REGENERATE);
  }

  @Test
  void shouldLoadThePagesExampleFileWithoutAProblem(@TempDir Path dir) throws IOException {
    ConfigResult result = YamlConfigs.load(dir, ConfigurationReference.EXAMPLE);

    assertThat(result.problems()).isEmpty();
    assertThat(result.config().get(Settings.RING_SIZE)).isEqualTo(16384);
    assertThat(result.config().get(Settings.RETENTION_SLOW_THRESHOLD)).isEqualTo(25L);
    assertThat(ConfigurationReference.page()).contains("```yaml\n" + ConfigurationReference.EXAMPLE + "```");
  }

  @Test
  void shouldCostWhatThePageSaysForAnUnknownKeyOrAMissingFile(@TempDir Path dir) throws IOException {
    ConfigResult result = YamlConfigs.load(dir, "redis:\n  enable: true\nretention:\n  slow: 5\n");
    ConfigResult missing = YamlConfigs.load(dir.resolve("absent.yaml"), Map.of());

    assertThat(result.problems()).extracting(ConfigProblem::key, ConfigProblem::effect).containsExactlyInAnyOrder(
        org.assertj.core.groups.Tuple.tuple("redis.enable", ConfigProblem.Effect.REDIS_OFF),
        org.assertj.core.groups.Tuple.tuple("retention.slow", ConfigProblem.Effect.AGENT_OFF));
    assertThat(missing.agentEnabled()).isFalse();
    assertThat(ConfigurationReference.page()).contains("unknown key in the `redis` section switches Redis tracing off, "
        + "any other unknown key memtrace");
  }
}
