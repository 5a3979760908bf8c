package io.memtrace.deploy;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code .dockerignore}: whether a path of the build context is sent to the engine. As Docker
 * reads it, a pattern matches a path or any directory above it, {@code !} re-includes, and the last
 * matching line decides. Glob syntax is Java's, which agrees with Go's {@code filepath.Match} for the
 * {@code *}, {@code ?} and {@code [...]} patterns used here.
 */
public final class DockerIgnore {

  private record Rule(PathMatcher matcher, boolean include) {
  }

  private final List<Rule> rules;

  private DockerIgnore(List<Rule> rules) {
    this.rules = rules;
  }

  /** The rules of {@code file}; nothing is ignored when it does not exist. */
  public static DockerIgnore read(Path file) throws IOException {
    return parse(Files.exists(file) ? Files.readAllLines(file) : List.of());
  }

  public static DockerIgnore parse(List<String> lines) {
    List<Rule> rules = new ArrayList<>();
    for (String raw : lines) {
      String line = raw.trim();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      boolean include = line.startsWith("!");
      String pattern = (include ? line.substring(1) : line).trim();
      while (pattern.startsWith("/")) {
        pattern = pattern.substring(1);
      }
      while (pattern.endsWith("/") && pattern.length() > 1) {
        pattern = pattern.substring(0, pattern.length() - 1);
      }
      rules.add(new Rule(FileSystems.getDefault().getPathMatcher("glob:" + pattern), include));
    }
    return new DockerIgnore(rules);
  }

  /** Whether {@code relativePath} (relative to the build context, '/'-separated) reaches the engine. */
  public boolean sends(String relativePath) {
    boolean sent = true;
    for (Rule rule : rules) {
      if (matchesOrParent(rule.matcher(), Paths.get(relativePath))) {
        sent = rule.include();
      }
    }
    return sent;
  }

  private static boolean matchesOrParent(PathMatcher matcher, Path path) {
    for (Path p = path; p != null; p = p.getParent()) {
      if (matcher.matches(p)) {
        return true;
      }
    }
    return false;
  }
}
