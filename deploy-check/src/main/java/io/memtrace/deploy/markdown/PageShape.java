package io.memtrace.deploy.markdown;

import java.util.ArrayList;
import java.util.List;

/**
 * The shape a manual page keeps: its length in lines, and its prose lines (outside code blocks and tables) no longer
 * than a reader's eye follows. Generated references and the dated logs of measurements are not pages in this sense.
 */
public final class PageShape {

  /** The longest prose line a page may have, in characters. */
  public static final int MAX_PROSE_LINE = 200;

  private PageShape() {
  }

  /** The page's prose lines over {@link #MAX_PROSE_LINE}, as "line N (M characters)". */
  public static List<String> longProseLines(String text) {
    List<String> found = new ArrayList<>();
    boolean code = false;
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      String trimmed = line.stripLeading();
      if (trimmed.startsWith("```")) {
        code = !code;
        continue;
      }
      if (code || trimmed.startsWith("|")) {
        continue;
      }
      if (line.length() > MAX_PROSE_LINE) {
        found.add("line " + (i + 1) + " (" + line.length() + " characters)");
      }
    }
    return found;
  }

  /** Lines of the page, as an editor counts them. */
  public static int lines(String text) {
    if (text.isEmpty()) {
      return 0;
    }
    int n = (int) text.chars().filter(c -> c == '\n').count();
    return text.endsWith("\n") ? n : n + 1;
  }

  /** Whether {@code relative} is a manual page: under docs/ or a README, but not generated or a dated log. */
  public static boolean isManualPage(String relative) {
    if (relative.startsWith("docs/reference/") || relative.startsWith("docs/history/")) {
      return false;
    }
    return relative.startsWith("docs/") || relative.equals("README.md") || relative.endsWith("/README.md");
  }
}
