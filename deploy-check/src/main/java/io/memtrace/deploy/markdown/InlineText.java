package io.memtrace.deploy.markdown;

import java.util.regex.Pattern;

/** What is left of a line of Markdown text once code spans, escapes and markup are taken into account. */
final class InlineText {

  private static final Pattern IMAGE = Pattern.compile("!\\[([^\\]]*)\\]\\([^)]*\\)");
  private static final Pattern LINK = Pattern.compile("\\[([^\\]]*)\\]\\([^)]*\\)|\\[([^\\]]*)\\]\\[[^\\]]*\\]");
  private static final Pattern TAG = Pattern.compile("<[A-Za-z/!][^>]*>");
  private static final Pattern EMPHASIS = Pattern.compile("(?<![\\p{L}\\p{N}])_{1,3}(?=\\S)(.+?)(?<=\\S)_{1,3}(?![\\p{L}\\p{N}])");
  private static final Pattern ESCAPED = Pattern.compile("\\\\([!-/:-@\\[-`{-~])");

  private InlineText() {
  }

  /**
   * The line with every code span blanked out (same length, so columns keep their place) and every
   * backslash-escaped punctuation character replaced by a space: what is left is where links can be.
   */
  static String withoutCode(String line) {
    StringBuilder out = new StringBuilder(line);
    int i = 0;
    while (i < line.length()) {
      char c = line.charAt(i);
      if (c == '\\' && i + 1 < line.length() && isPunctuation(line.charAt(i + 1))) {
        out.setCharAt(i, ' ');
        out.setCharAt(i + 1, ' ');
        i += 2;
      } else if (c == '`') {
        int run = runLength(line, i);
        int close = closingRun(line, i + run, run);
        if (close < 0) {
          i += run; // no closing run: the backticks are literal
        } else {
          for (int k = i; k < close + run; k++) {
            out.setCharAt(k, ' ');
          }
          i = close + run;
        }
      } else {
        i++;
      }
    }
    return out.toString();
  }

  /** A heading's text as GitHub renders it: code spans keep their content, markup and tags go. */
  static String rendered(String heading) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    int plainFrom = 0;
    while (i < heading.length()) {
      if (heading.charAt(i) == '\\' && i + 1 < heading.length()) {
        i += 2;
      } else if (heading.charAt(i) == '`') {
        int run = runLength(heading, i);
        int close = closingRun(heading, i + run, run);
        if (close < 0) {
          i += run;
          continue;
        }
        out.append(markupless(heading.substring(plainFrom, i)));
        out.append(heading, i + run, close);
        i = close + run;
        plainFrom = i;
      } else {
        i++;
      }
    }
    return out.append(markupless(heading.substring(plainFrom))).toString().strip();
  }

  private static String markupless(String text) {
    String s = IMAGE.matcher(text).replaceAll("");
    s = LINK.matcher(s).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(m.group(1) != null ? m.group(1) : m.group(2)));
    s = TAG.matcher(s).replaceAll("");
    s = EMPHASIS.matcher(s).replaceAll("$1");
    return ESCAPED.matcher(s).replaceAll("$1");
  }

  private static boolean isPunctuation(char c) {
    return c < 128 && !Character.isLetterOrDigit(c) && c > ' ';
  }

  private static int runLength(String s, int from) {
    int end = from;
    while (end < s.length() && s.charAt(end) == '`') {
      end++;
    }
    return end - from;
  }

  /** Where the next run of exactly {@code run} backticks starts, or -1. */
  private static int closingRun(String s, int from, int run) {
    int i = from;
    while (i < s.length()) {
      if (s.charAt(i) == '`') {
        int length = runLength(s, i);
        if (length == run) {
          return i;
        }
        i += length;
      } else {
        i++;
      }
    }
    return -1;
  }
}
