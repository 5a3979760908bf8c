package io.memtrace.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

/**
 * The README's settings tables are the declarations written out: a setting added, renamed or
 * given another default without the README following fails here. Run with
 * {@code -Dmemtrace.readme.update=true} to rewrite the tables from the declarations.
 */
class SettingsTableTest {

  private static final Path README = Paths.get(System.getProperty("memtrace.readme", "../README.md"));

  @Test
  void shouldFindEveryGeneratedTableInReadmeAsDeclared() throws IOException {
    String readme = new String(Files.readAllBytes(README), StandardCharsets.UTF_8);
    String expected = readme;
    for (String block : SettingsTable.blocks()) {
      expected = replaceBlock(expected, block);
    }
    if (Boolean.getBoolean("memtrace.readme.update") && !expected.equals(readme)) {
      Files.write(README, expected.getBytes(StandardCharsets.UTF_8));
      readme = expected;
    }

    assertThat(readme).as("README.md settings tables; rerun this test with -Dmemtrace.readme.update=true")
        .isEqualTo(expected);
  }

  @Test
  void shouldListEverySettingInExactlyOneTable() {
    String tables = SettingsTable.markdown(SettingsTable.FILE) + SettingsTable.markdown(SettingsTable.VARIABLES);

    for (Setting<?> s : Settings.all()) {
      String name = s.inFile() ? s.key() : s.environmentName();
      String cell = s.twinEnvironmentName() == null ? "| `" + name + "` |"
          : "| `" + name + "`<br>`" + s.twinEnvironmentName() + "` |";
      assertThat(tables).as(name).contains(cell);
    }
    assertThat(tables).contains("| `ring.size` | `MEMTRACE_RING_SIZE`, `memtrace.ring.size` | `8192` | "
        + "a power of two, 64 to 1048576 |");
    assertThat(tables).contains("| `OTEL_EXPORTER_OTLP_TRACES_TIMEOUT`<br>`MEMTRACE_EXPORTER_OTLP_TRACES_TIMEOUT` "
        + "| `otel.exporter.otlp.traces.timeout`<br>`memtrace.exporter.otlp.traces.timeout` "
        + "| as `OTEL_EXPORTER_OTLP_TIMEOUT` |");
  }

  private static String replaceBlock(String readme, String block) {
    String begin = SettingsTable.begin(block);
    String end = SettingsTable.end(block);
    int from = readme.indexOf(begin);
    int to = readme.indexOf(end);
    assertThat(from).as("README.md has the line %s", begin).isGreaterThanOrEqualTo(0);
    assertThat(to).as("README.md has the line %s after its begin marker", end).isGreaterThan(from);
    return readme.substring(0, from + begin.length()) + "\n" + SettingsTable.markdown(block)
        + readme.substring(to);
  }
}
