package io.memtrace.collector.keyspace.notify;

import java.time.Instant;

/**
 * What a watcher's notifications cover at one moment: a row of {@code key_notification_status}, written when the
 * subscription's state changes and with every pass. The counts are cumulative since the watcher started.
 *
 * @param state        {@code on}, {@code off}, {@code unavailable} or {@code disconnected}
 * @param notifyConfig the server's {@code notify-keyspace-events} as last read; null when it could not be read
 * @param error        why the state is not {@code on}, or what was refused; null when nothing
 * @param namespaces   the globs of the namespaces recorded, comma-separated ({@code *}: every key, in every
 *                     database); what an answer may call watched
 * @param droppedNamespaces the namespaces that lost notifications since the row before (rate cap, sampling, full
 *                     queue), comma-separated, {@code *} when too many to name; null when none did
 */
public record NotificationStatus(Instant time, String redis, String state, String notifyConfig,
    NotificationCounts.Snapshot counts, String error, String namespaces, String droppedNamespaces) {

  public static final String ON = "on";
  public static final String OFF = "off";
  public static final String UNAVAILABLE = "unavailable";
  public static final String DISCONNECTED = "disconnected";
}
