package io.memtrace.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.deploy.markdown.LinkChecker;
import io.memtrace.deploy.markdown.MarkdownFiles;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every link in the repository's Markdown (README.md, docs/, bench/README.md, any other page) leads
 * somewhere: the file exists, the anchor is a heading or an explicit anchor of that page, the URL is
 * well-formed. The rules themselves are tested on small examples in {@code io.memtrace.deploy.markdown}.
 */
class MarkdownLinksTest {

  @Test
  void shouldFindEveryLinkOfEveryMarkdownFileLeadingSomewhere() {
    List<String> files = MarkdownFiles.in(Repo.ROOT);

    List<LinkChecker.Problem> problems = new LinkChecker(Repo.ROOT).check(files);

    assertThat(files).contains("README.md", "docs/reference/configuration.md", "docs/reference/collector-cli.md");
    assertThat(problems).as("broken links, as file:line: problem").isEmpty();
  }
}
