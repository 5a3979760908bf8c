package io.memtrace.deploy.markdown;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinkCheckerTest {

  @TempDir
  Path root;

  private void write(String name, String... lines) throws IOException {
    Path file = root.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, String.join("\n", lines) + "\n");
  }

  private List<String> problems(String... files) {
    return new LinkChecker(root).check(List.of(files)).stream().map(LinkChecker.Problem::toString).toList();
  }

  @Test
  void shouldAcceptLinksToFilesDirectoriesAnchorsAndWellFormedUrls() throws IOException {
    write("README.md", "# memtrace", "", "## Getting started", "## Options", "## Options",
        "[guide](docs/guide.md) [up](#getting-started) [second](#options-1) [dir](docs/) [img](docs/a%20b.png)",
        "[root](/docs/guide.md#the-guide) [named](docs/guide.md#old-name) [java](src/A.java#L3)",
        "<https://example.com/path?q=1#x> [mail](mailto:team@example.com) [web](http://localhost:4318/v1/traces)",
        "[setting](docs/guide.md#ringsize) [dotted](docs/guide.md#ring.size)");
    write("docs/guide.md", "# The guide", "<a name=\"old-name\"></a>", "[back](../README.md#memtrace)",
        "## `ring.size`", "| <a id=\"ring.size\"></a>`ring.size` | 8192 |");
    write("docs/a b.png", "png");
    write("src/A.java", "class A {}");

    assertThat(problems("README.md", "docs/guide.md")).isEmpty();
  }

  @Test
  void shouldReportEachBrokenLinkWithItsFileAndLine() throws IOException {
    write("README.md", "# Title", "", "[gone](docs/missing.md)", "![gone](images/none.png)", "[top](#titel)",
        "[case](#Title)", "[other](docs/guide.md#nowhere)", "[out](../../etc/passwd)", "[empty]()",
        "[bad](http:///no-host) <https://exa mple.com>");
    write("docs/guide.md", "# Guide");

    assertThat(problems("README.md")).containsExactly(
        "README.md:3: link to docs/missing.md: docs/missing.md does not exist",
        "README.md:4: link to images/none.png: images/none.png does not exist",
        "README.md:5: link to #titel: no heading or anchor #titel",
        "README.md:6: link to #Title: no heading or anchor #Title (the heading's anchor is #title)",
        "README.md:7: link to docs/guide.md#nowhere: no heading or anchor #nowhere",
        "README.md:8: link to ../../etc/passwd leaves the repository",
        "README.md:9: a link with no target",
        "README.md:10: malformed URL http:///no-host: no host");
  }

  @Test
  void shouldAcceptGitHubsPrefixedAnchorAndPercentEncodedFragments() throws IOException {
    write("a.md", "# Über café", "[x](#user-content-über-café) [y](#%C3%BCber-caf%C3%A9)");

    assertThat(problems("a.md")).isEmpty();
  }

  @Test
  void shouldListWhatGitTracksOrWouldAddButNotWhatItIgnores() throws Exception {
    Process init = new ProcessBuilder("git", "init", "-q").directory(root.toFile()).start();
    org.junit.jupiter.api.Assumptions.assumeTrue(init.waitFor() == 0, "git is not installed");
    write(".gitignore", "scratch.md");
    write("README.md", "# r");
    write("docs/new-page.md", "# n");
    write("scratch.md", "# s");
    write("collector/target/generated.md", "# t");
    new ProcessBuilder("git", "add", "README.md").directory(root.toFile()).start().waitFor();

    assertThat(MarkdownFiles.in(root)).containsExactly("README.md", "docs/new-page.md");
  }

  @Test
  void shouldListOnlyMarkdownOutsideBuildOutputWhenWalkingATreeWithoutGit() throws IOException {
    write("README.md", "# r");
    write("docs/reference/configuration.md", "# c");
    write("agent/target/classes/copied.md", "# t");
    write("web/node_modules/pkg/README.md", "# n");
    write("notes.txt", "n");

    assertThat(MarkdownFiles.in(root)).containsExactly("README.md", "docs/reference/configuration.md");
  }
}
