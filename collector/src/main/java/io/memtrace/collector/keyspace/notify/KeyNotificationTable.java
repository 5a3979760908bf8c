package io.memtrace.collector.keyspace.notify;

import io.memtrace.collector.CollectorException;
import io.memtrace.collector.keyspace.KeyspaceTable;
import io.memtrace.collector.store.Appenders;
import io.memtrace.collector.store.SpanStore;
import java.sql.SQLException;
import java.util.List;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Writes notifications into the store's {@code key_notification} and status rows into {@code
 * key_notification_status}, with an appender on a connection of its own, as {@code KeyspaceTable} does: the span
 * writer never waits for it. One batch is one transaction. Shared by the watchers of one {@code serve}.
 */
public final class KeyNotificationTable implements NotificationSink, AutoCloseable {

  private final DuckDBConnection connection;

  public KeyNotificationTable(SpanStore store) {
    this.connection = store.connectionFor("key notification tables");
  }

  @Override
  public synchronized void write(List<KeyNotification> batch) {
    try {
      connection.setAutoCommit(false);
      try (DuckDBAppender a = connection.createAppender("main", "key_notification")) {
        for (KeyNotification n : batch) {
          a.beginRow().appendEpochMicros(KeyspaceTable.micros(n.time())).append(n.redis()).append(n.db()).append(n.key());
          if (n.namespace() == null) {
            a.appendNull();
          } else {
            a.append(n.namespace());
          }
          a.append(n.event()).append(n.kind()).append(n.weight()).endRow();
        }
        Appenders.flush(a);
      }
      connection.commit();
    } catch (SQLException e) {
      KeyspaceTable.rollback(connection);
      throw new CollectorException("cannot store " + batch.size() + " key notifications: " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void status(NotificationStatus s) {
    try {
      connection.setAutoCommit(false);
      try (DuckDBAppender a = connection.createAppender("main", "key_notification_status")) {
        NotificationCounts.Snapshot c = s.counts();
        a.beginRow().appendEpochMicros(KeyspaceTable.micros(s.time())).append(s.redis()).append(s.state());
        nullable(a, s.notifyConfig());
        a.append(c.received()).append(c.recorded()).append(c.droppedRate()).append(c.droppedSampled())
            .append(c.droppedQueue());
        nullable(a, s.error());
        nullable(a, s.namespaces());
        nullable(a, s.droppedNamespaces());
        a.endRow();
        Appenders.flush(a);
      }
      connection.commit();
    } catch (SQLException e) {
      KeyspaceTable.rollback(connection);
      throw new CollectorException("cannot store the key notification status of " + s.redis() + ": " + e.getMessage(), e);
    }
  }

  private static void nullable(DuckDBAppender a, String value) throws SQLException {
    if (value == null) {
      a.appendNull();
    } else {
      a.append(value);
    }
  }

  @Override
  public synchronized void close() {
    try {
      connection.close();
    } catch (SQLException ignored) {
      // closing the store closes it anyway
    }
  }
}
