package io.memtrace.collector.keyspace;

import java.util.List;

/**
 * What a watcher knows of one Redis at a moment: the namespace rows and the server row of a
 * finished pass ({@code complete}), of a pass still running, or carried over ({@code stale}).
 */
public record PassSnapshot(String redis, List<KeyspaceSample> samples, ServerSample server) {

  public boolean complete() {
    return server.complete();
  }

  public boolean stale() {
    return server.stale();
  }
}
