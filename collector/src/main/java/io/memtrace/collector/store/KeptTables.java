package io.memtrace.collector.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;

/**
 * What the tables derived from {@code span_store} and kept beside it share ({@code key_event_store},
 * {@code key_total_store}): each set is built under rules, named by a fingerprint stored in a table of its own, and
 * built again from {@code span_store} when this collector's rules differ.
 */
public final class KeptTables {

  private KeptTables() {
  }

  /** A short fingerprint of the rules: the first 16 bytes of their SHA-256, in hex. */
  public static String fingerprint(String rules) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(rules.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The fingerprint the tables were built under, from {@code rulesTable}; null when that or any of {@code tables}
   * is missing (an older collector wrote the store, or a build did not finish).
   */
  public static String builtUnder(Connection connection, String rulesTable, String... tables) throws SQLException {
    StringBuilder names = new StringBuilder("'").append(rulesTable).append('\'');
    for (String table : tables) {
      names.append(", '").append(table).append('\'');
    }
    try (Statement s = connection.createStatement();
         ResultSet r = s.executeQuery("SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'main' AND table_name IN ("
             + names + ")")) {
      r.next();
      if (r.getLong(1) < tables.length + 1) {
        return null;
      }
    }
    try (Statement s = connection.createStatement();
         ResultSet r = s.executeQuery("SELECT max(fingerprint) FROM " + rulesTable)) {
      return r.next() ? r.getString(1) : null;
    }
  }

  /** The rows of a table or relation. */
  public static long count(Connection connection, String relation) throws SQLException {
    try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM " + relation)) {
      r.next();
      return r.getLong(1);
    }
  }
}
