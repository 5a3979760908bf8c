package io.memtrace.collector.keyspace;

import java.time.Instant;

/**
 * One row of the {@code keyspace_server} table: Redis's own figures at a pass ({@code INFO memory},
 * {@code INFO stats}, {@code INFO keyspace}) and what the pass cost. {@code error} says what went
 * wrong, also when the pass went on without a refused command's figures.
 */
public record ServerSample(Instant time, String redis, Long usedMemory, Long usedMemoryDataset, Long maxmemory,
    String maxmemoryPolicy, Long evictedKeys, Long expiredKeys, Long keyspaceHits, Long keyspaceMisses, Long keys,
    long passId, double passSeconds, long passCommands, boolean complete, boolean stale, String error) {

  /** A row for a pass that could not read Redis at all. */
  static ServerSample failed(Instant time, String redis, long passId, double seconds, long commands, String error) {
    return new ServerSample(time, redis, null, null, null, null, null, null, null, null, null, passId, seconds,
        commands, false, true, error);
  }
}
