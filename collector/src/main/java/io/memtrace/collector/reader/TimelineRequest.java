package io.memtrace.collector.reader;

import io.memtrace.collector.CollectorException;

/**
 * Which record's timeline to show ({@link StoreReader#timeline}).
 *
 * @param key       the key as the application names it (a memory-manager key) or as Redis holds it
 * @param namespace only events of this namespace (memory store or key prefix); null for any
 * @param redis     only Redis events and notifications of this Redis ({@code host:port}); null for any
 * @param limit     the newest this many events, shown oldest first
 */
public record TimelineRequest(String key, String namespace, String redis, int limit) {

  /** The events shown when no limit is given. */
  public static final int DEFAULT_LIMIT = 200;
  /** The most events one answer holds. */
  public static final int MAX_LIMIT = 5_000;

  public TimelineRequest {
    if (key == null || key.isEmpty()) {
      throw new CollectorException("a timeline needs a key");
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new CollectorException("the limit is 1 to " + MAX_LIMIT + " events, not " + limit);
    }
    namespace = namespace == null || namespace.isEmpty() ? null : namespace;
    redis = redis == null || redis.isEmpty() ? null : redis;
  }

  /** The whole record of {@code key}, newest {@link #DEFAULT_LIMIT} events. */
  public TimelineRequest(String key) {
    this(key, null, null, DEFAULT_LIMIT);
  }
}
