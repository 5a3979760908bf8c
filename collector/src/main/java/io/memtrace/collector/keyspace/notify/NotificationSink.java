package io.memtrace.collector.keyspace.notify;

import java.util.List;

/**
 * Where the notifications and the status rows go: the store's tables, ClickHouse's, the OTLP counts, {@code watch}'s
 * lines. Called on a watcher's writer thread (never the subscriber's); the writers of several Redis share a sink, so
 * an implementation that holds a connection synchronizes. One that throws is reported and does not stop the others.
 */
public interface NotificationSink {

  /** A batch of recorded notifications, in the order received. */
  void write(List<KeyNotification> batch);

  /** The subscription's state and counts: with every pass, and when the state changes. */
  void status(NotificationStatus status);
}
