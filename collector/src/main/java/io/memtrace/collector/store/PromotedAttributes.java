package io.memtrace.collector.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The span attributes the analyses read, kept beside {@code attributes} as typed columns of the
 * span tables and of the {@code spans} view ({@code memory.key} as {@code memory_key}, and so on).
 *
 * <p>Why: DuckDB reads one field of a {@code VARIANT} column cheaply only when the scan can push
 * the field down, which it does for a table but not through the {@code UNION ALL} of the
 * {@code spans} view; there every {@code attributes['k']} rebuilt the whole attribute set of every
 * row. The third example query took 1.5 s over 1M spans that way and 30 ms over these columns, and
 * the report's key analytics 10-20 s each. The writer fills the columns from the attributes it
 * has already parsed, which costs next to nothing, and the compactor copies them.
 *
 * <p>A column holds the attribute as {@code TRY_CAST(attributes['k'] AS type)} would give it;
 * a query rewritten to read a column instead of {@code attributes['k']}
 * ({@link io.memtrace.collector.query.QueryRunner}) does so only when every value of the key
 * has the column's type, so it sees exactly what {@code attributes['k']} holds.
 */
public final class PromotedAttributes {

  /** One attribute kept as a column: its key, the column's name and SQL type. */
  public record Column(String key, String name, String type) {
  }

  public static final List<Column> COLUMNS = List.of(
      new Column("memory.operation", "memory_operation", "VARCHAR"),
      new Column("memory.namespace", "memory_namespace", "VARCHAR"),
      new Column("memory.key", "memory_key", "VARCHAR"),
      new Column("memory.value_size", "memory_value_size", "BIGINT"),
      new Column("memory.ttl", "memory_ttl", "BIGINT"),
      new Column("memory.found", "memory_found", "BOOLEAN"),
      new Column("memory.operation_duration_ms", "memory_operation_duration_ms", "DOUBLE"),
      new Column("db.system.name", "db_system_name", "VARCHAR"),
      new Column("db.system", "db_system", "VARCHAR"),
      new Column("db.operation.name", "db_operation_name", "VARCHAR"),
      new Column("memtrace.compressed.count", "memtrace_compressed_count", "BIGINT"),
      new Column("memtrace.compressed.duration_ms", "memtrace_compressed_duration_ms", "DOUBLE"),
      // the GenAI memory conventions' operation, namespace, key and count (see MemoryConventions), after the
      // others: inView asks for the last column, which a store upgraded before these were added lacks
      new Column("gen_ai.operation.name", "gen_ai_operation_name", "VARCHAR"),
      new Column("gen_ai.memory.store.id", "gen_ai_memory_store_id", "VARCHAR"),
      new Column("gen_ai.memory.record.id", "gen_ai_memory_record_id", "VARCHAR"),
      new Column("gen_ai.memory.record.count", "gen_ai_memory_record_count", "BIGINT"),
      // a search's hits, and where a Redis span's key lives (same Redis, same database): what the key_events
      // and lineage views read; last again, for the same reason
      new Column("memory.result_count", "memory_result_count", "BIGINT"),
      new Column("server.address", "server_address", "VARCHAR"),
      new Column("server.port", "server_port", "BIGINT"),
      new Column("db.namespace", "db_namespace", "VARCHAR"),
      // where a Redis span's key came from when not from memtrace's agent (StatementKeys), and what its statement
      // hid: what the report counts by source and the key totals read; last again
      new Column("memtrace.derived.from", "memtrace_derived_from", "VARCHAR"),
      new Column("memtrace.unknown", "memtrace_unknown", "VARCHAR"),
      // a written or read value's keyed fingerprint (never the value): what memory health's unchanged rewrites and
      // duplicate values compare; last again
      new Column("memory.value.fingerprint", "memory_value_fingerprint", "VARCHAR"));

  private static final Map<String, Column> BY_KEY = COLUMNS.stream().collect(Collectors.toMap(Column::key, c -> c));
  private static final Map<String, Integer> INDEX = java.util.stream.IntStream.range(0, COLUMNS.size()).boxed()
      .collect(Collectors.toMap(i -> COLUMNS.get(i).key(), i -> i));

  /**
   * Reads an attribute from {@code attributes} as its typed column would hold it, the counts (which have none) as
   * {@code BIGINT}: for the few rows of a trace, where the map costs little, and an old store has no columns.
   */
  public static final Function<String, String> FROM_MAP = key -> {
    Column column = of(key);
    return "TRY_CAST(attributes['" + key + "'] AS " + (column == null ? "BIGINT" : column.type()) + ")";
  };

  /**
   * A span's database fields from {@code attributes}, as the trace tree and provenance read them: {@code is_database}
   * (a {@code db.system.name}, or the older {@code db.system}), {@code redis} ({@code host:port}) and {@code db}.
   */
  public static final String DATABASE_FIELDS_FROM_MAP =
      "(attributes['db.system.name'] IS NOT NULL OR attributes['db.system'] IS NOT NULL) AS is_database, "
      + "CASE WHEN attributes['server.address'] IS NOT NULL THEN attributes['server.address']::VARCHAR || ':' "
      + "|| coalesce(attributes['server.port']::VARCHAR, '') END AS redis, "
      + "TRY_CAST(attributes['db.namespace'] AS INTEGER) AS db";

  private PromotedAttributes() {
  }

  /** The column kept for attribute {@code key}; null when it has none. */
  public static Column of(String key) {
    return BY_KEY.get(key);
  }

  /** The place in {@link #COLUMNS} of the column kept for attribute {@code key}; -1 when it has none. */
  static int indexOf(String key) {
    Integer i = INDEX.get(key);
    return i == null ? -1 : i;
  }

  /** {@code name type, ...} for a table definition. */
  static String definitions() {
    return COLUMNS.stream().map(c -> c.name() + " " + c.type()).collect(Collectors.joining(", "));
  }

  /** The column names, comma separated. */
  static String names() {
    return COLUMNS.stream().map(Column::name).collect(Collectors.joining(", "));
  }

  /**
   * {@code spans} with every column: the view itself when it has them all ({@code present} names its
   * columns), else the view with the missing ones computed from {@code attributes}, as a store an older
   * collector wrote and nothing has opened for writing since needs (slow, but the same rows).
   */
  public static String spansWithColumns(java.util.Set<String> present) {
    List<Column> missing = COLUMNS.stream().filter(c -> !present.contains(c.name())).toList();
    return missing.isEmpty() ? "spans" : "(SELECT *, " + missing.stream()
        .map(c -> "TRY_CAST(attributes['" + c.key() + "'] AS " + c.type() + ") AS " + c.name())
        .collect(Collectors.joining(", ")) + " FROM spans) AS spans";
  }

  /** {@link #spansWithColumns} for the {@code spans} view of this connection's store. */
  public static String spansWithColumns(Connection connection) throws SQLException {
    java.util.Set<String> present = new java.util.HashSet<>();
    try (Statement s = connection.createStatement();
         ResultSet r = s.executeQuery("SELECT column_name FROM duckdb_columns() WHERE table_name = 'spans'")) {
      while (r.next()) {
        present.add(r.getString(1));
      }
    }
    return spansWithColumns(present);
  }

  /**
   * Whether the {@code spans} view of this connection's store has the columns; a store an older
   * collector wrote and nothing has opened for writing since has not.
   */
  public static boolean inView(Connection connection) {
    try (Statement s = connection.createStatement();
         ResultSet r = s.executeQuery("SELECT count(*) FROM duckdb_columns() WHERE schema_name = 'main' "
             + "AND table_name = 'spans' AND column_name = '" + COLUMNS.get(COLUMNS.size() - 1).name() + "'")) {
      return r.next() && r.getLong(1) > 0;
    } catch (SQLException e) {
      return false;
    }
  }

  /**
   * The value the writer appends for {@code column}: what DuckDB's {@code TRY_CAST} of the
   * converted attribute gives, for the values an OTLP attribute can have; null when absent or
   * when the cast would fail.
   */
  static Object value(Column column, Map<String, Object> attributes) {
    Object v = attributes.get(column.key());
    if (v == null || v instanceof List || v instanceof Map) {
      return null;
    }
    switch (column.type()) {
      case "VARCHAR":
        return v instanceof String ? v : v instanceof Double ? null : String.valueOf(v);
      case "BIGINT":
        if (v instanceof Long || v instanceof Integer) {
          return ((Number) v).longValue();
        }
        return v instanceof Double d && !d.isNaN() && !d.isInfinite() && Math.abs(d) < 9.2e18 ? (long) Math.rint(d)
            : v instanceof Boolean b ? (b ? 1L : 0L) : parseLong(v);
      case "DOUBLE":
        return v instanceof Number n ? n.doubleValue() : v instanceof Boolean b ? (b ? 1.0 : 0.0) : parseDouble(v);
      case "BOOLEAN":
        return v instanceof Boolean ? v : v instanceof String s ? parseBoolean(s) : ((Number) v).doubleValue() != 0;
      default:
        throw new IllegalStateException(column.type());
    }
  }

  private static Long parseLong(Object v) {
    try {
      return Long.parseLong(v.toString().trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static Double parseDouble(Object v) {
    try {
      return Double.parseDouble(v.toString().trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static Boolean parseBoolean(String s) {
    String t = s.trim().toLowerCase(java.util.Locale.ROOT);
    return t.equals("true") || t.equals("t") ? Boolean.TRUE : t.equals("false") || t.equals("f") ? Boolean.FALSE : null;
  }
}
