package io.memtrace.common;

/**
 * A record pattern's glob as a regular expression: the keys of one record (the TTL truth's drifting TTLs). Unlike a
 * key glob ({@link Glob}), it reads a key as {@code :}-separated segments: {@code {name}} is one whole segment, the
 * first such the record id (the expression's first group, a later one unnamed), {@code *} matches within a segment
 * and, at the end, the rest of the key, {@code ?} one character of a segment. The expression is anchored and RE2's,
 * which both stores run.
 */
public final class RecordGlob {

  private RecordGlob() {
  }

  /** The expression of {@code glob}; a {@code {} without its {@code }} is an error that says so. */
  public static String toRegex(String glob) {
    StringBuilder regex = new StringBuilder("^");
    boolean named = false;
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '{') {
        int end = glob.indexOf('}', i);
        if (end < 0) {
          throw new IllegalArgumentException("record pattern " + glob + ": a { without its }");
        }
        regex.append(named ? "[^:]+" : "([^:]+)");
        named = true;
        i = end;
      } else if (c == '*') {
        regex.append(i == glob.length() - 1 ? ".*" : "[^:]*");
      } else if (c == '?') {
        regex.append("[^:]");
      } else {
        regex.append(".+()[]|^$\\".indexOf(c) >= 0 ? "\\" + c : String.valueOf(c));
      }
    }
    return regex.append('$').toString();
  }
}
