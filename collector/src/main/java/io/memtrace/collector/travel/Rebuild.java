package io.memtrace.collector.travel;

import io.memtrace.collector.reader.KeyChange;
import io.memtrace.collector.redis.SnapshotEntry;
import io.memtrace.collector.redis.SnapshotFile;
import io.memtrace.collector.snapshots.NamespaceGlobs;
import io.memtrace.collector.timeline.NotificationCauses;
import io.memtrace.collector.timeline.NotificationCoverage;
import io.memtrace.collector.timeline.RecordRows;
import io.memtrace.collector.values.CapturedValue;
import io.memtrace.collector.values.ValueChange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rebuilds the keys of some namespaces as they stood at one moment, from a base snapshot (or none) and everything
 * the store holds after it: the captured values ({@code memory.value} events of Redis commands) and the other key
 * changes ({@link KeyChange}: traced deletes and TTL commands, writes whose value was not captured, and Redis's own
 * notifications of expiries, evictions and outside changes). Each key's {@link KeyHistory} is folded by a
 * {@link KeyFold} in time order; a notification that a traced command accounts for (same key, kind and time window
 * as the timeline pairs them, {@link NotificationCauses}) is that command's, any other is an outside change. Nothing
 * is guessed: a key whose value is not known exactly is counted and named, not written.
 */
public final class Rebuild {

  /** The rebuilt keys present at that moment, sorted by key, and the account. */
  public record Result(List<SnapshotEntry> entries, RebuildAccount account) {
  }

  /** The commands that remove the whole key (a notification's {@code del} does too). */
  static final Set<String> KEY_DELETES = NotificationCauses.KEY_DELETES;

  private Rebuild() {
  }

  /**
   * @param base   the nearest snapshot taken before {@code asOf}, or null
   * @param values the captured values of Redis keys after the base began, before {@code asOf}, oldest first
   * @param changes the other key changes of the same range
   */
  public static Result run(SnapshotFile base, Instant asOf, NamespaceGlobs namespaces, List<CapturedValue> values,
      List<KeyChange> changes) {
    return run(base, asOf, namespaces, values, changes, null);
  }

  /**
   * {@link #run(SnapshotFile, Instant, NamespaceGlobs, List, List)}, saying for each namespace whether keyspace
   * notifications covered it from the base (or the first change) to the moment, from {@code coverage} (the store's
   * status rows; null: not asked): where they did not, it is "not watched", and why.
   */
  public static Result run(SnapshotFile base, Instant asOf, NamespaceGlobs namespaces, List<CapturedValue> values,
      List<KeyChange> changes, List<RecordRows.StatusRow> coverage) {
    long asOfUs = micros(asOf);
    long beganUs = base == null ? Long.MIN_VALUE : micros(base.created());
    long takenUs = base == null ? Long.MIN_VALUE : micros(base.takenAt());
    NamespaceGlobs covered = base == null || base.namespaces().isEmpty() ? null
        : NamespaceGlobs.parse("snapshot", String.join(",", base.namespaces()), io.memtrace.common.NamespaceRule.defaultRule());
    Map<String, KeyHistory> rows = new LinkedHashMap<>();
    if (base != null) {
      for (SnapshotEntry e : base.entries()) {
        String ns = namespaces.namespaceOf(e.key());
        if (namespaces.matches(ns)) {
          KeyHistory r = new KeyHistory(ns);
          r.fold = KeyFold.of(e, takenUs);
          rows.put(e.keyText(), r);
        }
      }
    }
    for (CapturedValue v : values) {
      if (v.redis() != null && !v.redis().isEmpty()) { // a memory manager's own value has no Redis key to write
        rows.computeIfAbsent(v.key(), k -> new KeyHistory(v.namespace())).values.add(v);
      }
    }
    boolean notified = false;
    for (KeyChange c : changes) {
      if (!c.error()) {
        notified |= !c.span();
        rows.computeIfAbsent(c.key(), k -> new KeyHistory(c.namespace())).changes.add(c);
      }
    }
    RebuildAccount account = new RebuildAccount();
    List<SnapshotEntry> entries = new ArrayList<>();
    for (Map.Entry<String, KeyHistory> entry : rows.entrySet()) {
      KeyHistory r = entry.getValue();
      KeyFold fold = r.fold != null ? r.fold : missing(entry.getKey(), base, covered, r.namespace);
      for (KeyHistory.Step s : r.steps()) {
        if (s.timeUs() < beganUs || s.timeUs() >= asOfUs) {
          continue;
        }
        fold.expireBy(s.timeUs());
        if (s.value() != null) {
          Long expires = s.ttl() != null && s.ttl() > 0 ? s.timeUs() + s.ttl() * 1_000_000 : null;
          fold.apply(s.value(), expires, s.timeUs() <= takenUs);
        } else {
          change(fold, s.change());
        }
      }
      String ns = r.namespace;
      if (!fold.known()) {
        account.gap(ns, fold);
      } else if (fold.existsAt(asOfUs)) {
        account.exact(ns);
        entries.add(fold.entryAt(asOfUs));
      } else {
        account.absent(ns);
      }
    }
    if (coverage != null && !coverage.isEmpty()) {
      long fromUs = base != null ? beganUs : Math.min(asOfUs, first(values, changes));
      watched(account, new NotificationCoverage(coverage), rows, changes, fromUs, asOfUs);
    } else if (!notified) {
      account.note("no keyspace notification of these namespaces was recorded in this range: none happened, or "
          + "notifications were off (serve --watch-redis URL --keyspace-events on records them), and then expiries, "
          + "evictions and changes made outside the traced services are not known");
    }
    if (base == null) {
      account.note("no snapshot was taken before that moment: only keys whose whole value a captured write set are "
          + "rebuilt");
    }
    entries.sort(Comparator.comparing(SnapshotEntry::keyText));
    return new Result(entries, account);
  }

  /**
   * A note for each namespace rebuilt that keyspace notifications did not cover from {@code fromUs} to {@code toUs}
   * on the Redis servers the changes name (any the status rows name, when none does): its expiries, evictions and
   * outside changes are not known.
   */
  private static void watched(RebuildAccount account, NotificationCoverage coverage, Map<String, KeyHistory> rows,
      List<KeyChange> changes, long fromUs, long toUs) {
    Set<String> redis = new HashSet<>();
    changes.stream().map(KeyChange::redis).filter(r -> r != null && !r.isEmpty()).forEach(redis::add);
    Set<String> seen = new HashSet<>();
    for (KeyHistory r : rows.values()) {
      if (!seen.add(String.valueOf(r.namespace))) {
        continue;
      }
      NotificationCoverage.Verdict v = coverage.verdict(redis, java.util.Collections.singletonList(r.namespace),
          fromUs, toUs);
      if (!v.covered()) {
        account.note("namespace " + r.namespace + ": " + (v.off() ? "no keyspace notifications for this Redis then"
            : "not watched (" + v.why() + ")") + ": its expiries, evictions and changes made outside the traced "
            + "services in this range are not known, and keys rebuilt from the writes alone may differ");
      }
    }
  }

  /** The time of the first captured value or change, in epoch microseconds; {@code Long.MAX_VALUE} when none. */
  private static long first(List<CapturedValue> values, List<KeyChange> changes) {
    long first = Long.MAX_VALUE;
    for (CapturedValue v : values) {
      first = Math.min(first, micros(v.time()));
    }
    for (KeyChange c : changes) {
      first = Math.min(first, c.timeUs());
    }
    return first;
  }

  private static KeyFold missing(String key, SnapshotFile base, NamespaceGlobs covered, String namespace) {
    if (base == null || covered != null && !covered.matches(namespace)) {
      return KeyFold.missing(key, KeyFold.Gap.NO_BASE, null);
    }
    if (base.skippedKeys().contains(key)) {
      return KeyFold.missing(key, KeyFold.Gap.NOT_IN_SNAPSHOT, null);
    }
    if (base.skipped() > base.skippedKeys().size()) {
      return KeyFold.missing(key, KeyFold.Gap.NOT_IN_SNAPSHOT, "the snapshot skipped " + base.skipped()
          + " keys, not all by name");
    }
    return KeyFold.missing(key, null, null);
  }

  /** A change other than a captured value: a traced write here is one whose value was not captured. */
  private static void change(KeyFold fold, KeyChange c) {
    switch (c.kind()) {
      case "write" -> fold.unknown(c.span() ? KeyFold.Gap.NOT_CAPTURED : KeyFold.Gap.OUTSIDE, KeyFold.describe(c));
      case "delete" -> {
        // the command overlay calls removing elements (HDEL, SREM, LTRIM) a delete too: only these remove the key
        if (!c.span() || KEY_DELETES.contains(c.event().toUpperCase(java.util.Locale.ROOT))) {
          fold.removed();
        } else {
          fold.unknown(KeyFold.Gap.NOT_CAPTURED, KeyFold.describe(c));
        }
      }
      case "expiry", "eviction" -> fold.removed();
      case "ttl" -> {
        if (!c.span()) {
          fold.unknown(KeyFold.Gap.OUTSIDE, "TTL changed, " + KeyFold.describe(c));
        } else if ("PERSIST".equalsIgnoreCase(c.event())) {
          fold.ttl(c.endUs(), null, true);
        } else if (c.ttl() == null) {
          fold.unknown(KeyFold.Gap.TTL_UNKNOWN, KeyFold.describe(c));
        } else {
          fold.ttl(c.endUs(), c.ttl(), false);
        }
      }
      default -> {
        // other accesses (TOUCH, OBJECT, ...) change nothing a rebuild keeps
      }
    }
  }

  static long micros(Instant t) {
    return t.getEpochSecond() * 1_000_000 + t.getNano() / 1_000;
  }
}
