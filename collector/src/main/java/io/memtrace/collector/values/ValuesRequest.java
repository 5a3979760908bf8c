package io.memtrace.collector.values;

import io.memtrace.collector.CollectorException;
import java.time.Instant;

/**
 * Which captured values to read: one key's, or every key's under a namespace glob, within a time range, oldest first.
 *
 * @param key       one key exactly; null when {@code namespace} is given
 * @param namespace a namespace glob ({@code *} any run of characters); null when {@code key} is given
 * @param from      the earliest time, inclusive; null for the start of the store
 * @param to        the latest time, exclusive; null for now
 * @param limit     at most this many values (the oldest)
 */
public record ValuesRequest(String key, String namespace, Instant from, Instant to, int limit) {

  public ValuesRequest {
    if ((key == null) == (namespace == null)) {
      throw new CollectorException("captured values are read for one key or one namespace glob");
    }
    if (limit < 1) {
      throw new CollectorException("the limit must be at least 1, not " + limit);
    }
  }
}
