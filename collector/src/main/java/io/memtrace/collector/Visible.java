package io.memtrace.collector;

/**
 * Text from spans, made safe to print. Span names, keys and attribute values are written by the
 * application, and so by whoever controls its input: a key holding {@code ESC ] 2 ; title BEL}
 * would retitle the reader's terminal, {@code ESC [ 2 J} clear it, OSC 52 write its clipboard,
 * and a right-to-left override reorder what follows it on screen. Every command's output goes
 * through here, so such characters are shown as escapes and never emitted.
 *
 * <p>Shown: the C0 controls and DEL as {@code \x1b} (tab, newline and carriage return as
 * {@code \t}, {@code \n}, {@code \r}), the C1 controls, which some terminals obey as 8-bit escapes,
 * the bidirectional embeddings, overrides, isolates and marks, and the line and paragraph
 * separators as {@code \u202e}. The JSON forms use {@code \u001b} throughout, which a JSON reader
 * reads back as the original character.
 */
public final class Visible {

  private Visible() {
  }

  /** One cell or one line: every listed character shown, newlines included. */
  public static String text(String s) {
    return escape(s, false, false);
  }

  /** Output of several lines we built ourselves: newlines kept, everything else shown. */
  public static String lines(String s) {
    return escape(s, true, false);
  }

  /**
   * JSON text we built ourselves: the listed characters can occur only inside its strings, where
   * {@code \u202e} is a valid escape of the same character, so the document reads back unchanged.
   */
  public static String json(String s) {
    return escape(s, true, true);
  }

  /** Whether {@code c} is shown as an escape rather than printed. */
  public static boolean hidden(char c) {
    return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x061c || c == 0x200e || c == 0x200f
        || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c == 0x2028 || c == 0x2029;
  }

  private static String escape(String s, boolean keepNewlines, boolean json) {
    if (s == null) {
      return null;
    }
    int first = firstHidden(s, keepNewlines);
    if (first < 0) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length() + 16).append(s, 0, first);
    for (int i = first; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!hidden(c) || (keepNewlines && c == '\n')) {
        out.append(c);
      } else if (json || c > 0x7f) {
        out.append(String.format("\\u%04x", (int) c));
      } else if (c == '\n') {
        out.append("\\n");
      } else if (c == '\t') {
        out.append("\\t");
      } else if (c == '\r') {
        out.append("\\r");
      } else {
        out.append(String.format("\\x%02x", (int) c));
      }
    }
    return out.toString();
  }

  private static int firstHidden(String s, boolean keepNewlines) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (hidden(c) && !(keepNewlines && c == '\n')) {
        return i;
      }
    }
    return -1;
  }
}
