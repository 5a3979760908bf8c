package io.memtrace.deploy.markdown;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The anchors GitHub gives a file's headings, in order: the heading's text as rendered, lower-cased,
 * every character removed that is not a letter, mark, digit, {@code _}, {@code -} or space, and each
 * space made a {@code -}. A slug already taken gets {@code -1}, {@code -2}, ... (the counting of
 * github-slugger, which GitHub's renderer agrees with: "a", "a", "a-1" give a, a-1, a-1-1).
 * One instance per file.
 */
public final class HeadingSlugs {

  private static final Pattern REMOVED = Pattern.compile("[^\\p{L}\\p{M}\\p{N}\\p{Pc}\\- ]");

  private final Map<String, Integer> seen = new HashMap<>();

  /** The anchor of the next heading of the file, whose rendered text is {@code text}. */
  public String next(String text) {
    String base = slug(text);
    String slug = base;
    while (seen.containsKey(slug)) {
      int count = seen.merge(base, 1, Integer::sum);
      slug = base + "-" + count;
    }
    seen.put(slug, 0);
    return slug;
  }

  /** The slug of one heading text, before duplicates are numbered. */
  static String slug(String text) {
    return REMOVED.matcher(text.toLowerCase(Locale.ROOT)).replaceAll("").replace(' ', '-');
  }
}
