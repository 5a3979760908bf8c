package io.memtrace.collector.store;

import io.memtrace.collector.Log;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;

/**
 * Tables a layer above the store derives from {@code span_store} and keeps beside it (lineage's key events, the
 * report's per-key totals), with the views that add the {@code span_ingest} tail to them. The store keeps them
 * current without knowing what they hold: it calls each {@link #installed} set when it opens and in every move of
 * the compaction, so that they always derive from exactly the spans {@code span_store} holds.
 *
 * <p>Each set is built under rules, named by a fingerprint stored in a table of its own ({@link #fingerprint},
 * {@link #builtUnder}), and built again from {@code span_store} when this collector's rules differ.
 */
public interface KeptTables {

  /**
   * The spans the store holds, as a relation with the typed columns: {@code span_store} and the compact key events kept
   * beside it ({@link KeyEventRows}), each as the span it stands for. What a set is built again from.
   */
  String STORED = KeyEventRows.stored();

  /**
   * On the writing connection, once the span tables exist: creates the tables, or builds them again from
   * {@code span_store} when they were built under other rules or not at all, and the views over them.
   */
  void prepareForWriting(Connection connection) throws SQLException;

  /**
   * On a connection to a store opened read-only: this collector's views, for that connection only, over the
   * tables when the store has them as this collector builds them, else derived from the spans.
   */
  void prepareForReading(Connection connection) throws SQLException;

  /**
   * Adds what {@code moving} derives: a relation (a {@code FROM} item) of exactly the spans one move takes from
   * {@code span_ingest}, with the typed columns. Within the move's transaction, before the spans are in
   * {@code span_store}, where they could no longer be told from those already there.
   */
  void add(Statement statement, String moving) throws SQLException;

  /**
   * The sets this collector keeps, as {@code META-INF/services} lists them, in that order. Each stands alone:
   * none reads another's tables.
   */
  static List<KeptTables> installed() {
    return ServiceLoader.load(KeptTables.class, KeptTables.class.getClassLoader()).stream()
        .map(ServiceLoader.Provider::get).toList();
  }

  /** A short fingerprint of the rules: the first 16 bytes of their SHA-256, in hex. */
  static String fingerprint(String rules) {
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
  static String builtUnder(Connection connection, String rulesTable, String... tables) throws SQLException {
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

  /**
   * Makes {@code table} again ({@code ddl}), fills it ({@code fill}, an {@code INSERT}; null for none) and records in
   * {@code rulesTable} the {@code fingerprint} it was built under, in one transaction: a crash leaves no table that
   * looks current.
   */
  static void rebuild(Connection connection, String rulesTable, String fingerprint, String table, String ddl,
      String fill) throws SQLException {
    Transaction.run(connection, () -> {
      try (Statement s = connection.createStatement()) {
        s.execute("DROP TABLE IF EXISTS " + rulesTable);
        s.execute("DROP TABLE IF EXISTS " + table);
        s.execute(ddl);
        if (fill != null) {
          s.execute(fill);
        }
        s.execute("CREATE TABLE " + rulesTable + " (fingerprint VARCHAR)");
        return s.execute("INSERT INTO " + rulesTable + " VALUES ('" + fingerprint + "')");
      }
    });
  }

  /**
   * {@link #rebuild} with {@code fill} (from {@link #STORED}) when the store holds spans, said in two lines
   * then, as the first open after an upgrade may take a while: {@code doing} (a format of the spans' count) with
   * {@link #rebuildReason} before, {@code done} with the milliseconds it took after.
   */
  static void rebuildFromStore(Connection connection, String rulesTable, String fingerprint, String built,
      String table, String ddl, String fill, String doing, String doneUnder, String done) throws SQLException {
    long spans = count(connection, STORED);
    if (spans > 0) {
      Log.warn(String.format(Locale.ROOT, doing, spans) + " (" + rebuildReason(built, doneUnder) + "; once)");
    }
    long started = System.nanoTime();
    rebuild(connection, rulesTable, fingerprint, table, ddl, spans == 0 ? null : fill);
    if (spans > 0) {
      Log.warn(done + " in " + (System.nanoTime() - started) / 1_000_000 + " ms");
    }
  }

  /** Why a set is built again, for the line that says so: {@code built} is {@link #builtUnder}'s answer. */
  static String rebuildReason(String built, String doneUnder) {
    return built == null ? "a store from an older collector" : "this collector's rules differ from those they were "
        + doneUnder + " under";
  }

  /** The rows of a table or relation. */
  static long count(Connection connection, String relation) throws SQLException {
    try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM " + relation)) {
      r.next();
      return r.getLong(1);
    }
  }
}
