package io.memtrace.collector.timeline;

import io.memtrace.collector.reader.KeyTimeline;
import io.memtrace.collector.timeline.RecordRows.NotificationRow;
import io.memtrace.collector.timeline.RecordRows.SpanRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** One event of a record while {@link KeyRecord} assembles it: its span or notification, and what is found out. */
final class Draft {

  final SpanRow span;
  final NotificationRow notification;
  /** Which record the event belongs to: a memory store and key, or a Redis, database and key. */
  final String record;
  final long timeUs;
  final long endUs;
  String what;
  String by;
  String cause;
  String operation;
  String redis;
  Integer db;
  Long ttlAsked;
  Long ttlGot;
  String ttlGotState;
  final List<String> notified = new ArrayList<>();
  KeyTimeline.Ref writer;
  final List<KeyTimeline.Ref> readBy = new ArrayList<>();
  String reason;
  String reasonKind;
  /** A notification of a key that arrived by a RENAME, COPY or MOVE of another ({@code by} unknown). */
  boolean moved;
  /** Why a change only notifications know of is {@code by} unknown, other than compressed spans; or null. */
  String unsure;
  /** For such a change, the traced command that may have made it, in words; or null. */
  String maybe;
  /** A read that also removed the key as it ended: a GETDEL that found it. */
  boolean alsoDeletes;
  /** For a SWAPDB ({@link WholeDatabase}): whether its span named the two databases it exchanged. */
  boolean swapped;
  /**
   * For a read whose answer names a traced command on a whole database as certain (a FLUSHDB's delete, a value a SWAPDB
   * brought where the change before it had removed the key): that change before it, on which the answer rests too. An
   * untraced such command after it makes the answer unknown ({@link UntracedWholeDatabase}); null otherwise.
   */
  Draft restsOn;
  /**
   * A Redis delete whose span records no reply (Node's ioredis names no database and no count): whether it removed
   * anything is known only from the del it is paired with.
   */
  boolean noReply;
  /**
   * For a span, when the first notification it accounts for of the kind of what it did was received (else of any
   * kind: {@code KeyRecord}); null when it accounts for none.
   */
  Long noticedUs;
  /**
   * Where the event stands among its record's changes by the clocks: when its span began, or its notification was
   * received; for an expiry or eviction received after a write began but before the write's own event, just before
   * that write ({@link KeyRecord}: Redis sends its events in the order it ran the commands).
   */
  long placeUs;

  Draft(SpanRow span, String record) {
    this.span = span;
    this.notification = null;
    this.record = record;
    this.timeUs = span.timeUs();
    this.placeUs = timeUs;
    this.endUs = span.endUs();
    this.operation = span.operation();
    this.redis = span.redis();
    this.db = span.db();
    this.by = "trace";
  }

  Draft(NotificationRow notification, String record) {
    this.span = null;
    this.notification = notification;
    this.record = record;
    this.timeUs = notification.timeUs();
    this.placeUs = timeUs;
    this.endUs = notification.timeUs();
    this.operation = notification.event();
    this.redis = notification.redis();
    this.db = notification.db();
  }

  /** A span's event: what it did to the record, which TTL it asked for, and what caused it. */
  static Draft ofSpan(SpanRow s, String record) {
    Draft d = new Draft(s, record);
    d.what = KeyRecord.ttlCommand(s) ? "ttl" : switch (String.valueOf(s.access())) {
      case "read" -> Boolean.FALSE.equals(s.found()) ? "read_nothing" : "read";
      case "write", "delete" -> s.access();
      default -> "other";
    };
    d.alsoDeletes = Boolean.TRUE.equals(s.found())
        && NotificationCauses.READ_DELETES.contains(String.valueOf(s.operation()).toUpperCase(Locale.ROOT));
    d.ttlAsked = s.ttl() != null && s.ttl() > 0 ? s.ttl() : null;
    d.cause = s.operation() + " by " + s.service() + " (trace " + s.traceId() + ")" + (s.error() ? ", failed" : "");
    return d;
  }

  /** The Redis commands a memory call's span issued: their names beside its operation, and the TTL they gave the key. */
  void foldCommands(List<SpanRow> commands) {
    if (!commands.isEmpty()) {
      operation = span.operation() + " (" + String.join(", ", commands.stream().map(SpanRow::operation).toList()) + ")";
      redis = commands.get(0).redis();
      db = commands.get(0).database();
    }
    if (!what.equals("write")) {
      return;
    }
    SpanRow last = null;
    for (SpanRow c : commands) {
      if (!c.error() && (KeyRecord.ttlCommand(c) || "write".equals(c.access()))) {
        last = c;
      }
    }
    if (commands.isEmpty()) {
      ttlGotState = ttlAsked == null ? null : "unknown";
    } else if (last != null && last.ttl() != null && last.ttl() > 0 && !"PERSIST".equalsIgnoreCase(last.operation())) {
      ttlGot = last.ttl();
      ttlGotState = "set";
    } else if (last != null && KeyRecord.ttlCommand(last) && !"PERSIST".equalsIgnoreCase(last.operation())) {
      ttlGotState = "unknown";
    } else {
      ttlGotState = ttlAsked == null ? null : "none";
    }
  }

  /** A write or delete that a traced service made and Redis did not refuse: what a read can see. */
  boolean tracedChange() {
    return span != null && !span.error() && (what.equals("write") || what.equals("delete") || alsoDeletes);
  }

  /** A traced delete, or a read that also removed the key. */
  boolean deletes() {
    return what.equals("delete") || alsoDeletes;
  }

  /**
   * Where the change stands among its record's changes: when Redis's notification of it was received, if any, else
   * when its span ended. Redis publishes its events in the order it ran the commands, on one connection, so their
   * order is the order of the changes, where the spans' own clocks (another process's, another host's) may disagree
   * by more than the few milliseconds between two commands.
   */
  long orderUs() {
    return span == null ? timeUs : noticedUs != null ? noticedUs : endUs;
  }

  /**
   * Whether {@code a} came after (or with) {@code b}: by their notifications' order, which is Redis's, where it has
   * them; a command on a whole database has none, so against one, by when each began (a notification: was received,
   * or {@link #placeUs}).
   */
  static boolean later(Draft a, Draft b) {
    return WholeDatabase.is(a) || WholeDatabase.is(b) ? a.placeUs >= b.placeUs : a.orderUs() >= b.orderUs();
  }

  boolean read() {
    return span != null && (what.equals("read") || what.equals("read_nothing"));
  }

  /**
   * A change a read can see: a traced write or delete, a command on the whole database, or a change keyspace
   * notifications report without a span.
   */
  boolean change() {
    return tracedChange() || WholeDatabase.is(this)
        || span == null && List.of("write", "delete", "expiry", "eviction").contains(what);
  }

  KeyTimeline.Ref ref() {
    return span == null ? new KeyTimeline.Ref(null, null, timeUs, null, by, what, maybe)
        : new KeyTimeline.Ref(span.traceId(), span.spanId(), span.timeUs(), span.service(), "trace", what, null);
  }

  KeyTimeline.Event event() {
    String key = span != null ? span.key() : notification.key();
    String namespace = span != null ? span.namespace() : notification.namespace();
    return new KeyTimeline.Event(timeUs, what, by, cause, span != null ? span.layer() : "redis", operation,
        span == null ? null : span.service(), span == null ? null : span.traceId(), span == null ? null : span.spanId(),
        redis, db, key, namespace, span == null ? null : span.valueSize(), ttlAsked, ttlGot, ttlGotState, notified,
        writer, readBy, reason, reasonKind);
  }
}
