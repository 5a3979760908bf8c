package io.memtrace.collector.clickhouse;

import io.memtrace.collector.CollectorException;
import io.memtrace.collector.keyspace.notify.KeyNotification;
import io.memtrace.collector.keyspace.notify.NotificationCounts;
import io.memtrace.collector.keyspace.notify.NotificationSink;
import io.memtrace.collector.keyspace.notify.NotificationStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code watch --clickhouse}: the watcher's keyspace notifications into {@code memtrace_key_notifications} and its
 * status rows into {@code memtrace_key_notification_status}, the tables {@code clickhouse init} made, one INSERT a
 * batch (the writer's batches: up to 5,000 rows or a second).
 */
public final class ClickHouseNotificationSink implements NotificationSink, AutoCloseable {

  private final ClickHouseSession session;
  private final String notifications;
  private final String status;

  /** Connects and checks both tables are there, so a schema made before them fails at start in one line. */
  public ClickHouseNotificationSink(ClickHouseUrl url) {
    this.session = ClickHouseSession.open(url);
    String db = "`" + url.database().replace("`", "") + "`.";
    this.notifications = db + MemtraceTables.KEY_NOTIFICATIONS;
    this.status = db + MemtraceTables.KEY_NOTIFICATION_STATUS;
    long found = session.query("SELECT count() AS n FROM system.tables WHERE database = " + text(url.database())
        + " AND name IN ('" + MemtraceTables.KEY_NOTIFICATIONS + "', '" + MemtraceTables.KEY_NOTIFICATION_STATUS
        + "')").get(0).getLong("n");
    if (found < 2) {
      session.close();
      throw new CollectorException("ClickHouse at " + url + " has no " + MemtraceTables.KEY_NOTIFICATIONS + " table: run "
          + "`clickhouse init --clickhouse " + url + "` again (it adds the tables a schema lacks)");
    }
  }

  @Override
  public synchronized void write(List<KeyNotification> batch) {
    if (batch.isEmpty()) {
      return;
    }
    List<String> rows = new ArrayList<>(batch.size());
    for (KeyNotification n : batch) {
      rows.add("(" + String.join(", ", text(n.redis()), String.valueOf(n.db()),
          text(n.namespace() == null ? "" : n.namespace()), text(n.key()), micros(n.time()), text(n.event()),
          text(n.kind()), String.format(Locale.ROOT, "%s", n.weight())) + ")");
    }
    try {
      session.execute("INSERT INTO " + notifications + " (Store, Db, Namespace, Key, Timestamp, Event, Kind, Weight) "
          + "VALUES " + String.join(", ", rows));
    } catch (CollectorException e) {
      throw new CollectorException("cannot write " + batch.size() + " key notifications to ClickHouse: "
          + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void status(NotificationStatus s) {
    NotificationCounts.Snapshot c = s.counts();
    try {
      session.execute("INSERT INTO " + status + " (Time, Redis, State, NotifyConfig, Received, Recorded, DroppedRate, "
          + "DroppedSampled, DroppedQueue, Error, Namespaces, DroppedNamespaces) VALUES (" + String.join(", ",
          "fromUnixTimestamp64Milli(" + s.time().toEpochMilli() + ")", text(s.redis()), text(s.state()),
          text(s.notifyConfig() == null ? "" : s.notifyConfig()), String.valueOf(c.received()),
          String.valueOf(c.recorded()), String.valueOf(c.droppedRate()), String.valueOf(c.droppedSampled()),
          String.valueOf(c.droppedQueue()), text(s.error() == null ? "" : s.error()), text(s.namespaces()),
          s.droppedNamespaces() == null ? "NULL" : text(s.droppedNamespaces())) + ")");
    } catch (CollectorException e) {
      throw new CollectorException("cannot write the key notification status of " + s.redis() + " to ClickHouse: "
          + e.getMessage(), e);
    }
  }

  private static String micros(Instant t) {
    return "fromUnixTimestamp64Micro(" + (t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000) + ")";
  }

  private static String text(String s) {
    return ClickHouseKeyspaceSink.text(s);
  }

  @Override
  public synchronized void close() {
    session.close();
  }
}
