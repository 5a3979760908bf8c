package io.memtrace.common;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A page under {@code docs/} written from declarations (the agent's settings, the collector's
 * commands), checked by a test against the file in the repository. Run with
 * {@code -Dmemtrace.docs.update=true}, the test rewrites the file instead of failing.
 */
public final class GeneratedPage {

  /** The system property that makes {@link #check()} rewrite the file. */
  public static final String UPDATE = "memtrace.docs.update";

  private final Path file;
  private final String relativePath;
  private final String content;
  private final String regenerate;

  /**
   * @param repositoryRoot the directory holding {@code docs/}
   * @param relativePath the page's path from there, for example {@code docs/reference/configuration.md}
   * @param content the page as the declarations render it
   * @param regenerate the command that rewrites it, quoted in every failure
   */
  public GeneratedPage(Path repositoryRoot, String relativePath, String content, String regenerate) {
    this.file = repositoryRoot.resolve(relativePath);
    this.relativePath = relativePath;
    this.content = content;
    this.regenerate = regenerate;
  }

  /**
   * Rewrites the file first when {@value #UPDATE} is true, then says what is wrong with it: empty
   * when it holds exactly the rendered page, else the first line that differs and the command.
   */
  public String check() throws IOException {
    if (Boolean.getBoolean(UPDATE)) {
      Files.createDirectories(file.getParent());
      Files.write(file, content.getBytes(StandardCharsets.UTF_8));
    }
    if (!Files.isRegularFile(file)) {
      return relativePath + " is missing; create it with: " + regenerate;
    }
    String difference = firstDifference(new String(Files.readAllBytes(file), StandardCharsets.UTF_8), content);
    return difference.isEmpty() ? "" : relativePath + " is out of date with its declarations (" + difference
        + "); regenerate it with: " + regenerate;
  }

  /** The first line that differs, as the file has it and as it should be; empty when none does. */
  static String firstDifference(String has, String wants) {
    String[] lines = has.split("\n", -1);
    String[] wanted = wants.split("\n", -1);
    for (int i = 0; i < Math.max(lines.length, wanted.length); i++) {
      String line = i < lines.length ? lines[i] : "(end of file)";
      String want = i < wanted.length ? wanted[i] : "(end of file)";
      if (!line.equals(want)) {
        return "line " + (i + 1) + " is\n  " + line + "\nand should be\n  " + want + "\n";
      }
    }
    return "";
  }
}
