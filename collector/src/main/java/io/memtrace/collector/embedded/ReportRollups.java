package io.memtrace.collector.embedded;

import io.memtrace.collector.Log;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.store.KeptTables;
import io.memtrace.collector.store.PromotedAttributes;
import io.memtrace.collector.store.Schema;
import io.memtrace.collector.store.Transaction;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The report's small rollups ({@link RollupSql}), kept beside {@code span_store} as {@link KeyTotals} keeps the
 * per-key totals: the slowest operations and largest writes of each layer, each layer's counts of operations,
 * errors, hits and misses, the spans per service, the compressed counts per command and namespace, and the trace
 * ids and registers the overview counts traces by ({@link TraceCount}). The
 * {@code Compactor} adds what each move takes from {@code span_ingest} in the move's transaction (found through
 * {@code META-INF/services}), and a view per rollup adds the tail on the fly. Each table holds a few rows per layer,
 * service, or command and namespace, so the report reads them in milliseconds where the sections' own queries read
 * every span of the layer (0.2-0.7 s each at 10M spans).
 *
 * <p>Rules and fingerprint as {@link KeyTotals}: a store whose rollups were built under other rules, or that has none,
 * has them built from {@code span_store} when opened for writing. Opened read-only, such a store gets no views, and
 * the report reads the spans as before ({@link #kept}).
 */
public final class ReportRollups implements KeptTables {

  private static final String RULES = "report_rollup_rules";

  /** For {@link java.util.ServiceLoader}: the store's one instance. */
  public ReportRollups() {
  }

  /** Builds the tables from {@code span_store} when they were built under other rules or not at all; then the views. */
  @Override
  public void prepareForWriting(Connection connection) throws SQLException {
    String built = builtUnder(connection);
    long started = System.nanoTime();
    long spans = fingerprint().equals(built) ? -1 : Transaction.run(connection, () -> fill(connection));
    if (spans > 0) {
      Log.warn("the report's rollups of " + spans + " stored spans built in " + (System.nanoTime() - started) / 1_000_000
          + " ms (" + KeptTables.rebuildReason(built, "built") + "; once)");
    }
    try (Statement s = connection.createStatement()) {
      createViews(s, "", true);
    }
  }

  /** The tables made again and filled from {@code span_store}, within the caller's transaction; its spans. */
  private static long fill(Connection connection) throws SQLException {
    long spans = KeptTables.count(connection, KeptTables.STORED);
    try (Statement s = connection.createStatement()) {
      s.execute("DROP TABLE IF EXISTS " + RULES);
      for (RollupSql.Rollup rollup : RollupSql.ALL) {
        s.execute("DROP TABLE IF EXISTS " + rollup.table());
        s.execute("CREATE TABLE " + rollup.table() + " (" + rollup.columns() + ")");
        if (spans > 0) { // a new store has nothing to roll up, and planning the merges costs its start
          // merged: a rollup's rows of many spans may be more than it keeps (the trace ids past the exact ones)
          s.execute("INSERT INTO " + rollup.table() + " " + rollup.merge("(" + rollup.of(KeptTables.STORED) + ")"));
        }
      }
      // the fingerprint in the transaction that fills the tables: a crash leaves none that looks current
      s.execute("CREATE TABLE " + RULES + " (fingerprint VARCHAR)");
      s.execute("INSERT INTO " + RULES + " VALUES ('" + fingerprint() + "')");
    }
    return spans;
  }

  /**
   * A connection to a store opened read-only gets the views, for this connection only: over the tables when the store
   * has them as this collector builds them, else over the spans (which shadow a writer's views of tables built under
   * other rules; the report then reads the spans, {@link #kept}).
   */
  @Override
  public void prepareForReading(Connection connection) throws SQLException {
    String spans = PromotedAttributes.spansWithColumns(connection);
    boolean tables = spans.equals("spans") && fingerprint().equals(builtUnder(connection));
    try (Statement s = connection.createStatement()) {
      if (tables) {
        // read-only, no writer can add to the tail while this connection is open: without one, the tables alone
        createViews(s, "TEMPORARY ", KeptTables.count(connection, Schema.TAIL) > 0);
      } else {
        for (RollupSql.Rollup rollup : RollupSql.ALL) {
          s.execute("CREATE OR REPLACE TEMPORARY VIEW " + rollup.view() + " AS " + rollup.merge("(" + rollup.of(spans) + ")"));
        }
      }
    }
  }

  /** @param tail whether the views add the {@code span_ingest} tail to the tables */
  private static void createViews(Statement s, String temp, boolean tail) throws SQLException {
    for (RollupSql.Rollup rollup : RollupSql.ALL) {
      s.execute("CREATE OR REPLACE " + temp + "VIEW " + rollup.view() + " AS "
          + (tail ? rollup.merge(union(rollup, Schema.TAIL)) : "SELECT * FROM " + rollup.table()));
    }
  }

  /**
   * Adds what the spans of a move give each rollup: its rows and the table's, combined, replace the table's (a few
   * rows each). Each rollup reads the move's relation itself: copying its columns into a narrow temporary table first
   * cost more than the rollups' own scans (1.14 against 1.46-1.63 us a span of a bulk load, 1.30 against 1.55 of a
   * move from span_ingest: {@code store.KeptTablesCost}, the two builds in turn, 2026-12-01).
   */
  @Override
  public void add(Statement s, String rows) throws SQLException {
    for (RollupSql.Rollup rollup : RollupSql.ALL) {
      if (rollup == RollupSql.TRACE_IDS && pastExact(s)) {
        continue; // the table holds only the mark that there were more, which any merge keeps
      }
      s.execute("CREATE OR REPLACE TEMPORARY TABLE report_rollup_merged AS " + rollup.merge(union(rollup, rows)));
      s.execute("DELETE FROM " + rollup.table());
      s.execute("INSERT INTO " + rollup.table() + " BY NAME SELECT * FROM report_rollup_merged");
    }
    s.execute("DROP TABLE report_rollup_merged");
  }

  /** Whether the trace ids kept are past {@link TraceCount#EXACT}: then the table holds only the NULL that says so. */
  private static boolean pastExact(Statement s) throws SQLException {
    try (ResultSet r = s.executeQuery("SELECT count(*) FROM " + RollupSql.TRACE_IDS.table() + " WHERE trace_id IS NULL")) {
      return r.next() && r.getLong(1) > 0;
    }
  }

  /** The table's rows and those {@code rows} give, as one relation. */
  private static String union(RollupSql.Rollup rollup, String rows) {
    return "((SELECT * FROM " + rollup.table() + ") UNION ALL BY NAME (SELECT * FROM (" + rollup.of(rows) + ")))";
  }

  /**
   * Whether the report over {@code source} can read the rollups: their views exist and read the tables (a temporary
   * view of a store opened read-only shadows the store's own; the views are made together, so one is asked). A server
   * of an older collector has none; then, as over views of the spans, the sections read the spans.
   */
  static boolean kept(SqlSource source) {
    ResultTable view = source.query("SELECT sql FROM duckdb_views() WHERE view_name = '" + RollupSql.LAYER_COUNTS.view()
        + "' ORDER BY temporary DESC LIMIT 1");
    return view.size() == 1 && view.text(0, "sql").contains(RollupSql.LAYER_COUNTS.table());
  }

  static String fingerprint() {
    StringBuilder rules = new StringBuilder();
    for (RollupSql.Rollup rollup : RollupSql.ALL) {
      rules.append(rollup.columns()).append(rollup.of("s")).append(rollup.merge("s"));
    }
    return KeptTables.fingerprint(rules.toString());
  }

  private static String builtUnder(Connection connection) throws SQLException {
    String[] tables = RollupSql.ALL.stream().map(RollupSql.Rollup::table).toArray(String[]::new);
    return KeptTables.builtUnder(connection, RULES, tables);
  }
}
