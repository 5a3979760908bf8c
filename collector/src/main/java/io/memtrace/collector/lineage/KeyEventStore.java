package io.memtrace.collector.lineage;

import io.memtrace.collector.Log;
import io.memtrace.collector.store.KeptTables;
import io.memtrace.collector.store.KeyEventRows;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The key events of the spans in {@code span_store}, kept as a table beside it: {@code key_event_store}, one row
 * per span that touched a key, with its place (memory store or Redis and database, and key) as the two hashes the
 * lineage join partitions on; and {@code compressed_event_store}, one row per {@code memtrace.compressed} count,
 * for the Redis layer's "compressed" answer. The {@code Compactor} fills both in the transaction that moves the
 * spans, from the same rows (a span it does not move, a repeat, adds no event), so the tables always hold the
 * events of {@code span_store} exactly; the views add those of the short {@code span_ingest} tail on the fly.
 *
 * <p>Why: the views derived every event from the wide span rows at each query, hashing every key of 10M spans
 * again, and a trace's lineage had to widen time windows over them. Each event also keeps the write before it
 * ({@link Writers}), so neither a trace's lineage nor the report joins reads to writes.
 *
 * <p>The rows follow this collector's rules (the overlay's command access, the memory conventions, DuckDB's
 * {@code hash}): {@link #fingerprint} names them, and a store whose tables were built under other rules, or
 * has none (an older collector wrote it), has them built again when it is opened for writing, slice by slice,
 * the fingerprint last. Read-only, such a store is answered from {@code spans}, as before ({@link LineageViews#ensure}).
 */
final class KeyEventStore {

  static final String EVENTS = "key_event_store";
  static final String COMPRESSED = "compressed_event_store";
  private static final String RULES = "key_event_rules";
  /** Spans of {@code span_store} per slice when the tables are built again: about a compaction's worth. */
  private static final long REBUILD_SLICE = 500_000;

  /** The columns of {@code key_events} (without {@code expires_at}, which follows from them) and the place. */
  static final String EVENT_COLUMNS = "time, end_time, trace_id, span_id, parent_span_id, service_name, name, layer, "
      + "redis, db, key, namespace, access, operation, found, value_size, ttl, status_code, results, place_a, place_b";

  private static final String EVENTS_DDL = "CREATE TABLE IF NOT EXISTS " + EVENTS + " (time TIMESTAMP, "
      + "end_time TIMESTAMP, trace_id VARCHAR, span_id VARCHAR, parent_span_id VARCHAR, service_name VARCHAR, "
      + "name VARCHAR, layer VARCHAR, redis VARCHAR, db INTEGER, key VARCHAR, namespace VARCHAR, access VARCHAR, "
      + "operation VARCHAR, found BOOLEAN, value_size BIGINT, ttl BIGINT, status_code VARCHAR, results BIGINT, "
      + "place_a UBIGINT, place_b UBIGINT, " + Writers.COLUMNS_DDL + ", key_tail UBIGINT)";

  /**
   * {@code key_tail}: a hash of the key's last run of letters and digits ({@link #keyTail}). A record's timeline asks
   * for every key that is its key or ends with it after a separator, and every such key has the same last run as the
   * key asked: the hash finds their few rows by a scan of one integer column (10–15 ms at 10M spans) where matching the
   * suffix scanned every key's text (120–230 ms).
   */
  static final String KEY_TAIL = "hash(regexp_extract(key, '[A-Za-z0-9]*$'))";

  /** {@link #KEY_TAIL} of a key given as a SQL expression. */
  public static String keyTail(String key) {
    return KEY_TAIL.replace("key", key);
  }

  static final String COMPRESSED_COLUMNS = "start_time, end_time, namespace, command";

  private static final String COMPRESSED_DDL = "CREATE TABLE IF NOT EXISTS " + COMPRESSED + " (start_time TIMESTAMP, "
      + "end_time TIMESTAMP, namespace VARCHAR, command VARCHAR)";

  private KeyEventStore() {
  }

  /**
   * Creates the tables, or builds them again from {@code span_store} when they were built under other rules or
   * not at all. Run when the store is opened for writing, after {@code redis_command_access} is filled.
   */
  static void prepare(Connection connection) throws SQLException {
    String rules = fingerprint(connection);
    String built = builtUnder(connection);
    if (rules.equals(built)) {
      return;
    }
    long compact = KeptTables.count(connection, KeyEventRows.TABLE);
    long spans = KeptTables.count(connection, "span_store") + compact;
    if (spans > 0) {
      Log.warn("building the key events of " + spans + " stored spans for lineage (" + KeptTables.rebuildReason(built, "built")
          + "; once)");
    }
    long started = System.nanoTime();
    boolean auto = connection.getAutoCommit();
    connection.setAutoCommit(false);
    // one transaction per slice: a transaction over all of them held every update in memory and ran out of
    // DuckDB's share of the budget at 10M spans. The fingerprint is written last, so tables left part-built by a
    // crash are not current: read-only opens derive the events from spans, and the next open for writing
    // starts again.
    try (Statement s = connection.createStatement()) {
      s.execute("DROP TABLE IF EXISTS " + RULES);
      s.execute("DROP TABLE IF EXISTS " + EVENTS);
      s.execute("DROP TABLE IF EXISTS " + COMPRESSED);
      s.execute("DROP TABLE IF EXISTS " + Writers.STATE);
      s.execute(EVENTS_DDL);
      s.execute(COMPRESSED_DDL);
      s.execute(Writers.STATE_DDL);
      if (spans > 0) { // a new store: nothing to derive, and planning the statement costs a start about 20 ms
        s.execute(insertCompressed("span_store"));
      }
      connection.commit();
      // in slices of the store's order (its time order, mostly), as the Compactor adds them: each slice's events
      // are answered from the slices before it, so no join ever holds the whole store
      long rows = spans == compact ? 0 : maxRowId(connection, "span_store") + 1;
      long compactRows = compact == 0 ? 0 : maxRowId(connection, KeyEventRows.TABLE) + 1;
      RebuildProgress progress = new RebuildProgress(rows + compactRows, started);
      for (long from = 0; from < rows; from += REBUILD_SLICE) {
        add(s, "(SELECT rowid AS seq, * FROM span_store WHERE rowid >= " + from + " AND rowid < " + (from + REBUILD_SLICE)
            + ") AS slice");
        connection.commit();
        progress.done(Math.min(rows, from + REBUILD_SLICE));
      }
      // then the compact key events (KeyEventRows), named after the spans; a write among them mends the reads
      // before it that it precedes, as a late span does
      for (long from = 0; from < compactRows; from += REBUILD_SLICE) {
        add(s, KeyEventRows.slice(from, from + REBUILD_SLICE, rows));
        connection.commit();
        progress.done(rows + Math.min(compactRows, from + REBUILD_SLICE));
      }
      s.execute("CREATE OR REPLACE TABLE " + RULES + " (fingerprint VARCHAR)");
      s.execute("INSERT INTO " + RULES + " VALUES ('" + rules + "')");
      connection.commit();
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(auto);
    }
    if (spans > 0) {
      Log.warn("key events built in " + (System.nanoTime() - started) / 1_000_000 + " ms");
    }
  }

  /**
   * Whether this connection's store has the tables, built under this collector's rules: then the views read
   * them. A store opened read-only that an older collector wrote has not.
   */
  static boolean current(Connection connection) throws SQLException {
    return fingerprint(connection).equals(builtUnder(connection));
  }

  /**
   * Adds the key events of {@code rows} (spans with the typed columns and {@code seq}, a number naming each row: a
   * relation over {@code span_ingest}, or a slice of {@code span_store} with its row id as {@code seq}), each read
   * with its writer ({@link Writers}), mends the stored reads a late write among them changes, and appends them to
   * {@code key_place_state} ({@link MovedEvents}). Within the caller's transaction.
   */
  static void add(Statement s, String rows) throws SQLException {
    MovedEvents.add(s, LineageViews.keyEvents(rows, "seq"));
  }

  /** Adds the compressed counts of {@code rows}: spans whose {@code events} hold {@code memtrace.compressed} ones. */
  static String insertCompressed(String rows) {
    return "INSERT INTO " + COMPRESSED + " " + CompressedWrites.counts(rows);
  }

  /**
   * What the rows depend on: how they are derived (the SQL, which holds the memory conventions), the command
   * access of the overlay, and DuckDB's version, whose {@code hash} makes the place columns.
   */
  static String fingerprint(Connection connection) throws SQLException {
    String rules = EVENTS_DDL + COMPRESSED_DDL + Writers.STATE_DDL + LineageViews.keyEvents("s") + insertCompressed("s")
        + Writers.answer("n", "true", "") + String.join(";", MovedEvents.statements(LineageViews.keyEvents("s", "seq")))
        + LineageViews.accessRows()
        + connection.getMetaData().getDatabaseProductVersion();
    return KeptTables.fingerprint(rules);
  }

  private static String builtUnder(Connection connection) throws SQLException {
    return KeptTables.builtUnder(connection, RULES, EVENTS, COMPRESSED, Writers.STATE);
  }

  private static long maxRowId(Connection connection, String table) throws SQLException {
    try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery("SELECT max(rowid) FROM " + table)) {
      r.next();
      return r.getLong(1);
    }
  }
}
