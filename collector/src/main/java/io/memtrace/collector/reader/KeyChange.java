package io.memtrace.collector.reader;

/**
 * One change of a Redis key that is not a captured value ({@link StoreReader#keyChanges}): a traced Redis command's
 * write, delete or TTL change, or Redis's own notification of a write, delete, TTL change, expiry or eviction. What
 * a rebuild needs besides the values: whether a write's value was captured, when a key went, what TTL it got, and
 * what changed outside the traced services. Plain values, so two stores' answers compare with {@code equals}.
 *
 * @param timeUs    a span's start, a notification's receipt (epoch microseconds)
 * @param endUs     a span's end; a notification's receipt
 * @param source    {@code span} or {@code notification}
 * @param redis     {@code host:port}
 * @param db        the database
 * @param key       the Redis key
 * @param namespace its namespace; null when it has none
 * @param kind      {@code write}, {@code delete}, {@code ttl} (the EXPIRE family, PERSIST), {@code other}, or for a
 *                  notification also {@code expiry} and {@code eviction}
 * @param event     the Redis command, or Redis's event name
 * @param traceId   a span's trace; null for a notification
 * @param spanId    a span's id; null for a notification
 * @param service   a span's service; null for a notification
 * @param ttl       the TTL in seconds the command set, when the span says
 * @param error     whether the command failed (it changed nothing)
 */
public record KeyChange(long timeUs, long endUs, String source, String redis, int db, String key, String namespace,
    String kind, String event, String traceId, String spanId, String service, Long ttl, boolean error) {

  public boolean span() {
    return "span".equals(source);
  }
}
