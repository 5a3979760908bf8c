package io.memtrace.collector.reader;

import java.util.List;
import java.util.Map;

/**
 * The keyspace watcher's samples, as {@code GET /api/keyspace} gives them: one map per row, column name to value,
 * times as ISO-8601 instants and {@code types} as a JSON object.
 *
 * @param samples one row per Redis, database, namespace and pass ({@code keyspace})
 * @param servers one row per Redis and pass: the server's own figures ({@code keyspace_server})
 */
public record KeyspaceState(List<Map<String, Object>> samples, List<Map<String, Object>> servers) {

  public KeyspaceState {
    samples = List.copyOf(samples);
    servers = List.copyOf(servers);
  }
}
