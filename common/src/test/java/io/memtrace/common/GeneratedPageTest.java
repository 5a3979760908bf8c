package io.memtrace.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeneratedPageTest {

  @TempDir
  Path root;

  @AfterEach
  void clearSwitch() {
    System.clearProperty(GeneratedPage.UPDATE);
  }

  private void write(String text) throws IOException {
    Files.createDirectories(root.resolve("docs"));
    Files.write(root.resolve("docs/page.md"), text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void shouldPassWhenTheFileHoldsExactlyThePage() throws IOException {
    write("# Title\n\nbody\n");

    assertThat(new GeneratedPage(root, "docs/page.md", "# Title\n\nbody\n", "regen").check()).isEmpty();
  }

  @Test
  void shouldNameTheFirstDifferentLineAndTheCommand() throws IOException {
    write("# Title\n\nold body\nsame\n");

    String problem = new GeneratedPage(root, "docs/page.md", "# Title\n\nnew body\nsame\n", "mvn regen").check();

    assertThat(problem).startsWith("docs/page.md is out of date").contains("line 3 is\n  old body\nand should be\n  new body")
        .endsWith("regenerate it with: mvn regen");
  }

  @Test
  void shouldSeeAMissingFinalNewlineAndAMissingFile() throws IOException {
    write("a\nb");

    assertThat(new GeneratedPage(root, "docs/page.md", "a\nb\n", "regen").check()).contains("line 3 is\n  (end of file)");
    assertThat(new GeneratedPage(root, "docs/other.md", "a\n", "regen").check())
        .isEqualTo("docs/other.md is missing; create it with: regen");
  }

  @Test
  void shouldRewriteTheFileWhenAskedAndThenPass() throws IOException {
    write("stale\n");
    System.setProperty(GeneratedPage.UPDATE, "true");

    assertThat(new GeneratedPage(root, "docs/reference/new.md", "fresh\n", "regen").check()).isEmpty();
    assertThat(new GeneratedPage(root, "docs/page.md", "fresh\n", "regen").check()).isEmpty();
    assertThat(Files.readString(root.resolve("docs/page.md"))).isEqualTo("fresh\n");
    assertThat(root.resolve("docs/reference/new.md")).hasContent("fresh");
  }
}
