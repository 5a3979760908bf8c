package io.memtrace.bench.memory;

import redis.clients.jedis.Jedis;

/**
 * A minimal memory manager of the kind memtrace instruments by configuration alone: plain
 * application code that knows nothing of memtrace or OpenTelemetry. Documents live in Redis under
 * {@code partition:key}. {@code memtrace-bench.yaml} turns each call into a memory span, with the
 * Redis command it sends as its child.
 */
public final class DocumentMemory {

  private final Jedis jedis;

  public DocumentMemory(Jedis jedis) {
    this.jedis = jedis;
  }

  /** Stores {@code value} under {@code key} in {@code opts.partition()}. */
  public void store(String key, String value, StoreOptions opts) {
    jedis.set(opts.partition() + ":" + key, value);
  }

  /** The document stored under {@code key} in {@code partition}, or {@code null}. */
  public String retrieve(String key, String partition) {
    return jedis.get(partition + ":" + key);
  }
}
