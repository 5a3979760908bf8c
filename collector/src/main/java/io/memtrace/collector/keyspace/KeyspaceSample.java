package io.memtrace.collector.keyspace;

import java.time.Instant;
import java.util.Map;

/**
 * One row of the {@code keyspace} table: a namespace of one database of one Redis at one pass.
 * {@code bytes} is the sum of {@code MEMORY USAGE} over the namespace's keys, exact when
 * {@code bytesError} is 0, else an estimate within {@code bytesError} (four standard errors);
 * {@code sampledKeys} keys were measured. Figures a refused command could not give are null.
 */
public record KeyspaceSample(Instant time, String redis, int db, String namespace, String layer, long keys,
    Long bytes, Long bytesError, long sampledKeys, Long keysWithoutTtl, Double ttlP50, Double ttlP90, Double ttlP99,
    Double idleP50, Double idleP90, Double idleP99, Double lfuFreqP50, Map<String, Long> types, long passId,
    boolean complete, boolean stale) {

  /** This sample carried over to {@code at}, while Redis cannot be read. */
  public KeyspaceSample staleAt(Instant at) {
    return new KeyspaceSample(at, redis, db, namespace, layer, keys, bytes, bytesError, sampledKeys, keysWithoutTtl,
        ttlP50, ttlP90, ttlP99, idleP50, idleP90, idleP99, lfuFreqP50, types, passId, complete, true);
  }
}
