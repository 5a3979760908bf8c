package io.memtrace.deploy.markdown;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The Markdown files of a repository: those git tracks or would add (untracked but not ignored), so
 * a page being written is checked before its first commit; anything under {@code target/} or
 * {@code node_modules/} is left out. Without git (or outside a work tree) the directory is walked.
 */
public final class MarkdownFiles {

  private static final Set<String> SKIPPED = Set.of("target", "node_modules", ".git");

  private MarkdownFiles() {
  }

  /** Paths relative to {@code root}, '/'-separated, sorted. */
  public static List<String> in(Path root) {
    List<String> files = fromGit(root);
    if (files == null) {
      files = walk(root);
    }
    return files.stream().filter(f -> kept(f) && Files.isRegularFile(root.resolve(f))).sorted().toList();
  }

  static boolean kept(String relative) {
    if (!relative.toLowerCase(java.util.Locale.ROOT).endsWith(".md")) {
      return false;
    }
    for (String part : relative.split("/")) {
      if (SKIPPED.contains(part)) {
        return false;
      }
    }
    return true;
  }

  private static List<String> fromGit(Path root) {
    try {
      Process git = new ProcessBuilder("git", "ls-files", "--cached", "--others", "--exclude-standard", "-z",
          "--", "*.md", "*.MD").directory(root.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      byte[] out = git.getInputStream().readAllBytes();
      if (!git.waitFor(60, TimeUnit.SECONDS) || git.exitValue() != 0) {
        return null;
      }
      List<String> files = new ArrayList<>();
      for (String name : new String(out, StandardCharsets.UTF_8).split("\0")) {
        if (!name.isEmpty()) {
          files.add(name);
        }
      }
      return files;
    } catch (IOException e) {
      return null; // no git here: walk the tree instead
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private static List<String> walk(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      return paths.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/')).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
