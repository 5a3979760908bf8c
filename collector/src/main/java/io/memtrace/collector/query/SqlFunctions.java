package io.memtrace.collector.query;

import io.memtrace.collector.CollectorException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;

/**
 * Which functions a query may call. Table functions are the risky kind in DuckDB: beside reading
 * tables they checkpoint the database, run SQL given as text ({@code query}), read files,
 * register resources or switch logging on and off; so only those named in {@link #TABLE} may be
 * called. Scalar functions compute values, except the ones DuckDB's own catalog marks
 * {@code VOLATILE}: of those only the harmless ones in {@link #HARMLESS_VOLATILE} may be called
 * ({@code nextval}, {@code setseed}, {@code write_log} change state). A name DuckDB does not know
 * fails when the statement is bound, with DuckDB's message.
 */
final class SqlFunctions {

  /** Table functions that only compute rows or describe the schema. */
  static final Set<String> TABLE = Set.of(
      "range", "generate_series", "unnest", "repeat", "repeat_row", "json_each", "json_tree",
      "duckdb_columns", "duckdb_constraints", "duckdb_databases", "duckdb_dependencies", "duckdb_functions",
      "duckdb_indexes", "duckdb_keywords", "duckdb_schemas", "duckdb_sequences", "duckdb_settings",
      "duckdb_tables", "duckdb_types", "duckdb_views", "pragma_table_info", "table_info", "pragma_version",
      "version", "pragma_database_size", "database_size", "pragma_storage_info", "storage_info", "show", "show_tables",
      "show_tables_expanded", "show_databases", "summary", "histogram", "histogram_values", "icu_calendar_names",
      "pg_timezone_names", "platform", "pragma_platform", "user_agent", "pragma_user_agent");

  /** Volatile scalars that change nothing: random values and facts about the running query. */
  static final Set<String> HARMLESS_VOLATILE = Set.of(
      "random", "gen_random_uuid", "uuid", "uuidv4", "uuidv7", "current_query", "current_query_id",
      "current_connection_id", "current_transaction_id", "error", "stats", "vector_type");

  private static volatile Set<String> volatileScalars;

  private final Set<String> refusedScalars;

  private SqlFunctions(Set<String> refusedScalars) {
    this.refusedScalars = refusedScalars;
  }

  /** The rules for the DuckDB the connection belongs to; its catalog is read once per process. */
  static SqlFunctions of(Connection connection) {
    Set<String> names = volatileScalars;
    if (names == null) {
      names = new HashSet<>();
      try (Statement s = connection.createStatement();
           ResultSet rs = s.executeQuery("SELECT DISTINCT lower(function_name) FROM duckdb_functions() "
               + "WHERE function_type = 'scalar' AND stability = 'VOLATILE'")) {
        while (rs.next()) {
          names.add(rs.getString(1));
        }
      } catch (SQLException e) {
        throw new CollectorException("query failed: cannot read DuckDB's function catalog: " + e.getMessage(), e);
      }
      names.removeAll(HARMLESS_VOLATILE);
      volatileScalars = Set.copyOf(names);
      names = volatileScalars;
    }
    return new SqlFunctions(names);
  }

  /** Why a table function may not be called, or null when it may. */
  String refuseTable(String name) {
    return TABLE.contains(name) ? null
        : name + "() is not one of the table functions a query may call (they may read files, run other SQL or "
            + "change the database); allowed: range, generate_series, unnest, json_each, duckdb_tables and other "
            + "schema listings";
  }

  /** Why a scalar, aggregate or window function may not be called, or null when it may. */
  String refuseScalar(String name) {
    return refusedScalars.contains(name) ? name + "() changes state (DuckDB marks it volatile)" : null;
  }
}
