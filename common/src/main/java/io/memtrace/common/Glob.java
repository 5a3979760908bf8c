package io.memtrace.common;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The one glob syntax of memtrace's settings: keys to redact, class and method names in rules, and
 * the namespaces of the collector's layer mapping. {@code *} is any run of characters (none
 * included), {@code ?} exactly one, every other character stands for itself.
 */
public final class Glob {

  private Glob() {
  }

  /** {@code glob} as a regular expression that must match the whole text. */
  public static String toRegex(String glob) {
    StringBuilder regex = new StringBuilder(glob.length() + 8);
    StringBuilder literal = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*' || c == '?') {
        quote(literal, regex);
        regex.append(c == '*' ? ".*" : ".");
      } else {
        literal.append(c);
      }
    }
    quote(literal, regex);
    return regex.toString();
  }

  /**
   * A SQL {@code GLOB} pattern as DuckDB reads it ({@code *}, {@code ?} and {@code [...]} classes), which the web
   * view's key filter passes to the store, as an anchored regular expression: the same filter on a store that has no
   * {@code GLOB} (ClickHouse's {@code match}).
   */
  public static String sqlGlobToRegex(String glob) {
    StringBuilder out = new StringBuilder("^");
    boolean inClass = false;
    for (char c : glob.toCharArray()) {
      if (inClass) {
        out.append(c == '\\' ? "\\\\" : String.valueOf(c));
        inClass = c != ']';
      } else if (c == '*' || c == '?') {
        out.append(c == '*' ? ".*" : ".");
      } else if (c == '[') {
        out.append('[');
        inClass = true;
      } else if ("\\.^$|()+{}]".indexOf(c) >= 0) {
        out.append('\\').append(c);
      } else {
        out.append(c);
      }
    }
    return out.append('$').toString();
  }

  /** {@code glob} compiled; {@code matcher(text).matches()} tells whether it matches. */
  public static Pattern compile(String glob) {
    return Pattern.compile(toRegex(glob), Pattern.DOTALL);
  }

  /** One pattern that matches what any of {@code globs} matches. */
  public static Pattern compileAny(List<String> globs) {
    StringBuilder regex = new StringBuilder();
    for (String glob : globs) {
      regex.append(regex.length() == 0 ? "" : "|").append("(?:").append(toRegex(glob)).append(')');
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL);
  }

  private static void quote(StringBuilder literal, StringBuilder regex) {
    if (literal.length() > 0) {
      regex.append(Pattern.quote(literal.toString()));
      literal.setLength(0);
    }
  }
}
