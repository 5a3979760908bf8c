package io.memtrace.collector.travel;

import io.memtrace.collector.reader.KeyChange;
import io.memtrace.collector.redis.SnapshotEntry;
import io.memtrace.collector.redis.SnapshotFile;
import io.memtrace.collector.snapshots.NamespaceGlobs;
import io.memtrace.collector.timeline.NotificationCauses;
import io.memtrace.collector.values.CapturedValue;
import io.memtrace.collector.values.ValueChange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rebuilds the keys of some namespaces as they stood at one moment, from a base snapshot (or none) and everything
 * the store holds after it: the captured values ({@code memory.value} events of Redis commands) and the other key
 * changes ({@link KeyChange}: traced deletes and TTL commands, writes whose value was not captured, and Redis's own
 * notifications of expiries, evictions and outside changes). Each key is folded by a {@link KeyFold} in time order;
 * a notification that a traced command accounts for (same key, kind and time window as the timeline pairs them,
 * {@link NotificationCauses}) is that command's, any other is an outside change. Nothing is guessed: a key whose
 * value is not known exactly is counted and named, not written.
 */
public final class Rebuild {

  /** The rebuilt keys present at that moment, sorted by key, and the account. */
  public record Result(List<SnapshotEntry> entries, RebuildAccount account) {
  }

  private Rebuild() {
  }

  /**
   * @param base   the nearest snapshot taken before {@code asOf}, or null
   * @param values the captured values of Redis keys after the base began, before {@code asOf}, oldest first
   * @param changes the other key changes of the same range, oldest first
   */
  public static Result run(SnapshotFile base, Instant asOf, NamespaceGlobs namespaces, List<CapturedValue> values,
      List<KeyChange> changes) {
    long asOfUs = micros(asOf);
    long beganUs = base == null ? Long.MIN_VALUE : micros(base.created());
    long takenUs = base == null ? Long.MIN_VALUE : micros(base.takenAt());
    NamespaceGlobs covered = base == null || base.namespaces().isEmpty() ? null
        : NamespaceGlobs.parse("snapshot", String.join(",", base.namespaces()), io.memtrace.common.NamespaceRule.defaultRule());
    Map<String, String> namespaceOf = new HashMap<>();
    Map<String, List<Step>> steps = new LinkedHashMap<>();
    Map<String, KeyFold> folds = new LinkedHashMap<>();
    if (base != null) {
      for (SnapshotEntry e : base.entries()) {
        String ns = namespaces.namespaceOf(e.key());
        if (namespaces.matches(ns)) {
          folds.put(e.keyText(), KeyFold.of(e, takenUs));
          namespaceOf.put(e.keyText(), ns);
        }
      }
    }
    Map<String, Long> replaceTtl = new HashMap<>();
    Set<String> captured = new HashSet<>();
    for (CapturedValue v : values) {
      if (v.redis() == null || v.redis().isEmpty()) {
        continue; // a memory manager's own value: no Redis key to write
      }
      captured.add(v.traceId() + "/" + v.spanId() + "/" + v.key());
      namespaceOf.putIfAbsent(v.key(), v.namespace());
      steps.computeIfAbsent(v.key(), k -> new ArrayList<>()).add(new Step(micros(v.time()), 0, v, null));
    }
    List<KeyChange> spans = new ArrayList<>();
    boolean notified = false;
    for (KeyChange c : changes) {
      if (c.error()) {
        continue;
      }
      notified |= !c.span();
      namespaceOf.putIfAbsent(c.key(), c.namespace());
      if (c.span()) {
        spans.add(c);
        if (c.ttl() != null && c.kind().equals("write")) {
          replaceTtl.put(c.traceId() + "/" + c.spanId() + "/" + c.key(), c.ttl());
        }
      }
    }
    Set<KeyChange> paired = pairNotifications(changes, spans);
    for (KeyChange c : changes) {
      if (!c.error() && !paired.contains(c)) {
        steps.computeIfAbsent(c.key(), k -> new ArrayList<>()).add(new Step(c.endUs(), c.span() ? 1 : 2, null, c));
      }
    }
    for (String key : steps.keySet()) {
      folds.computeIfAbsent(key, k -> missing(k, base, covered, namespaceOf.get(k)));
    }
    RebuildAccount account = new RebuildAccount();
    List<SnapshotEntry> entries = new ArrayList<>();
    for (KeyFold fold : folds.values()) {
      List<Step> keySteps = steps.getOrDefault(fold.key, new ArrayList<>());
      keySteps.sort(Comparator.comparingLong(Step::timeUs).thenComparingInt(Step::order));
      for (Step s : keySteps) {
        if (s.timeUs < beganUs || s.timeUs >= asOfUs) {
          continue;
        }
        fold.expireBy(s.timeUs);
        if (s.value != null) {
          Long ttl = replaceTtl.get(s.value.traceId() + "/" + s.value.spanId() + "/" + s.value.key());
          fold.apply(s.value, ttl != null && ttl > 0 ? s.timeUs + ttl * 1_000_000 : null, s.timeUs <= takenUs);
        } else {
          change(fold, s.change, captured);
        }
      }
      String ns = namespaceOf.get(fold.key);
      if (!fold.known()) {
        account.gap(ns, fold);
      } else if (fold.existsAt(asOfUs)) {
        account.exact(ns);
        entries.add(fold.entryAt(asOfUs));
      } else {
        account.absent(ns);
      }
    }
    if (!notified) {
      account.note("no keyspace notification was recorded in this range (serve --watch-redis URL --keyspace-events "
          + "on records them): expiries, evictions and changes made outside the traced services are not known");
    }
    if (base == null) {
      account.note("no snapshot was taken before that moment: only keys whose whole value a captured write set are "
          + "rebuilt");
    }
    entries.sort(Comparator.comparing(SnapshotEntry::keyText));
    return new Result(entries, account);
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

  private static void change(KeyFold fold, KeyChange c, Set<String> captured) {
    switch (c.kind()) {
      case "write" -> {
        if (c.span() && !captured.contains(c.traceId() + "/" + c.spanId() + "/" + c.key())) {
          fold.unknown(KeyFold.Gap.NOT_CAPTURED, KeyFold.describe(c));
        } else if (!c.span()) {
          fold.unknown(KeyFold.Gap.OUTSIDE, KeyFold.describe(c));
        }
      }
      case "delete", "expiry", "eviction" -> fold.removed();
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

  /**
   * The notifications a traced command accounts for: one of each kind per command, of its key, from
   * {@link NotificationCauses#BEFORE_US} before it began to {@link NotificationCauses#AFTER_US} after it ended,
   * the nearest first.
   */
  private static Set<KeyChange> pairNotifications(List<KeyChange> changes, List<KeyChange> spans) {
    Map<String, List<KeyChange>> spansOfKey = new HashMap<>();
    spans.forEach(s -> spansOfKey.computeIfAbsent(s.key(), k -> new ArrayList<>()).add(s));
    Set<String> used = new HashSet<>();
    Set<KeyChange> paired = new HashSet<>();
    for (KeyChange n : changes) {
      if (n.span() || n.kind().equals("expiry") || n.kind().equals("eviction")) {
        continue;
      }
      KeyChange best = null;
      for (KeyChange s : spansOfKey.getOrDefault(n.key(), List.of())) {
        if (s.db() == n.db() && compatible(s, n.kind()) && n.timeUs() >= s.timeUs() - NotificationCauses.BEFORE_US
            && n.timeUs() <= s.endUs() + NotificationCauses.AFTER_US
            && !used.contains(s.traceId() + "/" + s.spanId() + "/" + n.kind())
            && (best == null || Math.abs(n.timeUs() - s.endUs()) < Math.abs(n.timeUs() - best.endUs()))) {
          best = s;
        }
      }
      if (best != null) {
        used.add(best.traceId() + "/" + best.spanId() + "/" + n.kind());
        paired.add(n);
      }
    }
    return paired;
  }

  private static boolean compatible(KeyChange span, String kind) {
    return switch (span.kind()) {
      case "ttl" -> kind.equals("ttl") || kind.equals("delete");
      case "write" -> kind.equals("write") || kind.equals("ttl");
      case "delete" -> kind.equals("delete");
      default -> false;
    };
  }

  static long micros(Instant t) {
    return t.getEpochSecond() * 1_000_000 + t.getNano() / 1_000;
  }

  /** One thing that happened to a key: a captured value (order 0), a traced command (1) or a notification (2). */
  private record Step(long timeUs, int order, CapturedValue value, KeyChange change) {
  }
}
