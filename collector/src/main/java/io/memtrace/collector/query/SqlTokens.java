package io.memtrace.collector.query;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits SQL into words, quoted identifiers, string literals and punctuation, skipping comments,
 * so that a keyword inside a string or a comment is never taken for a keyword.
 */
final class SqlTokens {

  enum Kind { WORD, QUOTED, STRING, PUNCT }

  /** A token and where it stands in the SQL: {@code text} is {@code sql.substring(start, end)}. */
  record Token(Kind kind, String text, int start, int end) {
    String upper() {
      return text.toUpperCase(Locale.ROOT);
    }

    boolean is(String punct) {
      return kind == Kind.PUNCT && text.equals(punct);
    }
  }

  private SqlTokens() {
  }

  static List<Token> of(String sql) {
    List<Token> tokens = new ArrayList<>();
    int i = 0;
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        while (i < n && sql.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int close = sql.indexOf("*/", i + 2);
        if (close < 0) {
          throw new IllegalArgumentException("unterminated /* comment");
        }
        i = close + 2;
      } else if (c == '\'') {
        int start = i;
        i = quoted(sql, i, '\'', false, "unterminated string literal");
        tokens.add(new Token(Kind.STRING, sql.substring(start, i), start, i));
      } else if (c == '"') {
        int start = i;
        i = quoted(sql, i, '"', false, "unterminated quoted identifier");
        tokens.add(new Token(Kind.QUOTED, sql.substring(start, i), start, i));
      } else if (c == '$' && dollarTag(sql, i) != null) {
        String tag = dollarTag(sql, i);
        int close = sql.indexOf(tag, i + tag.length());
        if (close < 0) {
          throw new IllegalArgumentException("unterminated " + tag + " string");
        }
        tokens.add(new Token(Kind.STRING, sql.substring(i, close + tag.length()), i, close + tag.length()));
        i = close + tag.length();
      } else if (Character.isLetter(c) || c == '_') {
        int start = i;
        while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_' || sql.charAt(i) == '$')) {
          i++;
        }
        // E'..' and X'..' are string literals with a prefix, not a word followed by a string
        if (i < n && sql.charAt(i) == '\'' && i - start == 1) {
          int literal = i;
          boolean escapes = Character.toUpperCase(c) == 'E';
          i = quoted(sql, i, '\'', escapes, "unterminated string literal");
          tokens.add(new Token(Kind.STRING, sql.substring(literal, i), literal, i));
        } else {
          tokens.add(new Token(Kind.WORD, sql.substring(start, i), start, i));
        }
      } else {
        tokens.add(new Token(Kind.PUNCT, String.valueOf(c), i, i + 1));
        i++;
      }
    }
    return tokens;
  }

  /** Index after the closing quote; a doubled quote escapes, and so does a backslash in E'...'. */
  private static int quoted(String sql, int open, char quote, boolean backslashEscapes, String error) {
    int i = open + 1;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      if (c == '\\' && backslashEscapes) {
        i += 2;
      } else if (c == quote) {
        if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
          i += 2;
        } else {
          return i + 1;
        }
      } else {
        i++;
      }
    }
    throw new IllegalArgumentException(error);
  }

  private static String dollarTag(String sql, int i) {
    int j = i + 1;
    while (j < sql.length() && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_')) {
      j++;
    }
    return j < sql.length() && sql.charAt(j) == '$' ? sql.substring(i, j + 1) : null;
  }
}
