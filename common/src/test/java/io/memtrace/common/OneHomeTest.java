package io.memtrace.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The agent and the collector must derive the same namespace from a key and read a glob alike, so the
 * default rule and the glob translation exist once, here. A second copy in any module's main sources
 * (the default regex written out again, a glob turned into a regex by hand) fails this test.
 */
class OneHomeTest {

  private static final Path ROOT = Paths.get(System.getProperty("memtrace.repo.root", "..")).toAbsolutePath().normalize();

  @Test
  void shouldDeclareTheDefaultNamespaceRuleOnlyInCommon() throws IOException {
    assertThat(mainSourcesContaining(NamespaceRule.DEFAULT.replace("\\", "\\\\")))
        .as("main sources outside common that spell out the default of %s", NamespaceRule.KEY).isEmpty();
  }

  @Test
  void shouldTranslateGlobsOnlyInCommon() throws IOException {
    // the tell-tale of a glob translator: '*' turned into ".*"
    assertThat(mainSourcesContaining("\".*\"")).filteredOn(p -> read(p).contains("'*'") || read(p).contains("\"*\""))
        .as("main sources outside common with their own glob translation")
        .isEmpty();
  }

  @Test
  void shouldBeWhatTheAgentAndTheCollectorUse() throws IOException {
    assertThat(mainSourcesContaining("import io.memtrace.common.NamespaceRule;"))
        .anyMatch(p -> p.startsWith(ROOT.resolve("agent")))
        .anyMatch(p -> p.startsWith(ROOT.resolve("collector")));
  }

  @Test
  void shouldKeepTheRedisCommandTableOnlyInCommon() throws IOException {
    try (Stream<Path> files = Files.walk(ROOT, 14)) {
      assertThat(files.filter(p -> p.getFileName().toString().matches("redis-command(s\\.tsv|-overlay\\.txt)"))
          .filter(p -> ROOT.relativize(p).toString().matches("[^/]+/src/.*"))
          .map(p -> ROOT.relativize(p).toString()).sorted().collect(Collectors.toList()))
          .as("the Redis command table and overlay, which the agent and the collector read alike")
          .containsExactly("common/src/main/resources/io/memtrace/common/redis/redis-command-overlay.txt",
              "common/src/main/resources/io/memtrace/common/redis/redis-commands.tsv");
    }
  }

  private static List<Path> mainSourcesContaining(String text) throws IOException {
    try (Stream<Path> files = Files.walk(ROOT, 12)) {
      return files.filter(p -> p.toString().endsWith(".java"))
          .filter(p -> ROOT.relativize(p).toString().matches("[^/]+/src/main/.*"))
          .filter(p -> !p.startsWith(ROOT.resolve("common")))
          .filter(p -> read(p).contains(text))
          .collect(Collectors.toList());
    }
  }

  private static String read(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
