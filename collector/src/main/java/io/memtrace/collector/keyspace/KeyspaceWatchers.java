package io.memtrace.collector.keyspace;

import io.memtrace.collector.CollectorException;
import io.memtrace.collector.keyspace.notify.KeyNotification;
import io.memtrace.collector.keyspace.notify.KeyNotificationTable;
import io.memtrace.collector.keyspace.notify.KeyspaceNotifications;
import io.memtrace.collector.keyspace.notify.NotificationMetrics;
import io.memtrace.collector.keyspace.notify.NotificationSettings;
import io.memtrace.collector.keyspace.notify.NotificationSink;
import io.memtrace.collector.keyspace.notify.NotificationStatus;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The watchers of one command, one per Redis, all handing their snapshots to the same sinks in
 * turn. A sink that fails is reported by the watcher and does not keep the others from their turn.
 * Beside each watcher, its Redis's keyspace notifications ({@link KeyspaceNotifications}), whose rows go to
 * the notification sinks and whose status is written after every pass.
 */
public final class KeyspaceWatchers implements AutoCloseable {

  private final List<KeyspaceWatcher> watchers = new ArrayList<>();
  private final List<KeyspaceNotifications> notifications = new ArrayList<>();
  private final MemoryStateConfig config;
  private volatile List<KeyspaceSink> sinks = List.of();
  private volatile List<NotificationSink> notificationSinks = List.of();

  /**
   * Parses every URL, so that a bad one stops the command before anything is opened; the sinks
   * come later ({@link #sendTo}), once the store they write to is open.
   */
  public KeyspaceWatchers(String option, List<String> urls, WatchSettings settings, MemoryStateConfig config) {
    this(option, urls, settings, NotificationSettings.defaults(), config);
  }

  public KeyspaceWatchers(String option, List<String> urls, WatchSettings settings, NotificationSettings events,
      MemoryStateConfig config) {
    this.config = config;
    Set<String> seen = new LinkedHashSet<>();
    KeyspaceSink fanOut = snapshot -> {
      for (KeyspaceSink sink : sinks) {
        try {
          sink.accept(snapshot);
        } catch (RuntimeException e) {
          io.memtrace.collector.Log.warn("keyspace figures of " + snapshot.redis() + " not recorded: " + e.getMessage());
        }
      }
    };
    for (String text : urls) {
      RedisUrl url = RedisUrl.parse(option, text);
      if (!seen.add(url.address())) {
        throw new CollectorException(option + " names " + url.address() + " twice");
      }
      KeyspaceNotifications subscription = new KeyspaceNotifications(url, events, config, settings.intervalMillis(),
          notificationFanOut());
      notifications.add(subscription);
      watchers.add(new KeyspaceWatcher(url, settings, config, snapshot -> {
        fanOut.accept(snapshot);
        if (snapshot.complete() || snapshot.stale()) {
          subscription.passed();
        }
      }));
    }
  }

  private NotificationSink notificationFanOut() {
    return new NotificationSink() {
      @Override
      public void write(List<KeyNotification> batch) {
        for (NotificationSink sink : notificationSinks) {
          try {
            sink.write(batch);
          } catch (RuntimeException e) {
            io.memtrace.collector.Log.warn(batch.size() + " key notifications not recorded: " + e.getMessage());
          }
        }
      }

      @Override
      public void status(NotificationStatus status) {
        for (NotificationSink sink : notificationSinks) {
          try {
            sink.status(status);
          } catch (RuntimeException e) {
            io.memtrace.collector.Log.warn("key notification status of " + status.redis() + " not recorded: "
                + e.getMessage());
          }
        }
      }
    };
  }

  /** Where the notifications and their status rows go; set before {@link #start} or {@link #run}. */
  public void notifyTo(List<NotificationSink> sinks) {
    this.notificationSinks = List.copyOf(sinks);
  }

  /** The notification sinks of {@code serve} and {@code watch --data}: the store's tables, and the counts as OTLP. */
  public static List<NotificationSink> storeNotificationSinks(io.memtrace.collector.store.SpanStore store,
      io.memtrace.collector.forward.Forwarder forwarder) {
    return List.of(new KeyNotificationTable(store), new NotificationMetrics(forwarder, store.writer()));
  }

  /** Where the snapshots go, in this order; set before {@link #start} or {@link #run}. */
  public void sendTo(List<KeyspaceSink> sinks) {
    this.sinks = List.copyOf(sinks);
  }

  /**
   * The sinks of {@code serve} and {@code watch --data}: the keyspace tables, the gauges (upstream
   * when {@code forwarder} is set, and into the metrics table) and, when set, the time series.
   */
  public List<KeyspaceSink> storeSinks(io.memtrace.collector.store.SpanStore store,
      io.memtrace.collector.forward.Forwarder forwarder, KeyspaceLatest latest) {
    List<KeyspaceSink> list = new ArrayList<>();
    list.add(new KeyspaceTable(store));
    list.add(new KeyspaceGauges(config.layers(), forwarder, store.writer()));
    if (latest != null) {
      list.add(latest);
    }
    return list;
  }

  public void start() {
    notifications.forEach(KeyspaceNotifications::start);
    watchers.forEach(KeyspaceWatcher::start);
  }

  /**
   * Runs {@code attempts} passes of each watcher, one Redis after the other, on this thread, the notifications of
   * every Redis taken meanwhile.
   */
  public void run(long attempts) {
    notifications.forEach(KeyspaceNotifications::start);
    watchers.forEach(w -> w.run(attempts));
  }

  /** Each Redis's notifications, in the order of the URLs. */
  public List<KeyspaceNotifications> notifications() {
    return List.copyOf(notifications);
  }

  public List<String> addresses() {
    return watchers.stream().map(KeyspaceWatcher::address).toList();
  }

  /** Stops every watcher, then closes the sinks that hold something open (a store connection). */
  @Override
  public void close() {
    watchers.forEach(KeyspaceWatcher::close);
    notifications.forEach(KeyspaceNotifications::close);
    List<Object> all = new ArrayList<>(sinks);
    all.addAll(notificationSinks);
    for (Object sink : all) {
      if (sink instanceof AutoCloseable c) {
        try {
          c.close();
        } catch (Exception e) {
          io.memtrace.collector.Log.warn("closing " + sink + ": " + e.getMessage());
        }
      }
    }
  }
}
