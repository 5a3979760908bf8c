package io.memtrace.collector.keyspace;

/**
 * Where a watcher's snapshots go: the store's tables, the time series, the gauges. Called on the
 * watcher's thread after every pass, every interval a pass runs over, and every failed attempt;
 * a sink that throws is reported and does not stop the watcher or the other sinks.
 */
@FunctionalInterface
public interface KeyspaceSink {

  void accept(PassSnapshot snapshot);
}
