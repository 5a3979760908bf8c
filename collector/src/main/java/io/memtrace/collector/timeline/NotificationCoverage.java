package io.memtrace.collector.timeline;

import io.memtrace.collector.timeline.RecordRows.StatusRow;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Whether the watcher's keyspace notifications covered a Redis over a span of time, from
 * {@code key_notification_status}: its state was {@code on} at the start and stayed so, the server's setting sent
 * expired and evicted events ({@code x} and {@code e}, or {@code A}), and no notification was lost meanwhile. Only
 * then does the absence of an expiry or eviction mean there was none.
 */
final class NotificationCoverage {

  private final List<StatusRow> statuses;

  NotificationCoverage(List<StatusRow> statuses) {
    this.statuses = statuses;
  }

  /**
   * Whether every one of {@code redis} (any Redis the status names, when empty) was covered from {@code fromUs} to
   * {@code toUs}. False when no status is recorded at all.
   */
  boolean covered(Collection<String> redis, long fromUs, long toUs) {
    Set<String> servers = redis.stream().map(RedisAddress::normal).collect(Collectors.toSet());
    if (servers.isEmpty()) {
      servers = statuses.stream().map(s -> RedisAddress.normal(s.redis())).collect(Collectors.toSet());
    }
    if (servers.isEmpty()) {
      return false;
    }
    for (String server : servers) {
      if (!covered(server, fromUs, toUs)) {
        return false;
      }
    }
    return true;
  }

  private boolean covered(String server, long fromUs, long toUs) {
    StatusRow atStart = null;
    for (StatusRow s : statuses) {
      if (!RedisAddress.normal(s.redis()).equals(server)) {
        continue;
      }
      if (s.timeUs() <= fromUs) {
        if (atStart == null || s.timeUs() >= atStart.timeUs()) {
          atStart = s;
        }
      }
    }
    if (atStart == null || !on(atStart)) {
      return false;
    }
    for (StatusRow s : statuses) {
      if (RedisAddress.normal(s.redis()).equals(server) && s.timeUs() > fromUs && s.timeUs() <= toUs
          && (!on(s) || s.dropped() != atStart.dropped())) {
        return false;
      }
    }
    return true;
  }

  private static boolean on(StatusRow s) {
    if (!"on".equals(s.state())) {
      return false;
    }
    if (s.notifyConfig() == null) {
      return true;
    }
    String flags = s.notifyConfig();
    boolean all = flags.contains("A");
    return (flags.contains("K") || flags.contains("E")) && (all || flags.contains("x")) && (all || flags.contains("e"));
  }

  /**
   * A note for a record's timeline whose events, from {@code fromUs} to {@code toUs}, notifications did not cover
   * (the watcher ran with them off, the server's setting did not send expiries and evictions, some were lost, or the
   * record is older than the watcher): expiries, evictions and outside changes may then be missing from it. Null when
   * they covered it.
   */
  String gap(Collection<String> redis, long fromUs, long toUs) {
    if (covered(redis, fromUs, toUs)) {
      return null;
    }
    return "Keyspace notifications did not cover all of this record's events (off, not sending expired and evicted "
        + "events, some lost, or not yet watching): expiries, evictions and changes outside the traced services may be "
        + "missing (turn on with --keyspace-events on).";
  }

  /** The words of an unknown cause when notifications did not cover the time. */
  static String off() {
    return "unknown (no keyspace notifications for this Redis at that time; turn on with --keyspace-events on)";
  }
}
