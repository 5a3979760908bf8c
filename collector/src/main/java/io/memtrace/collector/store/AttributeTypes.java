package io.memtrace.collector.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Which OTLP value types each span attribute key has been seen with, kept in the table
 * {@code attribute_types (key, type)} next to the spans.
 *
 * <p>It exists because of how DuckDB 2.0 treats {@code VARIANT}: {@code attributes['k']} keeps
 * the value's own type row by row, but {@code AVG} and {@code SUM} over it bind to an integer
 * overload (the average of 1.245 and 2.5 comes out as 1.5), and an integer 15 sorts below a double
 * 2.5. With the key's type known, a query can read {@code attributes['k']} as a plain
 * {@code DOUBLE}, {@code BIGINT}, {@code VARCHAR} or {@code BOOLEAN} column instead
 * ({@link #castTypes}). The writer records a key's type before the rows that carry it, so the
 * table never lacks a type that a committed row has.
 */
public final class AttributeTypes {

  static final String DDL = "CREATE TABLE IF NOT EXISTS attribute_types (key VARCHAR NOT NULL, type VARCHAR NOT NULL)";

  /** The types recorded: one per OTLP value kind, bytes arriving as base64 strings. */
  static final String STRING = "string";
  static final String BOOL = "bool";
  static final String INT = "int";
  static final String DOUBLE = "double";
  /** Arrays and key-value lists: left as {@code VARIANT}. */
  static final String OTHER = "other";

  /**
   * Fills the table from the stored spans when it is empty but spans exist (a store written before
   * the table existed), from the JSON text of each row's attributes.
   */
  static void backfill(Connection connection) throws SQLException {
    try (Statement s = connection.createStatement()) {
      try (ResultSet r = s.executeQuery("SELECT (SELECT count(*) FROM attribute_types) = 0 "
          + "AND EXISTS (SELECT 1 FROM spans)")) {
        r.next();
        if (!r.getBoolean(1)) {
          return;
        }
      }
      s.execute("INSERT INTO attribute_types SELECT DISTINCT k, CASE json_type(j, '$.\"' || k || '\"') "
          + "WHEN 'VARCHAR' THEN '" + STRING + "' WHEN 'BOOLEAN' THEN '" + BOOL + "' "
          + "WHEN 'BIGINT' THEN '" + INT + "' WHEN 'UBIGINT' THEN '" + INT + "' "
          + "WHEN 'DOUBLE' THEN '" + DOUBLE + "' ELSE '" + OTHER + "' END "
          + "FROM (SELECT attributes::JSON AS j, unnest(json_keys(attributes::JSON)) AS k FROM spans)");
    }
  }

  /** The type recorded for one attribute value, as the ingest maps OTLP values to Java. */
  static String typeOf(Object value) {
    if (value instanceof String) {
      return STRING;
    } else if (value instanceof Boolean) {
      return BOOL;
    } else if (value instanceof Long || value instanceof Integer) {
      return INT;
    } else if (value instanceof Double) {
      return DOUBLE;
    }
    return OTHER;
  }

  /**
   * For each key with one scalar type (or only integers and doubles), the SQL type to read it as:
   * {@code DOUBLE}, {@code BIGINT}, {@code VARCHAR} or {@code BOOLEAN}. Keys with mixed or nested
   * values are absent. A store without the table (read-only, from an older version) gives an empty
   * map.
   */
  public static Map<String, String> castTypes(Connection connection) {
    Map<String, Set<String>> seen = new HashMap<>();
    try (Statement s = connection.createStatement();
         ResultSet r = s.executeQuery("SELECT DISTINCT key, type FROM attribute_types")) {
      while (r.next()) {
        seen.computeIfAbsent(r.getString(1), k -> new HashSet<>()).add(r.getString(2));
      }
    } catch (SQLException e) {
      return Map.of();
    }
    Map<String, String> casts = new HashMap<>();
    seen.forEach((key, types) -> {
      String cast = castFor(types);
      if (cast != null) {
        casts.put(key, cast);
      }
    });
    return casts;
  }

  static String castFor(Set<String> types) {
    if (types.equals(Set.of(DOUBLE)) || types.equals(Set.of(INT, DOUBLE))) {
      return "DOUBLE";
    } else if (types.equals(Set.of(INT))) {
      return "BIGINT";
    } else if (types.equals(Set.of(STRING))) {
      return "VARCHAR";
    } else if (types.equals(Set.of(BOOL))) {
      return "BOOLEAN";
    }
    return null;
  }

  /**
   * The writer's view: the pairs already in the table, and the new ones to add before a flush.
   * Keyed by attribute key, then type, as a request's distinct pairs come ({@link PreparedSpans#types},
   * gathered on the request's thread): the writer checks a handful a request, not every attribute.
   */
  static final class Recorder {
    private final Map<String, Set<String>> known = new HashMap<>();

    Recorder(Connection connection) throws SQLException {
      try (Statement s = connection.createStatement();
           ResultSet r = s.executeQuery("SELECT DISTINCT key, type FROM attribute_types")) {
        while (r.next()) {
          add(known, r.getString(1), r.getString(2));
        }
      }
    }

    /** Records the key types of {@code seen} (key to types, as {@link PreparedSpans#types}) that the table lacks; commits them. */
    void record(Connection connection, Map<String, Set<String>> seen) throws SQLException {
      Map<String, Set<String>> fresh = null;
      for (Map.Entry<String, Set<String>> e : seen.entrySet()) {
        Set<String> types = known.get(e.getKey());
        for (String type : e.getValue()) {
          if (types == null || !types.contains(type)) {
            if (fresh == null) {
              fresh = new HashMap<>();
            }
            add(fresh, e.getKey(), type);
          }
        }
      }
      if (fresh == null) {
        return;
      }
      try (PreparedStatement insert = connection.prepareStatement("INSERT INTO attribute_types VALUES (?, ?)")) {
        for (Map.Entry<String, Set<String>> e : fresh.entrySet()) {
          for (String type : e.getValue()) {
            insert.setString(1, e.getKey());
            insert.setString(2, type);
            insert.addBatch();
          }
        }
        insert.executeBatch();
      }
      fresh.forEach((key, types) -> types.forEach(type -> add(known, key, type)));
    }

    private static void add(Map<String, Set<String>> types, String key, String type) {
      types.computeIfAbsent(key, k -> new HashSet<>(4)).add(type);
    }
  }

  private AttributeTypes() {
  }
}
