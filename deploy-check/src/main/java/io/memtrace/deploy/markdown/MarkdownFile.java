package io.memtrace.deploy.markdown;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Markdown file as a link checker sees it: the anchors it defines (its headings' GitHub slugs,
 * and {@code <a id=...>} / {@code <a name=...>}) and the links it makes (inline links and images,
 * reference definitions, autolinks, {@code <a href>} and {@code <img src>}), each with its line.
 * Nothing inside a fenced code block, a code span or an HTML comment counts.
 */
public final class MarkdownFile {

  /** A link target as written, and the line it is on (from 1). */
  public record Link(int line, String target) {
  }

  private static final Pattern FENCE = Pattern.compile("^ {0,3}(`{3,}|~{3,})(.*)$");
  private static final Pattern ATX = Pattern.compile("^ {0,3}(#{1,6})(?:[ \\t]+(.*?))?(?:[ \\t]+#+)?[ \\t]*$");
  private static final Pattern SETEXT = Pattern.compile("^ {0,3}(=+|-+)[ \\t]*$");
  private static final Pattern NOT_A_PARAGRAPH = Pattern.compile("^ {0,3}([-+*>|#]|\\d+[.)]|<)|^\\s*$");
  private static final Pattern ANCHOR = Pattern.compile("(?i)<a\\s(?:[^>]*?\\s)?(?:id|name)\\s*=\\s*[\"']([^\"']+)[\"']");
  private static final Pattern DEFINITION = Pattern.compile("^ {0,3}\\[([^\\]^][^\\]]*)\\]:[ \\t]*(<[^>]*>|\\S+)");
  private static final Pattern AUTOLINK = Pattern.compile("<((?i:https?|mailto):[^<>\\s]*)>");
  private static final Pattern HTML_LINK = Pattern.compile("(?i)<(?:a|img)\\s(?:[^>]*?\\s)?(?:href|src)\\s*=\\s*[\"']([^\"']*)[\"']");

  private final Set<String> anchors = new LinkedHashSet<>();
  private final List<Link> links = new ArrayList<>();

  private MarkdownFile() {
  }

  public static MarkdownFile parse(String text) {
    MarkdownFile file = new MarkdownFile();
    HeadingSlugs slugs = new HeadingSlugs();
    String[] lines = text.split("\r?\n", -1);
    String fence = null;
    boolean inComment = false;
    String previous = "";
    for (int n = 0; n < lines.length; n++) {
      String line = lines[n];
      if (fence != null) {
        if (closes(line, fence)) {
          fence = null;
        }
        previous = "";
        continue;
      }
      Matcher opening = FENCE.matcher(line);
      if (!inComment && opening.matches() && !(opening.group(1).startsWith("`") && opening.group(2).contains("`"))) {
        fence = opening.group(1);
        previous = "";
        continue;
      }
      StringBuilder visible = new StringBuilder();
      inComment = dropComments(line, inComment, visible);
      String shown = visible.toString();
      Matcher atx = ATX.matcher(shown);
      if (atx.matches()) {
        file.anchors.add(slugs.next(InlineText.rendered(atx.group(2) == null ? "" : atx.group(2))));
      } else if (SETEXT.matcher(shown).matches() && !NOT_A_PARAGRAPH.matcher(previous).find()
          && !ATX.matcher(previous).matches()) {
        file.anchors.add(slugs.next(InlineText.rendered(previous.strip())));
      }
      file.scan(n + 1, InlineText.withoutCode(shown));
      previous = atx.matches() ? "" : shown;
    }
    return file;
  }

  /** Whether {@code line} closes a fence opened by {@code fence}: the same character, at least as many, nothing else. */
  private static boolean closes(String line, String fence) {
    String run = line.strip();
    char c = fence.charAt(0);
    return run.length() >= fence.length() && run.chars().allMatch(ch -> ch == c) && line.indexOf(c) <= 3;
  }

  /** Appends what of {@code line} is outside HTML comments; says whether a comment is still open at its end. */
  private static boolean dropComments(String line, boolean inComment, StringBuilder visible) {
    int i = 0;
    while (i < line.length()) {
      if (inComment) {
        int end = line.indexOf("-->", i);
        if (end < 0) {
          return true;
        }
        i = end + 3;
        inComment = false;
      } else {
        int start = line.indexOf("<!--", i);
        if (start < 0) {
          visible.append(line, i, line.length());
          return false;
        }
        visible.append(line, i, start);
        i = start + 4;
        inComment = true;
      }
    }
    return inComment;
  }

  private void scan(int line, String text) {
    Matcher anchor = ANCHOR.matcher(text);
    while (anchor.find()) {
      anchors.add(anchor.group(1));
    }
    Matcher definition = DEFINITION.matcher(text);
    if (definition.find()) {
      links.add(new Link(line, unbracketed(definition.group(2))));
    }
    for (int at = text.indexOf("]("); at >= 0; at = text.indexOf("](", at + 2)) {
      links.add(new Link(line, destination(text, at + 2)));
    }
    for (Pattern p : List.of(AUTOLINK, HTML_LINK)) {
      Matcher m = p.matcher(text);
      while (m.find()) {
        links.add(new Link(line, m.group(1)));
      }
    }
  }

  /** The destination of an inline link whose {@code (} ends just before {@code from}: {@code <...>}, or up to a space or the unbalanced {@code )}. */
  static String destination(String text, int from) {
    int i = from;
    while (i < text.length() && text.charAt(i) == ' ') {
      i++;
    }
    if (i < text.length() && text.charAt(i) == '<') {
      int end = text.indexOf('>', i);
      return end < 0 ? text.substring(i) : text.substring(i + 1, end);
    }
    int depth = 0;
    int start = i;
    for (; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c) || c == ')' && depth == 0) {
        break;
      }
      depth += c == '(' ? 1 : c == ')' ? -1 : 0;
    }
    return text.substring(start, i);
  }

  private static String unbracketed(String target) {
    return target.startsWith("<") && target.endsWith(">") ? target.substring(1, target.length() - 1) : target;
  }

  /** Every anchor a link may name: heading slugs and explicit ids and names. */
  public Set<String> anchors() {
    return anchors;
  }

  public List<Link> links() {
    return links;
  }
}
