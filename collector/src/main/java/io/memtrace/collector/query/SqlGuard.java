package io.memtrace.collector.query;

import io.memtrace.collector.CollectorException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The first of three read-only defences for {@code query}: a lexical check that lets through one
 * statement that starts like a read and names no writing keyword or file-reading function. The
 * other two are DuckDB's own: the statement must prepare to a {@code QUERY_RESULT}, and the
 * database runs with external access off and its configuration locked (see {@code Database}).
 */
public final class SqlGuard {

  private static final Set<String> READ_STARTS = Set.of(
      "SELECT", "WITH", "FROM", "VALUES", "TABLE", "DESCRIBE", "SHOW", "SUMMARIZE", "EXPLAIN", "(");

  private static final Set<String> WRITING_KEYWORDS = Set.of(
      "INSERT", "UPDATE", "DELETE", "MERGE", "UPSERT", "CREATE", "DROP", "ALTER", "TRUNCATE", "ATTACH", "DETACH",
      "COPY", "INSTALL", "LOAD", "PRAGMA", "SET", "RESET", "CALL", "CHECKPOINT", "VACUUM", "EXPORT", "IMPORT",
      "USE", "BEGIN", "COMMIT", "ROLLBACK", "ABORT", "PREPARE", "EXECUTE", "DEALLOCATE", "GRANT", "REVOKE",
      "COMMENT", "SECRET");

  private static final Set<String> FILE_FUNCTIONS = Set.of(
      "glob", "sniff_csv", "query", "query_table", "parquet_metadata", "parquet_schema", "parquet_file_metadata",
      "parquet_kv_metadata", "parquet_bloom_probe", "json_execute_serialized_sql", "which_secret", "getenv",
      "load_aws_credentials");

  private SqlGuard() {
  }

  /** Throws a {@link CollectorException} naming what is not allowed. */
  public static void check(String sql) {
    List<SqlTokens.Token> tokens;
    try {
      tokens = SqlTokens.of(sql);
    } catch (IllegalArgumentException e) {
      throw rejected(e.getMessage());
    }
    int end = tokens.size();
    while (end > 0 && tokens.get(end - 1).is(";")) {
      end--;
    }
    if (end == 0) {
      throw rejected("the query is empty");
    }
    for (int i = 0; i < end; i++) {
      if (tokens.get(i).is(";")) {
        throw rejected("only one statement per query");
      }
    }
    SqlTokens.Token first = tokens.get(0);
    if (!READ_STARTS.contains(first.upper())) {
      throw rejected("a query must be a SELECT (or WITH, FROM, VALUES, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN); got "
          + first.text());
    }
    for (int i = 0; i < end; i++) {
      SqlTokens.Token token = tokens.get(i);
      if (token.kind() != SqlTokens.Kind.WORD) {
        continue;
      }
      if (WRITING_KEYWORDS.contains(token.upper())) {
        throw rejected(token.upper() + " is not allowed");
      }
      boolean call = i + 1 < end && tokens.get(i + 1).is("(");
      String name = token.text().toLowerCase(Locale.ROOT);
      if (call && (FILE_FUNCTIONS.contains(name) || name.startsWith("read_") || name.endsWith("_scan"))) {
        throw rejected(name + "() reads files or runs other SQL and is not allowed");
      }
      boolean distinctFrom = i > 0 && tokens.get(i - 1).upper().equals("DISTINCT");
      if ((token.upper().equals("FROM") && !distinctFrom || token.upper().equals("JOIN")) && i + 1 < end
          && tokens.get(i + 1).kind() == SqlTokens.Kind.STRING) {
        throw rejected("reading a file by name (" + token.upper() + " '...') is not allowed");
      }
    }
  }

  static CollectorException rejected(String why) {
    return new CollectorException("query rejected, the span store is read-only here: " + why);
  }
}
