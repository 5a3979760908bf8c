package io.memtrace.deploy.markdown;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MarkdownFileTest {

  private static List<String> targets(String... lines) {
    return MarkdownFile.parse(String.join("\n", lines)).links().stream().map(MarkdownFile.Link::target).toList();
  }

  private static List<String> anchors(String... lines) {
    return List.copyOf(MarkdownFile.parse(String.join("\n", lines)).anchors());
  }

  @Test
  void shouldFindInlineLinksImagesDefinitionsAutolinksAndHtmlWithTheirLines() {
    MarkdownFile file = MarkdownFile.parse(String.join("\n",
        "See [the guide](docs/guide.md#setup \"title\") and ![chart](images/a.png).",
        "[ref]: docs/ref.md",
        "Mail <mailto:a@b.c> or <https://example.com/x>.",
        "<a href=\"docs/x.md\">x</a> <img src='img/y.png'>",
        "[![badge](b.svg)](https://ci.example.com)"));

    assertThat(file.links()).containsExactly(
        new MarkdownFile.Link(1, "docs/guide.md#setup"), new MarkdownFile.Link(1, "images/a.png"),
        new MarkdownFile.Link(2, "docs/ref.md"),
        new MarkdownFile.Link(3, "mailto:a@b.c"), new MarkdownFile.Link(3, "https://example.com/x"),
        new MarkdownFile.Link(4, "docs/x.md"), new MarkdownFile.Link(4, "img/y.png"),
        new MarkdownFile.Link(5, "b.svg"), new MarkdownFile.Link(5, "https://ci.example.com"));
  }

  @Test
  void shouldReadDestinationsWithParenthesesAndAngleBrackets() {
    assertThat(targets("[a](notes(v2).md) [b](<my file.md>) [c]( spaced.md )")).containsExactly(
        "notes(v2).md", "my file.md", "spaced.md");
  }

  @Test
  void shouldIgnoreLinksInFencesCodeSpansCommentsAndEscapes() {
    assertThat(targets(
        "```java",
        "[in](fence.md)",
        "```",
        "~~~",
        "[in](tilde.md)",
        "~~~",
        "````markdown",
        "```",
        "[in](nested.md)",
        "```",
        "````",
        "Code `[x](span.md)` and ``[y](double.md) ` here``.",
        "<!-- [hidden](comment.md)",
        "[still](hidden.md) -->  [after](comment-end.md)",
        "\\[not\\](escaped.md) and a footnote [^1]: text",
        "[real](real.md)")).containsExactly("comment-end.md", "real.md");
  }

  @Test
  void shouldTakeAnchorsFromHeadingsAsRenderedAndFromExplicitIds() {
    assertThat(anchors(
        "# `ring.size` and **bold**",
        "## [Linked](x.md) heading ##",
        "### Using _emphasis_ and snake_case_name",
        "Setext title",
        "============",
        "<a id=\"custom\"></a><a name=\"legacy\"></a>",
        "## Title <a id=\"inline\"></a>",
        "#not-a-heading",
        "```",
        "# in a fence",
        "```")).containsExactly("ringsize-and-bold", "linked-heading", "using-emphasis-and-snake_case_name",
            "setext-title", "custom", "legacy", "title", "inline");
  }

  @Test
  void shouldNotTakeListItemsTablesOrRulesForSetextHeadings() {
    assertThat(anchors(
        "- item",
        "---",
        "| a | b |",
        "|---|---|",
        "",
        "---",
        "Paragraph",
        "---")).containsExactly("paragraph");
  }
}
