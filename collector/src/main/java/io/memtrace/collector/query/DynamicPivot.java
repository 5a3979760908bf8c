package io.memtrace.collector.query;

import io.memtrace.collector.query.SqlTokens.Kind;
import io.memtrace.collector.query.SqlTokens.Token;
import java.util.List;
import java.util.Set;

/**
 * DuckDB's {@code PIVOT t ON col USING agg} without an {@code IN} list finds the column values by
 * running a query first, so its parser cannot hand it over as one SELECT tree. For the
 * {@link SqlGuard} check only, each {@code ON} expression without an {@code IN} list gets
 * {@code IN (NULL)}: that adds a constant and nothing else, so the functions and tables in the
 * tree are exactly those of the statement that runs.
 */
final class DynamicPivot {

  private static final Set<String> ON_ENDS = Set.of("USING", "GROUP", "ORDER", "LIMIT", "OFFSET");

  private DynamicPivot() {
  }

  static boolean is(String sql) {
    try {
      return SqlTokens.of(sql).stream().anyMatch(t -> t.kind() == Kind.WORD && t.upper().equals("PIVOT"));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** {@code sql} with {@code IN (NULL)} after every {@code ON} expression of a PIVOT that has none. */
  static String withPlaceholderLists(String sql) {
    List<Token> tokens = SqlTokens.of(sql);
    StringBuilder out = new StringBuilder(sql);
    int shift = 0;
    for (int i = 0; i < tokens.size(); i++) {
      if (!isWord(tokens.get(i), "PIVOT")) {
        continue;
      }
      int on = findOn(tokens, i + 1);
      if (on < 0) {
        continue;
      }
      int depth = 0;
      boolean hasIn = false;
      int j = on + 1;
      for (; j < tokens.size(); j++) {
        Token t = tokens.get(j);
        if (t.is("(")) {
          depth++;
        } else if (t.is(")")) {
          if (depth == 0) {
            break;
          }
          depth--;
        } else if (depth == 0 && (t.is(",") || t.is(";") || t.kind() == Kind.WORD && ON_ENDS.contains(t.upper()))) {
          if (!hasIn) {
            out.insert(tokens.get(j - 1).end() + shift, " IN (NULL)");
            shift += " IN (NULL)".length();
          }
          hasIn = false;
          if (!t.is(",")) {
            break;
          }
        } else if (depth == 0 && isWord(t, "IN")) {
          hasIn = true;
        }
      }
      if (!hasIn && j > on + 1 && (j == tokens.size() || tokens.get(j).is(")"))) {
        out.insert(tokens.get(j - 1).end() + shift, " IN (NULL)");
        shift += " IN (NULL)".length();
      }
    }
    return out.toString();
  }

  /** The {@code ON} of the PIVOT whose source starts at {@code from}, at the same depth; -1 if none. */
  private static int findOn(List<Token> tokens, int from) {
    int depth = 0;
    for (int j = from; j < tokens.size(); j++) {
      Token t = tokens.get(j);
      if (t.is("(")) {
        depth++;
      } else if (t.is(")")) {
        if (--depth < 0) {
          return -1;
        }
      } else if (depth == 0 && isWord(t, "ON")) {
        return j;
      } else if (depth == 0 && (t.is(";") || isWord(t, "USING"))) {
        return -1;
      }
    }
    return -1;
  }

  private static boolean isWord(Token t, String word) {
    return t.kind() == Kind.WORD && t.upper().equals(word);
  }
}
