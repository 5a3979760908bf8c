package io.memtrace.deploy.markdown;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks the links of Markdown files in a repository as GitHub would follow them, without the
 * network: a relative link or image must name a file or directory that exists inside the
 * repository ({@code /path} is from its root); a {@code #anchor} into a Markdown file (the same one
 * or another) must match one of its headings' slugs or an explicit {@code <a id>} / {@code <a name>};
 * an {@code http(s)} link must be a well-formed URL with a host. Other schemes
 * ({@code mailto:}) are left alone, and so are anchors into other kinds of files ({@code #L10}).
 */
public final class LinkChecker {

  /** One broken link: the file (relative to the root, '/'-separated), the line, what is wrong. */
  public record Problem(String file, int line, String message) {
    @Override
    public String toString() {
      return file + ":" + line + ": " + message;
    }
  }

  private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");
  private static final String GITHUB_PREFIX = "user-content-";

  private final Path root;
  private final Map<Path, MarkdownFile> parsed = new HashMap<>();

  /** @param root the repository's root: no link may leave it */
  public LinkChecker(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  /** The problems of every link in {@code files} (paths relative to the root), in file and line order. */
  public List<Problem> check(List<String> files) {
    List<Problem> problems = new ArrayList<>();
    for (String name : files) {
      Path file = root.resolve(name).normalize();
      for (MarkdownFile.Link link : parsed(file).links()) {
        String message = problem(file, link.target());
        if (message != null) {
          problems.add(new Problem(name, link.line(), message));
        }
      }
    }
    return problems;
  }

  /** What is wrong with {@code target} written in {@code file}; null when nothing is. */
  String problem(Path file, String target) {
    if (target.isEmpty()) {
      return "a link with no target";
    }
    if (SCHEME.matcher(target).find()) {
      String scheme = target.substring(0, target.indexOf(':')).toLowerCase(Locale.ROOT);
      return scheme.equals("http") || scheme.equals("https") ? malformedUrl(target) : null;
    }
    int hash = target.indexOf('#');
    String path = hash < 0 ? target : target.substring(0, hash);
    int query = path.indexOf('?');
    path = decode(query < 0 ? path : path.substring(0, query));
    Path resolved = file;
    if (!path.isEmpty()) {
      resolved = (path.startsWith("/") ? root.resolve(path.substring(1)) : file.getParent().resolve(path)).normalize();
      if (!resolved.startsWith(root)) {
        return "link to " + target + " leaves the repository";
      }
      if (!Files.exists(resolved)) {
        return "link to " + target + ": " + root.relativize(resolved).toString().replace('\\', '/') + " does not exist";
      }
    }
    String fragment = hash < 0 ? "" : decode(target.substring(hash + 1));
    if (fragment.isEmpty() || Files.isDirectory(resolved)
        || !resolved.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".md")) {
      return null;
    }
    return missingAnchor(target, fragment, parsed(resolved));
  }

  private static String missingAnchor(String target, String fragment, MarkdownFile file) {
    String anchor = fragment.startsWith(GITHUB_PREFIX) ? fragment.substring(GITHUB_PREFIX.length()) : fragment;
    if (file.anchors().contains(anchor)) {
      return null;
    }
    String lower = anchor.toLowerCase(Locale.ROOT);
    String near = file.anchors().contains(lower) ? " (the heading's anchor is #" + lower + ")" : "";
    return "link to " + target + ": no heading or anchor #" + anchor + near;
  }

  private static String malformedUrl(String target) {
    try {
      URI uri = new URI(target);
      if (uri.getHost() == null || uri.getHost().isEmpty()) {
        return "malformed URL " + target + ": no host";
      }
      return null;
    } catch (URISyntaxException e) {
      return "malformed URL " + target + ": " + e.getReason() + " at index " + e.getIndex();
    }
  }

  private static String decode(String text) {
    try {
      return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return text; // a bare % is a character of the name
    }
  }

  private MarkdownFile parsed(Path file) {
    return parsed.computeIfAbsent(file, f -> {
      try {
        return MarkdownFile.parse(Files.readString(f, StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }
}
