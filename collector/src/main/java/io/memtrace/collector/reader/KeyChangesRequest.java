package io.memtrace.collector.reader;

import io.memtrace.collector.CollectorException;
import java.time.Instant;

/**
 * Which key changes to read ({@link StoreReader#keyChanges}): those of the Redis keys whose namespace matches a glob
 * ({@code *} any run of characters, {@code ?} one), that ended in {@code [from, to)}, oldest first.
 *
 * @param namespace the namespace glob; {@code *} also takes keys without a namespace
 * @param from      the earliest end, inclusive; null for the start of the store
 * @param to        the latest end, exclusive
 * @param limit     at most this many changes (the oldest)
 */
public record KeyChangesRequest(String namespace, Instant from, Instant to, int limit) {

  public KeyChangesRequest {
    if (namespace == null || namespace.isEmpty()) {
      throw new CollectorException("key changes are read for a namespace glob");
    }
    if (to == null) {
      throw new CollectorException("key changes are read up to a time");
    }
    if (limit < 1) {
      throw new CollectorException("the limit must be at least 1, not " + limit);
    }
  }

  /** The glob as a SQL {@code LIKE} pattern with {@code \} as its escape: {@code *} is {@code %}, {@code ?} is {@code _}. */
  public String likePattern() {
    StringBuilder like = new StringBuilder();
    for (char c : namespace.toCharArray()) {
      switch (c) {
        case '*' -> like.append('%');
        case '?' -> like.append('_');
        case '%', '_', '\\' -> like.append('\\').append(c);
        default -> like.append(c);
      }
    }
    return like.toString();
  }

  /** Epoch microseconds of {@code from}, or the smallest long. */
  public long fromUs() {
    return from == null ? Long.MIN_VALUE : from.getEpochSecond() * 1_000_000 + from.getNano() / 1_000;
  }

  public long toUs() {
    return to.getEpochSecond() * 1_000_000 + to.getNano() / 1_000;
  }
}
