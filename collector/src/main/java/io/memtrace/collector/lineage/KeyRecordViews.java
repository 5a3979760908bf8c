package io.memtrace.collector.lineage;

import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.store.Schema;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The view {@code key_record}: the one ordered record of every key's events, from the spans (the key events of
 * both layers, {@code key_event_rows}) and from Redis itself (its keyspace notifications, {@code key_notification}),
 * one row each, in one shape, for {@code ORDER BY time}:
 * {@code time, end_time, source ('span' | 'notification'), layer, redis, db, key, namespace, kind, event, trace_id,
 * span_id, parent_span_id, service_name, found, value_size, ttl, status_code, weight}. {@code kind} is a span's access
 * ({@code read}, {@code write}, {@code delete}, {@code other}; {@code ttl} for the EXPIRE family, whatever access the
 * command overlay gives it) or a notification's kind ({@code write}, {@code delete}, {@code ttl}, {@code expiry},
 * {@code eviction}); {@code event} the memory operation, Redis command, or Redis's event name.
 *
 * <p>Whether a notification's change was made outside the traced services is not a column: it is decided against the
 * spans when a record is read ({@code io.memtrace.collector.timeline.KeyRecord}). A store an older collector wrote,
 * opened read-only, has no notification tables: this connection gets empty temporary ones.
 */
public final class KeyRecordViews {

  /**
   * The commands that set or clear a TTL: a span of one is a TTL change whatever access the command overlay gives it
   * (until the key events give them {@code access = 'ttl'}).
   */
  public static final java.util.Set<String> TTL_COMMANDS = java.util.Set.of("EXPIRE", "PEXPIRE", "EXPIREAT",
      "PEXPIREAT", "PERSIST");

  /** A span's kind: its access, or {@code ttl} for a TTL command. */
  static final String SPAN_KIND = "CASE WHEN access = 'ttl' OR upper(operation) IN (" + TTL_COMMANDS.stream().sorted()
      .map(c -> "'" + c + "'").collect(java.util.stream.Collectors.joining(", ")) + ") THEN 'ttl' ELSE access END";

  private KeyRecordViews() {
  }

  /** Creates the view ({@code temp}: {@code "TEMPORARY "} for a connection to a store opened read-only, else empty). */
  static void create(Connection connection, String temp) throws SQLException {
    createTables(connection, temp);
    try (Statement s = connection.createStatement()) {
      s.execute("CREATE OR REPLACE " + temp + "VIEW key_record AS " + record("key_event_rows", "key_notification"));
    }
  }

  /**
   * The notification tables, empty, where the store has none: the lineage views read {@code key_notification} too
   * ({@link NoticedChanges}), so they are made first.
   */
  static void createTables(Connection connection, String temp) throws SQLException {
    try (Statement s = connection.createStatement()) {
      if (!exists(connection, "key_notification")) {
        s.execute("CREATE " + temp + "TABLE key_notification (time TIMESTAMP, redis VARCHAR, db INTEGER, key VARCHAR, "
            + "namespace VARCHAR, event VARCHAR, kind VARCHAR, weight DOUBLE)");
      }
      if (!exists(connection, "key_notification_status")) {
        s.execute("CREATE " + temp + "TABLE key_notification_status (time TIMESTAMP, redis VARCHAR, state VARCHAR, "
            + "notify_config VARCHAR, received BIGINT, recorded BIGINT, dropped_rate BIGINT, dropped_sampled BIGINT, "
            + "dropped_queue BIGINT, error VARCHAR, namespaces VARCHAR, dropped_namespaces VARCHAR)");
      }
    }
  }

  /** The rows of {@code key_record} from a relation of key events and one of notifications. */
  private static String record(String events, String notifications) {
    return "SELECT time, end_time, 'span' AS source, layer, redis, db, key, namespace, " + SPAN_KIND + " AS kind, "
        + "operation AS event, trace_id, span_id, parent_span_id, service_name, found, value_size, ttl, status_code, "
        + "NULL::DOUBLE AS weight FROM " + events + " WHERE key IS NOT NULL "
        + "UNION ALL SELECT time, time, 'notification', 'redis', redis, db, key, namespace, kind, event, NULL, NULL, "
        + "NULL, NULL, NULL, NULL, NULL, NULL, weight FROM " + notifications;
  }

  /**
   * A relation with the rows of {@code key_record} of every key that is {@code key} (a SQL literal) or ends with it,
   * and some others: when the store keeps its key events, only those whose key has the same last run of letters and
   * digits ({@link KeyEventStore#KEY_TAIL}), found by its hash; the caller keeps the keys that match.
   */
  public static String narrowed(SqlSource source, String key) {
    if (!LineageViews.kept(source)) {
      return "key_record";
    }
    String tail = KeyEventStore.keyTail(key);
    String events = "(SELECT " + KeyEventStore.EVENT_COLUMNS + " FROM " + KeyEventStore.EVENTS + " WHERE key_tail = "
        + tail + " UNION ALL SELECT " + KeyEventStore.EVENT_COLUMNS + " FROM (" + LineageViews.keyEvents(Schema.TAIL)
        + "))";
    return "(" + record(events, "(SELECT * FROM key_notification WHERE " + KeyEventStore.keyTail("key") + " = " + tail
        + ")") + ")";
  }

  /**
   * {@code namespaces, dropped_namespaces} of {@code key_notification_status}, as columns to select: nulls for a store
   * an older collector wrote, opened read-only, whose rows do not say what they covered.
   */
  public static String coverageColumns(SqlSource source) {
    boolean kept = source.queryOwn("SELECT 1 FROM duckdb_columns() WHERE table_name = 'key_notification_status' "
        + "AND column_name = 'dropped_namespaces'").size() > 0;
    return kept ? "namespaces, dropped_namespaces" : "NULL::VARCHAR AS namespaces, NULL::VARCHAR AS dropped_namespaces";
  }

  private static boolean exists(Connection connection, String table) throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet r = s.executeQuery("SELECT 1 FROM duckdb_tables() WHERE table_name = '" + table + "'")) {
      return r.next();
    }
  }
}
