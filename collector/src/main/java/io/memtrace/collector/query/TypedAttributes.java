package io.memtrace.collector.query;

import io.memtrace.collector.query.SqlTokens.Kind;
import io.memtrace.collector.store.PromotedAttributes;
import io.memtrace.collector.query.SqlTokens.Token;
import java.util.List;
import java.util.Map;

/**
 * Rewrites each {@code attributes['k']} of a query (also {@code s.attributes['k']}) whose key has
 * one known type to {@code TRY_CAST(attributes['k'] AS DOUBLE)} (or {@code BIGINT},
 * {@code VARCHAR}, {@code BOOLEAN}), so that sums, averages, arithmetic and ordering work on a
 * plain typed column rather than on DuckDB's {@code VARIANT} (see
 * {@link io.memtrace.collector.store.AttributeTypes}). The rewrite works on tokens: text inside
 * string literals, quoted identifiers and comments is never touched, and unknown keys, keys with
 * mixed types and nested lookups ({@code attributes['k']['x']}) are left as they are, and so is
 * a query that does not read the span tables or that also reads {@code metrics}.
 *
 * <p>Where the store keeps the key as a typed column ({@link PromotedAttributes}) of that very
 * type, the lookup reads the column instead ({@code attributes['memory.key']} becomes
 * {@code memory_key}), which DuckDB reads through the {@code spans} view without rebuilding every
 * row's attributes: the same values, many times faster. Only in a query of one {@code SELECT}
 * over the span tables: a subquery or CTE may pass on {@code attributes} without the columns.
 */
public final class TypedAttributes {

  private TypedAttributes() {
  }

  /** {@code sql} with typed attribute lookups; {@code casts} maps a key to its SQL type. */
  static String rewrite(String sql, Map<String, String> casts) {
    return rewrite(sql, casts, false);
  }

  /** Also reading promoted columns, when {@code columns} says the span tables have them. */
  static String rewrite(String sql, Map<String, String> casts, boolean columns) {
    return rewrite(sql, casts, columns, (lookup, type) -> "TRY_CAST(" + lookup + " AS " + type + ")");
  }

  /**
   * For another store's SQL dialect: each lookup of a key of {@code casts} (key to its type, in the embedded store's
   * words) as {@code cast} writes it from the lookup's text and the type; no promoted columns.
   */
  public static String rewrite(String sql, Map<String, String> casts,
      java.util.function.BinaryOperator<String> cast) {
    return rewrite(sql, casts, false, cast, Map.of());
  }

  /**
   * {@link #rewrite(String, Map, java.util.function.BinaryOperator)}, and in a query of one {@code SELECT} over the
   * span tables each lookup of a key of {@code exact} (key to column name) read from that column instead, which the
   * store's {@code spans} view defines as exactly what the lookup, cast as {@code cast} writes it, gives. Not when the
   * query names one of those columns itself (as a column or an alias, which in ClickHouse shadows a column): the
   * lookups are then cast as before.
   */
  public static String rewrite(String sql, Map<String, String> casts, java.util.function.BinaryOperator<String> cast,
      Map<String, String> exact) {
    return rewrite(sql, casts, false, cast, exact);
  }

  private static String rewrite(String sql, Map<String, String> casts, boolean columns,
      java.util.function.BinaryOperator<String> castWith) {
    return rewrite(sql, casts, columns, castWith, Map.of());
  }

  private static String rewrite(String sql, Map<String, String> casts, boolean columns,
      java.util.function.BinaryOperator<String> castWith, Map<String, String> exact) {
    if (casts.isEmpty() && exact.isEmpty()) {
      return sql;
    }
    List<Token> tokens;
    try {
      tokens = SqlTokens.of(sql);
    } catch (IllegalArgumentException e) {
      return sql; // DuckDB reports the syntax error in its own words
    }
    if (!readsSpansOnly(tokens)) {
      return sql;
    }
    boolean useColumns = columns && isOneSelect(tokens);
    boolean useExact = !exact.isEmpty() && isOneSelect(tokens) && !namesAny(tokens, exact.values());
    StringBuilder out = new StringBuilder(sql.length() + 64);
    int copied = 0;
    for (int i = 0; i + 3 < tokens.size(); i++) {
      if (!isAttributes(tokens.get(i)) || !tokens.get(i + 1).is("[")
          || tokens.get(i + 2).kind() != Kind.STRING || !tokens.get(i + 3).is("]")
          || i + 4 < tokens.size() && tokens.get(i + 4).is("[")) {
        continue;
      }
      String key = plainLiteral(tokens.get(i + 2).text());
      String cast = key == null ? null : casts.get(key);
      String exactColumn = key == null || !useExact ? null : exact.get(key);
      if (cast == null && exactColumn == null) {
        continue;
      }
      int first = qualifierStart(tokens, i);
      if (first > 0 && tokens.get(first - 1).is(".")) {
        continue; // a struct field or something else ending in .attributes: not the spans column
      }
      int start = tokens.get(first).start();
      int end = tokens.get(i + 3).end();
      out.append(sql, copied, start);
      PromotedAttributes.Column column = useColumns ? PromotedAttributes.of(key) : null;
      if (exactColumn != null) {
        out.append(sql, start, tokens.get(i).start()).append(exactColumn);
      } else if (column != null && column.type().equals(cast)) {
        out.append(sql, start, tokens.get(i).start()).append(column.name());
      } else if (column != null && column.type().equals("DOUBLE") && cast.equals("BIGINT")) {
        // integers kept in a DOUBLE column: exact, and read back as the integers they were
        out.append("CAST(").append(sql, start, tokens.get(i).start()).append(column.name()).append(" AS BIGINT)");
      } else {
        out.append(castWith.apply(sql.substring(start, end), cast));
      }
      copied = end;
      i += 3;
    }
    return copied == 0 ? sql : out.append(sql, copied, sql.length()).toString();
  }

  /**
   * Whether the query names the span tables and not {@code metrics}, whose {@code attributes}
   * column is JSON: a cast there would turn the JSON string {@code "x"} into the text {@code "x"}
   * with its quotes.
   */
  private static boolean readsSpansOnly(List<Token> tokens) {
    boolean spans = false;
    for (Token token : tokens) {
      if (token.kind() == Kind.WORD || token.kind() == Kind.QUOTED) {
        String name = token.kind() == Kind.QUOTED ? token.text().replace("\"", "") : token.text();
        if (name.equalsIgnoreCase("metrics")) {
          return false;
        }
        spans |= name.equalsIgnoreCase("spans") || name.equalsIgnoreCase("span_store")
            || name.equalsIgnoreCase("span_ingest");
      }
    }
    return spans;
  }

  /** Whether a word or quoted name of the query is one of {@code names}, in any case. */
  private static boolean namesAny(List<Token> tokens, java.util.Collection<String> names) {
    java.util.Set<String> lower = new java.util.HashSet<>();
    names.forEach(n -> lower.add(n.toLowerCase(java.util.Locale.ROOT)));
    for (Token token : tokens) {
      if (token.kind() == Kind.WORD || token.kind() == Kind.QUOTED) {
        String name = token.kind() == Kind.QUOTED ? token.text().substring(1, token.text().length() - 1)
            : token.text();
        if (lower.contains(name.toLowerCase(java.util.Locale.ROOT))) {
          return true;
        }
      }
    }
    return false;
  }

  /** One SELECT and no WITH: every attributes lookup reads a span table itself. */
  private static boolean isOneSelect(List<Token> tokens) {
    int selects = 0;
    for (Token token : tokens) {
      if (token.kind() == Kind.WORD) {
        if (token.text().equalsIgnoreCase("with")) {
          return false;
        }
        selects += token.text().equalsIgnoreCase("select") ? 1 : 0;
      }
    }
    return selects == 1;
  }

  private static boolean isAttributes(Token token) {
    return token.kind() == Kind.WORD && token.text().equalsIgnoreCase("attributes")
        || token.kind() == Kind.QUOTED && token.text().equals("\"attributes\"");
  }

  /** The index of the first token of {@code alias.attributes} or {@code schema.table.attributes}. */
  private static int qualifierStart(List<Token> tokens, int i) {
    int first = i;
    while (first >= 2 && tokens.get(first - 1).is(".")
        && (tokens.get(first - 2).kind() == Kind.WORD || tokens.get(first - 2).kind() == Kind.QUOTED)
        && first - i > -4) {
      first -= 2;
    }
    return first;
  }

  /** The value of a {@code '...'} literal; {@code null} for other string forms. */
  private static String plainLiteral(String text) {
    if (text.length() < 2 || text.charAt(0) != '\'') {
      return null;
    }
    return text.substring(1, text.length() - 1).replace("''", "'");
  }
}
