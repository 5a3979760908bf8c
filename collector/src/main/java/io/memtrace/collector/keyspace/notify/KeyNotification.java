package io.memtrace.collector.keyspace.notify;

import java.time.Instant;

/**
 * One keyspace notification the watcher recorded: a row of {@code key_notification}.
 *
 * @param time      when the watcher received it
 * @param redis     the watched Redis, {@code host:port}
 * @param event     Redis's own event name ({@code expired}, {@code evicted}, {@code set}, {@code del}, ...)
 * @param kind      an {@link EventKinds} kind
 * @param weight    the notifications this row stands for: 1, or 1 / the namespace's sampling rate
 */
public record KeyNotification(Instant time, String redis, int db, String key, String namespace, String event,
    String kind, double weight) {
}
