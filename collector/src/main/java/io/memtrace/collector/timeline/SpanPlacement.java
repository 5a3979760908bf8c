package io.memtrace.collector.timeline;

import io.memtrace.collector.timeline.RecordRows.NotificationRow;
import io.memtrace.collector.timeline.RecordRows.SpanRow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which database a Redis command ran in when its span does not say (Node's ioredis instrumentation names none): the
 * database of the keyspace notifications it may account for, when that is clear, and otherwise none, with the
 * changes it may have made unknown rather than outside.
 */
final class SpanPlacement {

  private SpanPlacement() {
  }

  /**
   * The spans, each Redis command that names no database (Node's ioredis instrumentation puts none on its spans) given
   * the database of the keyspace notifications it may account for ({@link NotificationCauses#accountsFor}), when they
   * are all of one database: the span's own change then shows in the record of the key it changed, not as a change
   * outside the traced services. A notification that a command naming its database accounts for, the nearest of its
   * kind to that command, is that command's and does not count here: a traced SET of the key in another database
   * 200 ms before a Node SET left the Node span with two databases, and its own change was then called outside. With
   * no such notification, or several databases among them, it keeps none (database 0, as the {@code lineage} view
   * places it).
   */
  static List<SpanRow> placed(List<SpanRow> spans, List<NotificationRow> notifications) {
    if (spans.stream().noneMatch(SpanPlacement::unplaced)) {
      return spans;
    }
    Set<NotificationRow> claimed = claimed(spans, notifications);
    List<SpanRow> placed = new ArrayList<>(spans.size());
    for (SpanRow s : spans) {
      Set<Integer> dbs = new HashSet<>();
      Set<Integer> unclaimed = new HashSet<>();
      if (unplaced(s)) {
        for (NotificationRow n : notifications) {
          if (NotificationCauses.accountsFor(s, n)) {
            dbs.add(n.db());
            if (!claimed.contains(n)) {
              unclaimed.add(n.db());
            }
          }
        }
      }
      Set<Integer> of = unclaimed.size() == 1 ? unclaimed : dbs.size() <= 1 ? dbs : after(s, notifications, claimed);
      placed.add(of.size() != 1 ? s : new SpanRow(s.timeUs(), s.endUs(), s.traceId(), s.spanId(), s.parentSpanId(),
          s.service(), s.layer(), s.redis(), of.iterator().next(), s.key(), s.namespace(), s.access(), s.operation(),
          s.found(), s.valueSize(), s.ttl(), s.error()));
    }
    return placed;
  }

  /**
   * The databases of the unclaimed notifications that {@code s} may account for, received after it began: on one
   * host a command's own notification cannot come before the command, and one received before it is an earlier
   * change's (an untraced SET of the key in another database a few milliseconds before a Node SET). Several databases
   * there too leave the span unplaced, and the changes it may have made unknown ({@link #unsure}).
   */
  private static Set<Integer> after(SpanRow s, List<NotificationRow> notifications, Set<NotificationRow> claimed) {
    Set<Integer> dbs = new HashSet<>();
    for (NotificationRow n : notifications) {
      if (!claimed.contains(n) && n.timeUs() >= s.timeUs() && NotificationCauses.accountsFor(s, n)) {
        dbs.add(n.db());
      }
    }
    return dbs;
  }

  /**
   * {@code d}, a change only notifications know of, made unknown when a command whose span names no database and that
   * {@link #placed} could not place may have made it: it is that command's or an outside one, and which is not known.
   */
  static Draft unsure(Draft d, List<SpanRow> spans) {
    if (!"outside".equals(d.by)) {
      return d;
    }
    for (SpanRow s : spans) {
      if (unplaced(s) && NotificationCauses.accountsFor(s, d.notification)) {
        d.by = "unknown";
        d.maybe = s.operation() + " by " + s.service() + " (trace " + s.traceId() + "), whose span names no database";
        d.unsure = "it may be the change of " + d.maybe + " and which notifications of several databases may account "
            + "for";
        d.cause = "unknown: " + d.unsure;
        return d;
      }
    }
    return d;
  }

  /**
   * Whether {@code n} is surely not {@code s}'s: another command of its key and database that began after {@code s}
   * ended had its own event received before {@code n} ({@code firstOwn}: each such span's first, received after it
   * began), and Redis sends its events in the order it ran the commands ({@link PairingOrder#inRedisOrder}, which
   * unpairs it later). A PEXPIRE that found no key claimed a Node DEL's del, received after a SET of the key that began
   * after the PEXPIRE; the DEL was then placed by another database's del, and its own was called outside (seed 21163).
   */
  private static boolean overtaken(SpanRow s, NotificationRow n, Map<SpanRow, Long> firstOwn) {
    for (Map.Entry<SpanRow, Long> e : firstOwn.entrySet()) {
      SpanRow t = e.getKey();
      if (t != s && t.db().equals(s.db()) && n.key().equals(t.key())
          && t.timeUs() > s.endUs() + PairingOrder.ORDER_MARGIN_US && e.getValue() < n.timeUs()) {
        return true;
      }
    }
    return false;
  }

  /** For each Redis command naming its database, the first notification it may account for received after it began. */
  private static Map<SpanRow, Long> firstOwn(List<SpanRow> spans, List<NotificationRow> notifications) {
    Map<SpanRow, Long> first = new HashMap<>();
    for (SpanRow t : spans) {
      if (t.memory() || t.db() == null || t.key() == null) {
        continue;
      }
      for (NotificationRow m : notifications) {
        if (m.db() == t.db() && m.timeUs() >= t.timeUs() && NotificationCauses.accountsFor(t, m)) {
          first.merge(t, m.timeUs(), Math::min);
        }
      }
    }
    return first;
  }

  /** A Redis command of a key whose span names no database. */
  private static boolean unplaced(SpanRow s) {
    return !s.memory() && s.db() == null && s.key() != null;
  }

  /**
   * The notifications that the Redis commands naming their database account for: for each such command and kind, the
   * one of its database nearest its end, as {@link NotificationCauses#accountFor} pairs them.
   */
  private static Set<NotificationRow> claimed(List<SpanRow> spans, List<NotificationRow> notifications) {
    Set<NotificationRow> claimed = new HashSet<>();
    Map<SpanRow, Long> firstOwn = firstOwn(spans, notifications);
    for (SpanRow s : spans) {
      if (s.memory() || s.db() == null || s.key() == null) {
        continue;
      }
      Map<String, NotificationRow> nearest = new HashMap<>();
      for (NotificationRow n : notifications) {
        if (n.db() == s.db() && NotificationCauses.accountsFor(s, n) && !overtaken(s, n, firstOwn)) {
          nearest.merge(n.kind(), n, (a, b) -> Math.abs(b.timeUs() - s.endUs()) < Math.abs(a.timeUs() - s.endUs())
              ? b : a);
        }
      }
      if (PairingOrder.script(s)) {
        // a script's span does not say what it did: it claims only the events received with the one nearest it
        // (Redis runs it whole). An EVAL that wrote the key claimed a Node DEL's del 3.7 ms after it, and the DEL was
        // placed by the scenario's clearing DEL in the other database (truth suite seed 39587)
        long at = nearest.values().stream().mapToLong(NotificationRow::timeUs)
            .reduce((a, b) -> Math.abs(a - s.endUs()) <= Math.abs(b - s.endUs()) ? a : b).orElse(0);
        nearest.values().removeIf(n -> Math.abs(n.timeUs() - at) > PairingOrder.SCRIPT_BURST_US);
      }
      claimed.addAll(nearest.values());
    }
    return claimed;
  }
}
