package io.memtrace.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.deploy.markdown.MarkdownFiles;
import io.memtrace.deploy.markdown.PageShape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The manual stays a manual: no page over 600 lines (docs/performance.md over 400), and no prose line over 200
 * characters. Generated references (docs/reference/) and the dated logs of measurements (docs/history/) are left out.
 * The pages still being reworked into manual pages have a ceiling at their present size, so that they only shrink.
 */
class ManualShapeTest {

  private static final int MAX_LINES = 600;
  private static final Map<String, Integer> LIMITS = Map.of("docs/performance.md", 400);
  /**
   * Pages not yet under the line limit, with a ceiling of lines and of long lines, so that they only shrink: none since
   * 2026-11-29, when docs/fleet.md (758 lines) came under 600, the reasons for its schema's choices moved to
   * docs/fleet-schema.md (issue 74).
   */
  private static final Map<String, int[]> CEILINGS = Map.of();

  @Test
  void shouldKeepEveryManualPageShortAndItsProseLinesReadable() {
    List<String> problems = new ArrayList<>();
    for (String page : MarkdownFiles.in(Repo.ROOT)) {
      if (!PageShape.isManualPage(page)) {
        continue;
      }
      String text = Repo.read(page);
      int[] ceiling = CEILINGS.get(page);
      int maxLines = ceiling != null ? ceiling[0] : LIMITS.getOrDefault(page, MAX_LINES);
      int lines = PageShape.lines(text);
      if (lines > maxLines) {
        problems.add(page + ": " + lines + " lines, over " + maxLines);
      }
      List<String> long_ = PageShape.longProseLines(text);
      if (long_.size() > (ceiling != null ? ceiling[1] : 0)) {
        problems.add(page + ": prose lines over " + PageShape.MAX_PROSE_LINE + " characters: " + long_);
      }
    }
    assertThat(problems).as("pages over their size, or with prose lines too long to read").isEmpty();
  }

  @Test
  void shouldFindLongProseLinesOutsideCodeAndTables() {
    String longLine = "x".repeat(PageShape.MAX_PROSE_LINE + 1);
    String page = "# T\n\n" + longLine + "\n```\n" + longLine + "\n```\n| " + longLine + " |\nshort\n";

    assertThat(PageShape.longProseLines(page)).containsExactly("line 3 (201 characters)");
    assertThat(PageShape.lines(page)).isEqualTo(8);
    assertThat(PageShape.isManualPage("docs/history/performance-2026-11-26-to-29.md")).isFalse();
    assertThat(PageShape.isManualPage("docs/reference/collector-cli.md")).isFalse();
    assertThat(PageShape.isManualPage("docs/lineage.md")).isTrue();
    assertThat(PageShape.isManualPage("bench/README.md")).isTrue();
  }
}
