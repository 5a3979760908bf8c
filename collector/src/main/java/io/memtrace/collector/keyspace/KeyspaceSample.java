package io.memtrace.collector.keyspace;

import java.time.Instant;
import java.util.Map;

/**
 * One row of the {@code keyspace} table: a namespace of one database of one Redis at one pass.
 * {@code keys} is counted when {@code sampled} is false, else estimated from the namespace's share of
 * the keys that SCANs at random cursors returned ({@code scannedKeys} of them were this namespace's).
 * {@code bytes} is the sum of {@code MEMORY USAGE} over the namespace's keys, {@code keysWithoutTtl} the
 * keys without a TTL; each estimate is within its {@code …Error} (four standard errors, 0 when exact) of
 * the true figure; {@code sampledKeys} keys were measured. Figures a refused command could not give are null.
 */
public record KeyspaceSample(Instant time, String redis, int db, String namespace, String layer, long keys,
    Long bytes, Long bytesError, long sampledKeys, Long keysWithoutTtl, Double ttlP50, Double ttlP90, Double ttlP99,
    Double idleP50, Double idleP90, Double idleP99, Double lfuFreqP50, Map<String, Long> types, long passId,
    boolean complete, boolean stale, long keysError, Long keysWithoutTtlError, long scannedKeys, boolean sampled) {

  /** A row of a namespace counted whole, with no bound on its keys without TTL. */
  public KeyspaceSample(Instant time, String redis, int db, String namespace, String layer, long keys, Long bytes,
      Long bytesError, long sampledKeys, Long keysWithoutTtl, Double ttlP50, Double ttlP90, Double ttlP99,
      Double idleP50, Double idleP90, Double idleP99, Double lfuFreqP50, Map<String, Long> types, long passId,
      boolean complete, boolean stale) {
    this(time, redis, db, namespace, layer, keys, bytes, bytesError, sampledKeys, keysWithoutTtl, ttlP50, ttlP90,
        ttlP99, idleP50, idleP90, idleP99, lfuFreqP50, types, passId, complete, stale, 0, null, keys, false);
  }

  /** This sample carried over to {@code at}, while Redis cannot be read. */
  public KeyspaceSample staleAt(Instant at) {
    return new KeyspaceSample(at, redis, db, namespace, layer, keys, bytes, bytesError, sampledKeys, keysWithoutTtl,
        ttlP50, ttlP90, ttlP99, idleP50, idleP90, idleP99, lfuFreqP50, types, passId, complete, true, keysError,
        keysWithoutTtlError, scannedKeys, sampled);
  }
}
