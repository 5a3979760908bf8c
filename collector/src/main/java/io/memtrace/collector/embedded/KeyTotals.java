package io.memtrace.collector.embedded;

import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.reader.Layer;
import io.memtrace.collector.store.KeptTables;
import io.memtrace.collector.store.MemoryConventions;
import io.memtrace.collector.store.PromotedAttributes;
import io.memtrace.collector.store.Schema;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The report's per-key totals, kept beside {@code span_store}: {@code key_total_store}, one row per layer
 * ({@code memory} or {@code redis}), key and namespace, with its accesses, reads, writes and deletes, whether a TTL
 * was seen, the largest value written, the last access, the first write, the bytes written and the writes whose TTL
 * another instrumentation's statement left out. The store finds it through {@code META-INF/services}, and its
 * {@code Compactor} adds the totals of the spans it moves in the transaction that moves them, from the same rows,
 * so the table always totals {@code span_store} exactly; the view {@code key_totals} adds the totals of the short
 * {@code span_ingest} tail on the fly, joined to the table's rows rather than grouped again with them (which took
 * 0.4 s over the 2.4M keys of the Redis layer at 10M spans, where the join costs a scan).
 *
 * <p>Why: the report's hot keys, key lists and namespace growth grouped every access of the layer by key at each
 * run, 0.5 s for the memory layer and 3.6 s for the Redis layer at 10M spans. Over the totals they read one row per
 * key. A report limited to a time ({@code --since}) still reads the spans.
 *
 * <p>Like {@code key_event_store}, the rows follow this collector's rules (which operations read, write and delete,
 * and the memory conventions): {@link #fingerprint} names them, and a store whose table was built under other
 * rules, or has none, has it built again when opened for writing; read-only, such a store is answered from the
 * spans ({@link #prepareForReading}).
 */
public final class KeyTotals implements KeptTables {

  static final String TABLE = "key_total_store";
  static final String VIEW = "key_totals";
  private static final String RULES = "key_total_rules";

  static final String COLUMNS = "layer, key, namespace, accesses, reads, writes, deletes, has_ttl, largest_write, "
      + "last_seen, first_write, bytes_written, ttl_unknown_writes";

  private static final String DDL = "CREATE TABLE IF NOT EXISTS " + TABLE + " (layer VARCHAR NOT NULL, "
      + "key VARCHAR NOT NULL, namespace VARCHAR NOT NULL, accesses BIGINT, reads BIGINT, writes BIGINT, deletes BIGINT, "
      + "has_ttl BOOLEAN, largest_write BIGINT, last_seen TIMESTAMP, first_write TIMESTAMP, bytes_written BIGINT, "
      + "ttl_unknown_writes BIGINT)";

  /** The totals of {@code keyed} rows ({@link KeySql#accessCtes}) grouped by key and namespace. */
  static final String TOTALS = "count(*) AS accesses, count(*) FILTER (WHERE kind = 'read') AS reads, "
      + "count(*) FILTER (WHERE kind = 'write') AS writes, count(*) FILTER (WHERE kind = 'delete') AS deletes, "
      + "coalesce(bool_or(ttl > 0), false) AS has_ttl, max(size) FILTER (WHERE kind = 'write') AS largest_write, "
      + "max(start_time) AS last_seen, min(start_time) FILTER (WHERE kind = 'write') AS first_write, "
      + "sum(size) FILTER (WHERE kind = 'write')::BIGINT AS bytes_written, "
      // writes whose TTL the statement of another instrumentation left out: such a key is not known to have none
      + "count(*) FILTER (WHERE kind = 'write' AND ttl_unknown) AS ttl_unknown_writes";

  /** The totals' measures, and each as the sum of two rows' ({@code a} and {@code b}, either of which may be NULL). */
  private static final String[][] MEASURES = {
      {"accesses", "coalesce(a.accesses, 0) + coalesce(b.accesses, 0)"},
      {"reads", "coalesce(a.reads, 0) + coalesce(b.reads, 0)"},
      {"writes", "coalesce(a.writes, 0) + coalesce(b.writes, 0)"},
      {"deletes", "coalesce(a.deletes, 0) + coalesce(b.deletes, 0)"},
      {"has_ttl", "coalesce(a.has_ttl, false) OR coalesce(b.has_ttl, false)"},
      {"largest_write", "coalesce(greatest(a.largest_write, b.largest_write), a.largest_write, b.largest_write)"},
      {"last_seen", "coalesce(greatest(a.last_seen, b.last_seen), a.last_seen, b.last_seen)"},
      {"first_write", "coalesce(least(a.first_write, b.first_write), a.first_write, b.first_write)"},
      {"bytes_written", "CASE WHEN a.bytes_written IS NULL THEN b.bytes_written WHEN b.bytes_written IS NULL "
          + "THEN a.bytes_written ELSE a.bytes_written + b.bytes_written END"},
      {"ttl_unknown_writes", "coalesce(a.ttl_unknown_writes, 0) + coalesce(b.ttl_unknown_writes, 0)"}};

  private static final String SAME = "a.layer = b.layer AND a.key = b.key AND a.namespace = b.namespace";

  /** For {@link java.util.ServiceLoader}: the store's one instance. */
  public KeyTotals() {
  }

  /**
   * The totals of {@code rows} (spans with the typed columns: a relation over {@code span_ingest} or
   * {@code span_store}), one row per layer, key and namespace, in the table's columns.
   */
  static String of(String rows) {
    return "(" + of(Layer.MEMORY, MemoryConventions.memorySpansSql(rows, true) + " AS spans") + ") UNION ALL ("
        + of(Layer.REDIS, rows) + ")";
  }

  private static String of(Layer layer, String from) {
    return KeySql.accessCtes(layer, from, "") + " SELECT '" + layer.viewName() + "' AS layer, key, namespace, " + TOTALS
        + " FROM keyed GROUP BY key, namespace";
  }

  /**
   * Creates the table, or builds it again from {@code span_store} when it was built under other rules or not at all,
   * then the views. Run when the store is opened for writing.
   */
  @Override
  public void prepareForWriting(Connection connection) throws SQLException {
    String built = builtUnder(connection);
    if (!fingerprint().equals(built)) {
      build(connection, built);
    }
    try (Statement s = connection.createStatement()) {
      createView(s, "");
    }
  }

  private static void build(Connection connection, String built) throws SQLException {
    KeptTables.rebuildFromStore(connection, RULES, fingerprint(), built, TABLE, DDL,
        "INSERT INTO " + TABLE + " SELECT " + COLUMNS + " FROM (" + of(KeptTables.STORED) + ")",
        "totalling the keys of %d stored spans for the report", "totalled", "keys totalled");
  }

  /**
   * Gives a connection to a store opened read-only this collector's views, for this connection only: over the table
   * when the store has it as this collector builds it, else totalled from the spans (with the typed columns as
   * {@link PromotedAttributes#spansWithColumns} gives them).
   */
  @Override
  public void prepareForReading(Connection connection) throws SQLException {
    String spans = PromotedAttributes.spansWithColumns(connection);
    boolean table = spans.equals("spans") && fingerprint().equals(builtUnder(connection));
    try (Statement s = connection.createStatement()) {
      if (table && KeptTables.count(connection, Schema.TAIL) == 0) {
        // read-only, no writer can add to the tail while this connection is open: without one, the table alone (its
        // join to the tail's totals cost 60 ms at 10M spans even with no tail)
        s.execute("CREATE OR REPLACE TEMPORARY VIEW " + VIEW + " AS SELECT " + COLUMNS + " FROM " + TABLE);
      } else if (table) {
        createView(s, "TEMPORARY ");
      } else {
        s.execute("CREATE OR REPLACE TEMPORARY VIEW " + VIEW + " AS SELECT " + COLUMNS + " FROM (" + of(spans) + ")");
      }
    }
  }

  private static void createView(Statement s, String temp) throws SQLException {
    s.execute("CREATE OR REPLACE " + temp + "VIEW " + VIEW + " AS " + joined("true"));
  }

  /**
   * The totals of {@code span_store} and the tail together, of the rows where {@code condition} holds (on the layer):
   * the table's rows joined to the tail's, each key and namespace once.
   */
  static String joined(String condition) {
    StringBuilder sql = new StringBuilder("SELECT coalesce(a.layer, b.layer) AS layer, coalesce(a.key, b.key) AS key, "
        + "coalesce(a.namespace, b.namespace) AS namespace");
    for (String[] measure : MEASURES) {
      sql.append(", ").append(measure[1]).append(" AS ").append(measure[0]);
    }
    return sql.append(" FROM (SELECT * FROM ").append(TABLE).append(" WHERE ").append(condition).append(") AS a FULL JOIN ")
        .append("(SELECT * FROM (").append(of(Schema.TAIL)).append(") WHERE ").append(condition).append(") AS b ON ")
        .append(SAME).toString();
  }

  /**
   * Adds the totals of {@code rows} (the spans a move takes from {@code span_ingest}) to the table: the keys it has
   * are updated, the others inserted, in one {@code MERGE} (a copy of the move's totals, an update joined to it and an
   * insert of the keys not found, joined again, cost 1.5-2.1 us a span of a bulk load). Within the caller's transaction.
   */
  @Override
  public void add(Statement s, String rows) throws SQLException {
    StringBuilder set = new StringBuilder();
    for (String[] measure : MEASURES) {
      set.append(set.length() == 0 ? "" : ", ").append(measure[0]).append(" = ").append(measure[1]);
    }
    s.execute("MERGE INTO " + TABLE + " AS a USING (SELECT " + COLUMNS + " FROM (" + of(rows) + ")) AS b ON " + SAME
        + " WHEN MATCHED THEN UPDATE SET " + set + " WHEN NOT MATCHED THEN INSERT BY NAME");
  }

  /**
   * Whether the report over {@code source} can read the kept totals: its {@code key_totals} reads the table (a
   * temporary view of a store opened read-only shadows the store's own), and not the spans.
   */
  static boolean kept(SqlSource source) {
    return keptView(source) != null;
  }

  /**
   * The SQL of the {@code key_totals} view over {@code source} when it reads the kept table, else null: the table
   * alone ({@link #prepareForReading} on a store with no tail) or joined to the tail.
   */
  static String keptView(SqlSource source) {
    ResultTable view = source.query("SELECT sql FROM duckdb_views() WHERE view_name = '" + VIEW
        + "' ORDER BY temporary DESC LIMIT 1");
    return view.size() == 1 && view.text(0, "sql").contains(TABLE) ? view.text(0, "sql") : null;
  }

  /** Whether a {@link #keptView} is the table alone, with no tail to join. */
  static boolean tableAlone(String view) {
    return view != null && !view.contains(Schema.TAIL);
  }

  /** What the rows depend on: how they are derived (the SQL, which holds the operations' kinds and the conventions). */
  static String fingerprint() {
    return KeptTables.fingerprint(DDL + of("s"));
  }

  private static String builtUnder(Connection connection) throws SQLException {
    return KeptTables.builtUnder(connection, RULES, TABLE);
  }
}
