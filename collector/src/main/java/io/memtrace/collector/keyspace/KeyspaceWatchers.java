package io.memtrace.collector.keyspace;

import io.memtrace.collector.CollectorException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The watchers of one command, one per Redis, all handing their snapshots to the same sinks in
 * turn. A sink that fails is reported by the watcher and does not keep the others from their turn.
 */
public final class KeyspaceWatchers implements AutoCloseable {

  private final List<KeyspaceWatcher> watchers = new ArrayList<>();
  private final MemoryStateConfig config;
  private volatile List<KeyspaceSink> sinks = List.of();

  /**
   * Parses every URL, so that a bad one stops the command before anything is opened; the sinks
   * come later ({@link #sendTo}), once the store they write to is open.
   */
  public KeyspaceWatchers(String option, List<String> urls, WatchSettings settings, MemoryStateConfig config) {
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
      watchers.add(new KeyspaceWatcher(url, settings, config, fanOut));
    }
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
    watchers.forEach(KeyspaceWatcher::start);
  }

  /** Runs {@code attempts} passes of each watcher, one Redis after the other, on this thread. */
  public void run(long attempts) {
    watchers.forEach(w -> w.run(attempts));
  }

  public List<String> addresses() {
    return watchers.stream().map(KeyspaceWatcher::address).toList();
  }

  /** Stops every watcher, then closes the sinks that hold something open (a store connection). */
  @Override
  public void close() {
    watchers.forEach(KeyspaceWatcher::close);
    for (KeyspaceSink sink : sinks) {
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
