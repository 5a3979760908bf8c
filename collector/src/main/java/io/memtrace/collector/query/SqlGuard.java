package io.memtrace.collector.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memtrace.collector.CollectorException;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import io.memtrace.collector.store.KeyValueTable;
import java.util.Locale;

/**
 * Decides whether a statement only reads, from DuckDB's own parse tree
 * ({@code json_serialize_sql}) rather than from words: quoting a name, joining with a comma or
 * hiding SQL in a string cannot change what the parser sees. A statement passes when it is one
 * read (SELECT and what DuckDB turns into one: FROM, WITH, VALUES, TABLE, PIVOT, UNPIVOT,
 * DESCRIBE, SHOW, SUMMARIZE, optionally under EXPLAIN), holds no writing query node (DuckDB 2
 * parses {@code WITH d AS (DELETE ... RETURNING *)}), and calls only table functions of
 * {@link SqlFunctions#TABLE} and no scalar function that {@link SqlFunctions} refuses. The
 * statement then runs in a read-only transaction that is rolled back (see {@link QueryRunner}).
 */
public final class SqlGuard {

  private static final ObjectMapper JSON = new ObjectMapper();

  private SqlGuard() {
  }

  /** Throws a {@link CollectorException} naming what is not allowed, or DuckDB's syntax error. */
  public static void check(Connection connection, String sql) {
    check(connection, sql, false);
  }

  /**
   * As {@link #check(Connection, String)}; {@code values}: whether the statement may read the captured values
   * ({@code key_value}), which a query reads only when asked ({@code query --include-values}, {@code ?values=true}).
   */
  public static void check(Connection connection, String sql, boolean values) {
    String statement = withoutExplain(sql);
    JsonNode parsed = parse(connection, statement);
    if (parsed.path("error").asBoolean() && isOnlySelectError(parsed) && DynamicPivot.is(statement)) {
      // a PIVOT without IN lists is not one SELECT until run; check it with placeholder lists
      parsed = parse(connection, DynamicPivot.withPlaceholderLists(statement));
    }
    if (parsed.path("error").asBoolean()) {
      if (isOnlySelectError(parsed)) {
        throw rejected("only reading statements are allowed (SELECT, FROM, WITH, VALUES, TABLE, PIVOT, UNPIVOT, "
            + "DESCRIBE, SHOW, SUMMARIZE, EXPLAIN)");
      }
      throw new CollectorException("query failed: " + parsed.path("error_message").asText("DuckDB could not parse it"));
    }
    JsonNode statements = parsed.path("statements");
    if (statements.isEmpty()) {
      throw rejected("the query is empty");
    }
    if (statements.size() > 1) {
      throw rejected("only one statement per query");
    }
    SqlFunctions functions = SqlFunctions.of(connection);
    walk(statements.get(0), functions, false);
    if (!values) {
      refuseValues(statements.get(0));
    }
  }

  /**
   * Refuses any mention of the captured values' table: a table reference, a {@code DESCRIBE} or {@code SUMMARIZE}
   * of it, or a table function given its name (whose storage statistics hold values' prefixes).
   */
  private static void refuseValues(JsonNode node) {
    if (node.isArray()) {
      node.forEach(SqlGuard::refuseValues);
      return;
    }
    if (!node.isObject()) {
      return;
    }
    boolean named = KeyValueTable.NAME.equalsIgnoreCase(node.path("table_name").asText(""));
    boolean inFunction = node.path("type").asText("").equals("TABLE_FUNCTION")
        && node.toString().toLowerCase(Locale.ROOT).contains(KeyValueTable.NAME);
    if (named || inFunction) {
      throw new CollectorException("query rejected: " + KeyValueTable.NAME + " holds the captured values, which a "
          + "query reads only when asked: run query --include-values (or POST /api/query?values=true with the API "
          + "token)");
    }
    node.fields().forEachRemaining(field -> refuseValues(field.getValue()));
  }

  private static void walk(JsonNode node, SqlFunctions functions, boolean tableFunction) {
    if (node.isArray()) {
      node.forEach(child -> walk(child, functions, false));
      return;
    }
    if (!node.isObject()) {
      return;
    }
    String type = node.path("type").asText("");
    if (type.endsWith("_NODE") && !type.equals("SELECT_NODE") && !type.equals("SET_OPERATION_NODE")
        && !type.equals("RECURSIVE_CTE_NODE") && !type.equals("CTE_NODE")) {
      throw rejected(type.replace("_QUERY_NODE", "").replace("_NODE", "") + " is not allowed");
    }
    if (node.has("function_name")) {
      String name = node.path("function_name").asText().toLowerCase(Locale.ROOT);
      String refusal = tableFunction ? functions.refuseTable(name) : functions.refuseScalar(name);
      if (refusal != null) {
        throw rejected(refusal);
      }
    }
    boolean isTableRef = type.equals("TABLE_FUNCTION");
    node.fields().forEachRemaining(field ->
        walk(field.getValue(), functions, isTableRef && field.getKey().equals("function")));
  }

  private static JsonNode parse(Connection connection, String sql) {
    try (PreparedStatement statement = connection.prepareStatement("SELECT json_serialize_sql(?::VARCHAR)")) {
      statement.setString(1, sql);
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        return JSON.readTree(rs.getString(1));
      }
    } catch (SQLException | IOException e) {
      throw new CollectorException("query failed: DuckDB could not parse it: " + e.getMessage(), e);
    }
  }

  private static boolean isOnlySelectError(JsonNode parsed) {
    return parsed.path("error_message").asText().contains("Only SELECT statements");
  }

  /** The statement under {@code EXPLAIN} or {@code EXPLAIN ANALYZE}, which show (and time) a plan. */
  static String withoutExplain(String sql) {
    String rest = sql;
    for (String word : new String[] {"EXPLAIN", "ANALYZE"}) {
      String trimmed = stripComments(rest);
      if (trimmed.length() > word.length() && trimmed.regionMatches(true, 0, word, 0, word.length())
          && Character.isWhitespace(trimmed.charAt(word.length()))) {
        rest = trimmed.substring(word.length());
      } else if (word.equals("EXPLAIN")) {
        return sql;
      }
    }
    return rest;
  }

  private static String stripComments(String sql) {
    String s = sql.stripLeading();
    while (s.startsWith("--") || s.startsWith("/*")) {
      int end = s.startsWith("--") ? s.indexOf('\n') : s.indexOf("*/");
      s = end < 0 ? "" : s.substring(end + (s.startsWith("--") ? 1 : 2)).stripLeading();
    }
    return s;
  }

  static CollectorException rejected(String why) {
    return new CollectorException("query rejected, the span store is read-only here: " + why);
  }
}
