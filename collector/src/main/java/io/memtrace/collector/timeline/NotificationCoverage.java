package io.memtrace.collector.timeline;

import io.memtrace.collector.timeline.RecordRows.StatusRow;
import io.memtrace.common.Glob;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the watcher's keyspace notifications covered, from {@code key_notification_status}: for a Redis, its
 * namespaces and a span of time, whether its state was {@code on} when the span began and stayed so, the server's
 * setting sent expired and evicted events ({@code x} and {@code e}, or {@code A}), the namespaces were among those
 * recorded, and none of their notifications was lost meanwhile. Only then does the absence of an event mean there was
 * none; otherwise the answer is "not watched", with why.
 */
public final class NotificationCoverage {

  /** Whether a record was watched, and when not, why, in words for a reason ({@code "not watched: …"}). */
  public record Verdict(boolean covered, boolean off, String why) {

    static final Verdict COVERED = new Verdict(true, false, null);
    static final Verdict OFF = new Verdict(false, true, "no keyspace notifications for this Redis at that time");

    static Verdict notWatched(String why) {
      return new Verdict(false, false, why);
    }

    /** The words of an unknown cause under this verdict: never "reported nothing" outside coverage. */
    public String unknown() {
      if (covered) {
        return "unknown (keyspace notifications were on and reported no expiry, eviction or delete)";
      }
      return off ? NotificationCoverage.off() : "unknown (not watched: " + why + ")";
    }
  }

  private final List<StatusRow> statuses;

  public NotificationCoverage(List<StatusRow> statuses) {
    this.statuses = statuses.stream().sorted(Comparator.comparingLong(StatusRow::timeUs)).toList();
  }

  /**
   * Whether every one of {@code redis} (any Redis the status names, when empty) covered keys of {@code namespaces}
   * (null for a key without one) from {@code fromUs} to {@code toUs}; the first reason it did not. Off when no status
   * is recorded at all.
   */
  public Verdict verdict(Collection<String> redis, Collection<String> namespaces, long fromUs, long toUs) {
    Set<String> servers = new LinkedHashSet<>();
    redis.forEach(r -> servers.add(RedisAddress.normal(r)));
    if (servers.isEmpty()) {
      statuses.forEach(s -> servers.add(RedisAddress.normal(s.redis())));
    }
    if (servers.isEmpty()) {
      return Verdict.OFF;
    }
    for (String server : servers) {
      Verdict v = verdict(server, namespaces, fromUs, toUs);
      if (!v.covered()) {
        return v;
      }
    }
    return Verdict.COVERED;
  }

  boolean covered(Collection<String> redis, Collection<String> namespaces, long fromUs, long toUs) {
    return verdict(redis, namespaces, fromUs, toUs).covered();
  }

  /**
   * {@link #covered}, and Redis sent its generic events ({@code del}: {@code g} or {@code A} in every
   * {@code notify-keyspace-events} the status rows of {@code redis} name), so that a delete it did not report did not
   * happen.
   */
  boolean coversDeletes(String redis, Collection<String> namespaces, long fromUs, long toUs) {
    // a span that names no Redis (some instrumentations give none) is covered when every Redis watched was
    String server = redis == null ? null : RedisAddress.normal(redis);
    return covered(redis == null ? List.of() : List.of(redis), namespaces, fromUs, toUs) && statuses.stream()
        .filter(s -> (server == null || RedisAddress.normal(s.redis()).equals(server)) && s.timeUs() <= toUs)
        .allMatch(s -> s.notifyConfig() == null || s.notifyConfig().contains("A") || s.notifyConfig().contains("g"));
  }

  private Verdict verdict(String server, Collection<String> namespaces, long fromUs, long toUs) {
    List<StatusRow> rows = new ArrayList<>();
    statuses.stream().filter(s -> RedisAddress.normal(s.redis()).equals(server)).forEach(rows::add);
    StatusRow atStart = null;
    int next = 0;
    while (next < rows.size() && rows.get(next).timeUs() <= fromUs) {
      atStart = rows.get(next++);
    }
    if (atStart == null) {
      StatusRow first = rows.stream().filter(NotificationCoverage::on).findFirst().orElse(null);
      return first == null ? Verdict.OFF : Verdict.notWatched("before the subscription: keyspace notifications of "
          + server + " began at " + KeyRecord.time(first.timeUs()));
    }
    if ("disconnected".equals(atStart.state())) {
      return Verdict.notWatched("inside a gap: the watcher was disconnected from " + server + " at "
          + KeyRecord.time(atStart.timeUs()));
    }
    if (!on(atStart)) {
      return Verdict.OFF;
    }
    String outside = outside(atStart.namespaces(), namespaces);
    if (outside != null) {
      return Verdict.notWatched(outside);
    }
    StatusRow before = atStart;
    for (int i = next; i < rows.size(); i++) {
      StatusRow s = rows.get(i);
      if (s.dropped() != before.dropped() && lost(s.droppedNamespaces(), namespaces)) {
        return Verdict.notWatched("inside a gap: notifications of " + server + " were dropped (over the rate cap or "
            + "with the queue full) between " + KeyRecord.time(before.timeUs()) + " and " + KeyRecord.time(s.timeUs()));
      }
      if (s.timeUs() > toUs) {
        break; // the row after the span: only its drops may fall inside it
      }
      if (!on(s)) {
        return Verdict.notWatched("inside a gap: keyspace notifications of " + server + " were " + s.state() + " at "
            + KeyRecord.time(s.timeUs()));
      }
      String left = outside(s.namespaces(), namespaces);
      if (left != null) {
        return Verdict.notWatched("from " + KeyRecord.time(s.timeUs()) + ", " + left);
      }
      before = s;
    }
    return Verdict.COVERED;
  }

  /** Why keys of {@code namespaces} were outside {@code watched} (the globs recorded); null when inside. */
  private static String outside(String watched, Collection<String> namespaces) {
    if (watched == null || watched.isEmpty()) {
      return "the watcher did not record which namespaces it covered";
    }
    List<String> globs = Arrays.asList(watched.split(","));
    if (globs.contains("*")) {
      return null;
    }
    var pattern = Glob.compileAny(globs);
    for (String n : namespaces) {
      if (n == null || !pattern.matcher(n).matches()) {
        return "namespace " + (n == null ? "(none)" : n) + " is outside the watched namespaces (" + watched
            + "; --keyspace-events-namespaces)";
      }
    }
    return null;
  }

  /** Whether drops named {@code dropped} (null or {@code *}: any) may be of {@code namespaces}. */
  private static boolean lost(String dropped, Collection<String> namespaces) {
    if (dropped == null || dropped.equals("*")) {
      return true;
    }
    List<String> names = Arrays.asList(dropped.split(",", -1));
    return namespaces.isEmpty() || namespaces.stream().anyMatch(n -> names.contains(n == null ? "" : n));
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
   * A note for a record's timeline whose events, from {@code fromUs} to {@code toUs}, notifications did not cover:
   * expiries, evictions and outside changes may then be missing from it. Null when they covered it.
   */
  String gap(Collection<String> redis, Collection<String> namespaces, long fromUs, long toUs) {
    Verdict v = verdict(redis, namespaces, fromUs, toUs);
    if (v.covered()) {
      return null;
    }
    return "Keyspace notifications did not cover all of this record's events (" + (v.off() ? "off, or not sending "
        + "expired and evicted events" : "not watched: " + v.why()) + "): expiries, evictions and changes outside the "
        + "traced services may be missing (" + remedy(v) + ").";
  }

  /** What to change so that notifications cover what {@code v} says they did not. */
  private static String remedy(Verdict v) {
    return !v.off() && v.why().contains("outside the watched namespaces")
        ? "widen --keyspace-events-namespaces, or leave it out to watch every namespace"
        : "turn on with --keyspace-events on";
  }

  /** The words of an unknown cause when notifications were off for the time. */
  static String off() {
    return "unknown (no keyspace notifications for this Redis at that time; turn on with --keyspace-events on)";
  }
}
