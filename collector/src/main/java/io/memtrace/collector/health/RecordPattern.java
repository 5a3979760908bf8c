package io.memtrace.collector.health;

import io.memtrace.collector.CollectorException;
import io.memtrace.common.RecordGlob;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which Redis keys belong to one record, for the TTL truth's drifting TTLs: a glob with one named segment
 * ({@code checkpoint*:{thread}:*}: the keys {@code checkpoint:t1:…}, {@code checkpoint_blob:t1:…} and
 * {@code checkpoint_write:t1:…} are one record, {@code t1}), or a regular expression starting with {@code ^} whose
 * first group is the record id. In a glob, {@code {name}} is one {@code :}-separated segment (the record id; a second
 * {@code {…}} matches a segment without naming it), {@code *} matches within a segment, and a {@code *} at the end
 * matches the rest of the key. The regular expression is RE2's, which both stores run.
 *
 * @param text  the pattern as given
 * @param regex the anchored RE2 expression whose first group is the record id
 */
public record RecordPattern(String text, String regex) {

  /** The default: langgraph-redis's checkpoint keys of one thread (checkpoint, checkpoint_blob, checkpoint_write). */
  public static final String DEFAULT = "checkpoint*:{thread}:*";

  public static RecordPattern defaults() {
    return parse(DEFAULT);
  }

  /** The pattern of {@code text}; a pattern that names no record id is an error that says so. */
  public static RecordPattern parse(String text) {
    if (text == null || text.isBlank()) {
      throw new CollectorException("record pattern: empty (a glob such as " + DEFAULT + ", or a regex starting with ^)");
    }
    String regex = text.startsWith("^") ? text : glob(text);
    try {
      if (Pattern.compile(regex).matcher("").groupCount() < 1) {
        throw new CollectorException("record pattern " + text + ": names no record id (a {name} segment, or a regex "
            + "group)");
      }
    } catch (PatternSyntaxException e) {
      throw new CollectorException("record pattern " + text + ": not a regular expression: " + e.getDescription());
    }
    return new RecordPattern(text, regex);
  }

  /**
   * The literal start every matching key has (a glob's text before its first wildcard, and before any {@code %} or
   * {@code _}, which LIKE reads as wildcards), for a cheap filter before the expression; empty for a regex.
   */
  public String prefix() {
    if (text.startsWith("^")) {
      return "";
    }
    int i = 0;
    while (i < text.length() && "*?{%_".indexOf(text.charAt(i)) < 0) {
      i++;
    }
    return text.substring(0, i);
  }

  private static String glob(String glob) {
    try {
      return RecordGlob.toRegex(glob);
    } catch (IllegalArgumentException e) {
      throw new CollectorException(e.getMessage());
    }
  }
}
