package io.memtrace.collector.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The tables behind the {@code spans} view.
 *
 * <p>Spans arrive in {@code span_ingest}, whose attributes are OTLP-typed JSON text: the
 * DuckDB appender cannot write {@code VARIANT}, and converting JSON to {@code VARIANT} costs more
 * than everything else on the ingest path. So a request is acknowledged once its rows are
 * committed there, and the {@link Compactor} moves them in large batches to {@code span_store},
 * whose {@code attributes} column is {@code VARIANT}: {@code attributes['k']} returns the scalar,
 * numbers order numerically and {@code AVG} works. (A {@code MAP(VARCHAR, VARIANT)} column gives
 * the same SQL but is about ten times slower to scan at a million spans.) The {@code spans} view
 * unions both, converting the small not-yet-compacted tail on the fly, so every acknowledged span
 * is visible at once.
 *
 * <p>Both tables and the view also hold the {@link PromotedAttributes} as typed columns, which the
 * analyses read instead of {@code attributes}; {@link StoreUpgrade} adds them to a store written
 * before they existed.
 *
 * <p>{@code links} is each span's OTLP links as a JSON array (see {@link SpanRow#linksJson}), null for a span
 * without any. A column added to an older store comes last, wherever a new store has it: the compactor inserts
 * by name, and {@link StoreUpgrade} puts {@code span_ingest}'s columns in the appender's order.
 */
public final class Schema {

  static final String SPAN_COLUMNS = "trace_id, span_id, parent_span_id, trace_state, name, kind, start_time, "
      + "end_time, duration_ms, status_code, status_message, service_name, scope_name, attributes, events, "
      + "resource_attributes, received_at, " + PromotedAttributes.names() + ", links";

  /** How a {@code span_ingest} row becomes a {@code span_store} row. */
  static final String CONVERTED_COLUMNS = "trace_id, span_id, parent_span_id, trace_state, name, kind, start_time, "
      + "end_time, duration_ms, status_code, status_message, service_name, scope_name, "
      + "attributes::JSON::VARIANT AS attributes, events::JSON AS events, "
      + "resource_attributes::JSON AS resource_attributes, received_at, " + PromotedAttributes.names()
      + ", links::JSON AS links";

  private static final String SPAN_FIELDS = "trace_id VARCHAR NOT NULL, span_id VARCHAR NOT NULL, "
      + "parent_span_id VARCHAR, trace_state VARCHAR, name VARCHAR NOT NULL, kind VARCHAR, "
      + "start_time TIMESTAMP, end_time TIMESTAMP, duration_ms DOUBLE, status_code VARCHAR, "
      + "status_message VARCHAR, service_name VARCHAR, scope_name VARCHAR, ";

  private static final String[] DDL = {
      "CREATE TABLE IF NOT EXISTS span_store (" + SPAN_FIELDS
          + "attributes VARIANT, events JSON, resource_attributes JSON, received_at TIMESTAMP, "
          + PromotedAttributes.definitions() + ", links JSON)",
      ingestTable("span_ingest"),
  };

  /** The columns of {@code span_ingest} in the order the appender writes them ({@link RowAppender}). */
  static final String INGEST_COLUMNS = "seq, " + SPAN_COLUMNS;

  /** {@code span_ingest}'s definition, under {@code name}. */
  static String ingestTable(String name) {
    return ingestTable("TABLE", name);
  }

  /**
   * Where the writer's bulk load puts a backlog's rows before they go to {@code span_store} in the same transaction:
   * {@code span_ingest}'s columns in a temporary table of the writer's connection, in memory and in no WAL.
   */
  static final String BULK_TABLE = "span_bulk";
  static final String BULK = ingestTable("TEMPORARY TABLE", BULK_TABLE);

  /**
   * The tail: every row not yet moved, as {@code span_ingest}'s rows (its columns, in {@link #INGEST_COLUMNS}' order),
   * the compact key events appended narrow to {@link KeyEventRows#INGEST_TABLE} among them. What every reader of the
   * tail reads, and what a move takes.
   */
  public static final String TAIL = "span_tail";
  /** The bulk load's rows, {@link #BULK_TABLE}'s and {@link KeyEventRows#BULK_TABLE}'s, as {@link #TAIL} shows the tail. */
  static final String BULK_ROWS = "span_bulk_rows";

  /** The view {@code name} of the rows of {@code ingest} and of {@code narrow} (a table of compact key events). */
  private static String tailView(String kind, String name, String ingest, String narrow) {
    return "CREATE OR REPLACE " + kind + " " + name + " AS SELECT " + INGEST_COLUMNS + " FROM " + ingest + " UNION ALL "
        + KeyEventRows.asIngestRows(narrow);
  }

  /** Creates the bulk load's tables and the view over both, on the writer's connection. */
  static void createBulk(Statement statement) throws SQLException {
    statement.execute(BULK);
    statement.execute(KeyEventRows.ingestTable("TEMPORARY TABLE", KeyEventRows.BULK_TABLE));
    statement.execute(tailView("TEMPORARY VIEW", BULK_ROWS, BULK_TABLE, KeyEventRows.BULK_TABLE));
  }

  private static String ingestTable(String kind, String name) {
    return "CREATE " + kind + " IF NOT EXISTS " + name + " (" + uncompressed("seq BIGINT NOT NULL, " + SPAN_FIELDS
        + "attributes VARCHAR, events VARCHAR, resource_attributes VARCHAR, received_at TIMESTAMP, "
        + PromotedAttributes.definitions() + ", links VARCHAR") + ")";
  }

  /** The keyspace columns added with sampled passes: a store written before has them added at open. */
  static final String KEYSPACE_SAMPLING = "keys_error BIGINT DEFAULT 0, keys_without_ttl_error BIGINT, "
      + "scanned_keys BIGINT, sampled BOOLEAN DEFAULT false";

  /**
   * The keyspace watcher's samples: one row per pass, Redis, database and namespace. {@code redis}
   * is {@code host:port} as the Redis spans' {@code server.address} and {@code server.port} name it
   * (never credentials), {@code db} the database index ({@code db.namespace} on those spans).
   * {@code bytes} is exact when {@code bytes_error = 0}, else an estimate within {@code bytes_error}
   * (absolute, the bound the watcher states); likewise {@code keys} and {@code keys_error},
   * {@code keys_without_ttl} and {@code keys_without_ttl_error}. {@code sampled} rows come from a sample
   * of the database's keys, of which {@code scanned_keys} were this namespace's (every key when not
   * sampled); {@code stale} marks a sample carried over from the last good pass while Redis could not be read.
   */
  static final String KEYSPACE = "CREATE TABLE IF NOT EXISTS keyspace (time TIMESTAMP NOT NULL, "
      + "redis VARCHAR NOT NULL, db INTEGER NOT NULL, namespace VARCHAR NOT NULL, layer VARCHAR, "
      + "keys BIGINT, bytes BIGINT, bytes_error BIGINT, sampled_keys BIGINT, keys_without_ttl BIGINT, "
      + "ttl_p50_s DOUBLE, ttl_p90_s DOUBLE, ttl_p99_s DOUBLE, idle_p50_s DOUBLE, idle_p90_s DOUBLE, "
      + "idle_p99_s DOUBLE, lfu_freq_p50 DOUBLE, types JSON, pass_id BIGINT, complete BOOLEAN, stale BOOLEAN, "
      + KEYSPACE_SAMPLING + ")";


  /** The server's own figures, one row per pass and Redis ({@code INFO memory}, {@code INFO stats}). */
  static final String KEYSPACE_SERVER = "CREATE TABLE IF NOT EXISTS keyspace_server (time TIMESTAMP NOT NULL, "
      + "redis VARCHAR NOT NULL, used_memory BIGINT, used_memory_dataset BIGINT, maxmemory BIGINT, "
      + "maxmemory_policy VARCHAR, evicted_keys BIGINT, expired_keys BIGINT, keyspace_hits BIGINT, "
      + "keyspace_misses BIGINT, keys BIGINT, pass_id BIGINT, pass_seconds DOUBLE, pass_commands BIGINT, "
      + "complete BOOLEAN, stale BOOLEAN, error VARCHAR)";

  /**
   * The keyspace notifications the watcher recorded ({@code --keyspace-events on}): one row per key event Redis
   * reported, stamped when the watcher received it (Redis sends no time). {@code event} is Redis's own name
   * ({@code expired}, {@code evicted}, {@code set}, {@code del}, {@code expire}, {@code hset} ...), {@code kind}
   * memtrace's class of it: {@code expiry}, {@code eviction}, {@code write}, {@code delete} or {@code ttl}.
   * {@code weight} is how many notifications the row stands for: 1, or the inverse of the namespace's sampling rate.
   * Whether a write or delete was made outside the traced services is decided when it is read, against the spans.
   */
  static final String KEY_NOTIFICATION = "CREATE TABLE IF NOT EXISTS key_notification (time TIMESTAMP NOT NULL, "
      + "redis VARCHAR NOT NULL, db INTEGER NOT NULL, key VARCHAR NOT NULL, namespace VARCHAR, event VARCHAR NOT NULL, "
      + "kind VARCHAR NOT NULL, weight DOUBLE NOT NULL DEFAULT 1)";

  /**
   * What the watcher's notifications cover, so an answer can say "unknown" rather than guess: a row when the
   * subscription's state changes and with every pass. {@code state}: {@code on} (subscribed, the server sends the
   * events), {@code off} (not asked, or the server's {@code notify-keyspace-events} lacks them), {@code unavailable}
   * (the server refused: ACL, or {@code CONFIG} disabled) or {@code disconnected}; {@code notify_config} the server's
   * setting as found. The counts are the subscription's, cumulative since the watcher started: received, recorded,
   * and lost to the rate cap, to sampling by namespace and to a full queue. {@code namespaces}: the globs of the
   * namespaces recorded ({@code *} every key; null in a row of a collector that did not say, which covers none);
   * {@code dropped_namespaces}: those that lost notifications since the row before ({@code *}: too many to name).
   * Together they are the coverage: where and since when notifications were on, and the gaps in it.
   */
  static final String KEY_NOTIFICATION_STATUS = "CREATE TABLE IF NOT EXISTS key_notification_status (time TIMESTAMP "
      + "NOT NULL, redis VARCHAR NOT NULL, state VARCHAR NOT NULL, notify_config VARCHAR, received BIGINT, "
      + "recorded BIGINT, dropped_rate BIGINT, dropped_sampled BIGINT, dropped_queue BIGINT, error VARCHAR, "
      + "namespaces VARCHAR, dropped_namespaces VARCHAR)";

  /** The coverage columns, for a {@code key_notification_status} made before them. */
  static final String[] KEY_NOTIFICATION_COVERAGE = {
      "ALTER TABLE key_notification_status ADD COLUMN IF NOT EXISTS namespaces VARCHAR",
      "ALTER TABLE key_notification_status ADD COLUMN IF NOT EXISTS dropped_namespaces VARCHAR"};

  private static final String[] AFTER_UPGRADE = {
      KeyEventRows.DDL,
      KeyEventRows.ingestTable("TABLE", KeyEventRows.INGEST_TABLE),
      tailView("VIEW", TAIL, "span_ingest", KeyEventRows.INGEST_TABLE),
      // the compact key events as the spans they stand for, kept and in the tail (KeyEventRows)
      "CREATE OR REPLACE VIEW spans AS SELECT " + SPAN_COLUMNS + " FROM span_store UNION ALL SELECT "
          + CONVERTED_COLUMNS + " FROM span_ingest WHERE NOT (" + KeyEventRows.IN_INGEST + ") UNION ALL "
          + KeyEventRows.spans(KeyEventRows.TABLE) + " UNION ALL " + KeyEventRows.spans("span_ingest WHERE "
          + KeyEventRows.IN_INGEST) + " UNION ALL " + KeyEventRows.spans(KeyEventRows.INGEST_TABLE),
      "CREATE TABLE IF NOT EXISTS metrics (time TIMESTAMP, start_time TIMESTAMP, service_name VARCHAR, "
          + "scope_name VARCHAR, name VARCHAR NOT NULL, description VARCHAR, unit VARCHAR, type VARCHAR, "
          + "temporality VARCHAR, is_monotonic BOOLEAN, attributes JSON, value DOUBLE, count BIGINT, "
          + "sum DOUBLE, min DOUBLE, max DOUBLE, explicit_bounds DOUBLE[], bucket_counts BIGINT[], "
          + "received_at TIMESTAMP)",
      AttributeTypes.DDL,
      KEYSPACE,
      KEYSPACE_SERVER,
      KEY_NOTIFICATION,
      KEY_NOTIFICATION_STATUS,
      KEY_NOTIFICATION_COVERAGE[0],
      KEY_NOTIFICATION_COVERAGE[1],
      KeyValueTable.DDL,
  };

  private static String[] keyspaceSamplingColumns() {
    return Arrays.stream(KEYSPACE_SAMPLING.split(", "))
        .map(c -> "ALTER TABLE keyspace ADD COLUMN IF NOT EXISTS " + c).toArray(String[]::new);
  }

  private Schema() {
  }

  /**
   * Each column of a definition list, stored uncompressed. {@code span_ingest} rows are moved out
   * within seconds, yet a checkpoint that catches them there compresses every string column, which
   * took about a fifth of the writer thread's time in a perf profile of 1M spans.
   */
  static String uncompressed(String columns) {
    return Arrays.stream(columns.split(", ")).map(c -> c + " USING COMPRESSION uncompressed")
        .collect(Collectors.joining(", "));
  }

  /**
   * On a connection to a store opened read-only: {@link #TAIL} for this connection when the store has none (a store
   * an older collector wrote, whose compact key events are all in {@code span_ingest}).
   */
  static void prepareForReading(Connection connection) throws SQLException {
    try (Statement s = connection.createStatement();
         java.sql.ResultSet r = s.executeQuery("SELECT count(*) FROM duckdb_views() WHERE view_name = '" + TAIL + "'")) {
      r.next();
      if (r.getLong(1) == 0) {
        s.execute("CREATE TEMPORARY VIEW " + TAIL + " AS SELECT * FROM span_ingest");
      }
    }
  }

  static void create(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      for (String ddl : DDL) {
        statement.execute(ddl);
      }
      StoreUpgrade.addPromotedColumns(connection);
      StoreUpgrade.addLinks(connection);
      for (String ddl : AFTER_UPGRADE) {
        statement.execute(ddl);
      }
      for (String ddl : keyspaceSamplingColumns()) {
        statement.execute(ddl);
      }
    }
    for (KeptTables tables : KeptTables.installed()) {
      tables.prepareForWriting(connection);
    }
  }
}
