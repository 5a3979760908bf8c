package io.memtrace.collector.timeline;

import io.memtrace.collector.lineage.CommandAccess;
import io.memtrace.collector.timeline.RecordRows.CompressedRow;
import io.memtrace.collector.timeline.RecordRows.NotificationRow;
import io.memtrace.collector.timeline.RecordRows.SpanRow;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who made the change a keyspace notification reports: Redis itself (an expiry or an eviction), a traced service
 * (the stored span that accounts for it), retention's compressed spans (unknown), or someone outside the traced
 * services.
 *
 * <p>A write, delete or TTL notification is "changed outside the traced services" when no stored span of the same key,
 * Redis and database accounts for it: a span accounts for at most one notification of each kind, received from
 * {@link #BEFORE_US} before the span began to {@link #AFTER_US} after it ended. Redis publishes a notification while
 * it runs the command, so between the client span's start and end; the watcher stamps it when received, later by
 * the pub/sub delivery and its own queue (milliseconds, more on a busy host), and the two hosts' clocks may differ
 * by NTP's error (well under the quarter second before). Pairing one to one keeps a second, untraced change right after
 * a traced one from being taken for it. When retention compressed Redis spans of the namespace at that time, the
 * notification's cause is unknown rather than outside.
 */
public final class NotificationCauses {

  public static final long BEFORE_US = 250_000;
  public static final long AFTER_US = 1_000_000;

  private NotificationCauses() {
  }

  /**
   * For each of {@code notifications} (the record's, in the order received), the event of the stored span that
   * accounts for it, or null: for a write, delete or TTL notification, a Redis command of its key, Redis and database
   * in the window, or, when a memory call of the key has no command stored, that call. Each span pairs with one
   * notification of each kind, the nearest pairs first: taken in the order received, a notification of an untraced
   * change just before a traced one took that span, and the span's own notification was then called outside. In
   * {@code open}, the notifications left to no span that may yet be the own change of the span they map to
   * ({@link #whileRan}, {@link #afterOthers}); {@code noReply} holds the spans ({@code trace/span}) that record no reply,
   * so a DEL of theirs may have removed nothing.
   */
  static Draft[] accountFor(List<NotificationRow> notifications, String key, Map<SpanRow, Draft> ofSpan,
      Map<SpanRow, List<SpanRow>> children, Map<Integer, SpanRow> open, Set<String> noReply) {
    record Candidate(int notification, SpanRow span, long distance) {
    }
    List<Candidate> candidates = new java.util.ArrayList<>();
    for (int i = 0; i < notifications.size(); i++) {
      NotificationRow n = notifications.get(i);
      if (n.kind().equals("expiry") || n.kind().equals("eviction")) {
        continue;
      }
      for (SpanRow s : ofSpan.keySet()) {
        boolean candidate = may(s, n, key, children);
        // a TTL command deletes the key only with a TTL of 0 or less: a del received before it began is an earlier
        // command's (the truth suite: an untraced DEL, then a PEXPIRE that found no key), not its own
        boolean earlierDelete = !s.memory() && KeyRecord.ttlCommand(s) && n.kind().equals("delete")
            && n.timeUs() < s.timeUs();
        if (candidate && !earlierDelete && !s.error() && n.timeUs() >= s.timeUs() - BEFORE_US
            && n.timeUs() <= s.endUs() + AFTER_US) {
          candidates.add(new Candidate(i, s, Math.abs(n.timeUs() - s.endUs())));
        }
      }
    }
    // one order for every store: a command that surely made a change of that kind before a script that may have
    // (a traced DEL's del, received with an FCALL's set just before it, nearer the FCALL's end, was the FCALL's), then
    // by distance, the notification's place in time, the span
    candidates.sort(java.util.Comparator.comparingInt((Candidate c) -> PairingOrder.script(c.span()) ? 1 : 0)
        .thenComparingLong(Candidate::distance).thenComparingInt(Candidate::notification)
        .thenComparing(c -> c.span().traceId() + "/" + c.span().spanId()));
    SpanRow[] pairedWith = new SpanRow[notifications.size()];
    Set<String> paired = new java.util.HashSet<>();
    for (Candidate c : candidates) {
      String pairing = c.span().traceId() + "/" + c.span().spanId() + "/"
          + pairedKind(c.span(), notifications.get(c.notification()).kind());
      if (pairedWith[c.notification()] == null && !paired.contains(pairing)) {
        paired.add(pairing);
        pairedWith[c.notification()] = c.span();
      }
    }
    PairingOrder.inOrder(notifications, pairedWith);
    PairingOrder.acrossServices(notifications, pairedWith);
    PairingOrder.burstOnly(notifications, pairedWith);
    PairingOrder.inRedisOrder(notifications, pairedWith);
    whileRan(notifications, pairedWith, key, ofSpan, children, open);
    afterOthers(notifications, pairedWith, open, noReply);
    together(notifications, pairedWith, key, children, open);
    Draft[] accounted = new Draft[notifications.size()];
    for (int i = 0; i < accounted.length; i++) {
      accounted[i] = pairedWith[i] == null ? null : ofSpan.get(pairedWith[i]);
    }
    return accounted;
  }

  /**
   * A span paired with a notification received after it ended, while one of the same kind it may account for,
   * received while it ran, is left to no span: Redis sends a command's events as it runs it, before the reply that
   * ends the span, so that one may be its own, and the later one another command's that ran after it. Nearest its end
   * first took the later one when the span's end came late on a busy host: a traced SET (or EVAL) took the set of
   * an untraced SET after it, the SET's own set was called outside before it, and the read after both named the
   * traced SET (truth suite seeds 31033 and 32328). Which of the two is its own is open: the span takes the one
   * received while it ran, and the later one goes to {@code open}, a change whose author is unknown, so that a read
   * after it says so rather than naming either.
   */
  private static void whileRan(List<NotificationRow> notifications, SpanRow[] pairedWith, String key,
      Map<SpanRow, Draft> ofSpan, Map<SpanRow, List<SpanRow>> children, Map<Integer, SpanRow> open) {
    for (int c = 0; c < pairedWith.length; c++) {
      SpanRow s = pairedWith[c];
      NotificationRow late = notifications.get(c);
      if (s == null || late.timeUs() <= s.endUs()) {
        continue;
      }
      for (int i = 0; i < notifications.size(); i++) {
        NotificationRow n = notifications.get(i);
        if (pairedWith[i] == null && !open.containsKey(i) && n.kind().equals(late.kind()) && n.db() == late.db()
            && n.timeUs() >= s.timeUs() && n.timeUs() <= s.endUs() && ofSpan.containsKey(s) && !s.error()
            && may(s, n, key, children)) {
          pairedWith[i] = s;
          pairedWith[c] = null;
          open.put(c, s);
          break;
        }
      }
    }
  }

  /**
   * A span that may have made no change of a notification's kind (a script, a DEL or UNLINK whose span records no
   * reply, a TTL command's delete) paired with one received after it ended, while another change of the key was
   * received between its end and that one: a change no span accounts for, or one of a span that began after it ended.
   * Redis sends a command's events before its reply, and in the order it ran the commands: the later one is the span's
   * only if the one between was received late from a command before it, else the span made no change of that kind.
   * Nearest first, a Node DEL (no reply) took an untraced DEL's del received 21 ms after it ended and 1 ms after an
   * untraced SET's set, and the read after both said Redis reported no delete (truth suite seeds 31417, 35227: a
   * MULTI's set between). Which it is is open: the later one goes to {@code open}, a change whose author is unknown.
   */
  private static void afterOthers(List<NotificationRow> notifications, SpanRow[] pairedWith,
      Map<Integer, SpanRow> open, Set<String> noReply) {
    for (int c = 0; c < pairedWith.length; c++) {
      SpanRow s = pairedWith[c];
      NotificationRow late = notifications.get(c);
      if (s == null || late.timeUs() <= s.endUs() || !mayHaveMadeNone(s, late.kind(), noReply)) {
        continue;
      }
      for (int i = 0; i < c; i++) {
        NotificationRow n = notifications.get(i);
        SpanRow other = pairedWith[i];
        if (n.timeUs() > s.endUs() && n.timeUs() < late.timeUs() && n.db() == late.db() && n.key().equals(late.key())
            && !n.kind().equals("expiry") && !n.kind().equals("eviction") && other != s
            && (other == null || other.timeUs() > s.endUs())) {
          pairedWith[c] = null;
          open.put(c, s);
          break;
        }
      }
    }
  }

  /**
   * How soon after a span's notification, received after the span ended, another of its kind is received together
   * with it: a busy watcher receives a backlog of events at once.
   */
  static final long TOGETHER_US = 1_000;

  /**
   * A notification received together with ({@link #TOGETHER_US}) and after one of its kind that a span took though
   * received after that span ended: either may be the span's own, so who made the later one is unknown
   * ({@code open}). Left to no span, it may be this span's own, the other an earlier command's received late or a later
   * one's: nearest its end, a traced SET took an untraced SET's set received late, just before its own, and the read
   * after both said it saw a change outside the traced services (truth suite seeds 34684, 35327: a pipeline's SET).
   * Taken by a span of another service that had also ended, the two may be crossed, no one clock ordering the two
   * spans: a Node SET, then a traced pipeline's SET 0.9 ms after it by the two clocks; both sets were received 0.2 ms
   * after the pipeline ended, 12 us apart, the Node SET took the later one, and the read after both named the Node SET
   * (seed 39716).
   */
  private static void together(List<NotificationRow> notifications, SpanRow[] pairedWith, String key,
      Map<SpanRow, List<SpanRow>> children, Map<Integer, SpanRow> open) {
    for (int c = 0; c < pairedWith.length; c++) {
      SpanRow s = pairedWith[c];
      NotificationRow taken = notifications.get(c);
      if (s == null || taken.timeUs() <= s.endUs()) {
        continue;
      }
      for (int i = c + 1; i < notifications.size() && notifications.get(i).timeUs() - taken.timeUs() <= TOGETHER_US;
          i++) {
        NotificationRow n = notifications.get(i);
        SpanRow other = pairedWith[i];
        if (!n.kind().equals(taken.kind()) || n.db() != taken.db() || !n.key().equals(taken.key())
            || open.containsKey(i)) {
          continue;
        }
        if (other == null && may(s, n, key, children)) {
          open.put(i, s);
        } else if (other != null && other != s && n.timeUs() > other.endUs()
            && !String.valueOf(other.service()).equals(String.valueOf(s.service()))) {
          pairedWith[i] = null;
          open.put(i, other);
        }
      }
    }
  }

  /**
   * The kind of notification a span pairs with one of: a TTL command sets a TTL (Redis reports {@code expire}) or, with
   * one in the past, deletes the key ({@code del}), never both, so its {@code ttl} and {@code delete} are one. A Node
   * PEXPIRE of 73 ms (no TTL the timeline reads: {@link KeyRecord}) took its own expire and an untraced DEL's del 9 ms
   * later, and the read after said deleted by the FLUSHDB after it (truth suite seed 37137).
   */
  private static String pairedKind(SpanRow s, String kind) {
    return !s.memory() && KeyRecord.ttlCommand(s) && kind.equals("delete") ? "ttl" : kind;
  }

  /** Whether {@code s} may have made no change of {@code kind}: its span does not say it made one. */
  private static boolean mayHaveMadeNone(SpanRow s, String kind, Set<String> noReply) {
    return PairingOrder.script(s) || kind.equals("delete") && (KeyRecord.ttlCommand(s)
        || noReply.contains(s.traceId() + "/" + s.spanId()));
  }

  /**
   * Whether the span {@code s} may have caused the notification {@code n} of the record of {@code key}, by what it did
   * and where: a change of that kind, to that key (a memory operation with no Redis command under it: to a key ending
   * with {@code key}), in that database on that server.
   */
  private static boolean may(SpanRow s, NotificationRow n, String key, Map<SpanRow, List<SpanRow>> children) {
    return compatible(s, n.kind()) && (s.memory()
        ? !children.containsKey(s) && KeyRecord.endsWithKey(n.key(), key)
        : n.key().equals(s.key()) && s.database() == n.db()
            && (s.redis() == null || RedisAddress.same(s.redis(), n.redis())));
  }

  /**
   * Whether the Redis command {@code s}, of any database, may have caused the notification {@code n}: of its key and
   * Redis, of a kind it makes, received within its window.
   */
  static boolean accountsFor(SpanRow s, NotificationRow n) {
    return !s.error() && n.key().equals(s.key()) && (s.redis() == null || RedisAddress.same(s.redis(), n.redis()))
        && compatible(s, n.kind()) && n.timeUs() >= s.timeUs() - BEFORE_US && n.timeUs() <= s.endUs() + AFTER_US;
  }

  /**
   * The commands that remove the whole key (RENAME and MOVE from its name and database); another delete (HDEL, SREM,
   * LREM, ...) removes elements.
   */
  public static final Set<String> KEY_DELETES = Set.of("DEL", "UNLINK", "DELEX", "GETDEL", "RENAME", "RENAMENX",
      "MOVE");

  private static boolean compatible(SpanRow s, String kind) {
    if (List.of("other", "script").contains(String.valueOf(s.access())) && s.operation() != null
        && SCRIPTS.contains(s.operation().toUpperCase(java.util.Locale.ROOT))) {
      // a script's span names its first key and says nothing of what it did to it: Redis's events do (the timeline
      // only: a rebuild keeps such a change a gap, its value unknown)
      return List.of("write", "delete", "ttl").contains(kind);
    }
    if (Boolean.TRUE.equals(s.found()) && s.operation() != null
        && READ_DELETES.contains(s.operation().toUpperCase(java.util.Locale.ROOT))) {
      return kind.equals("delete"); // a GETDEL that found the key removed it: Redis sends del
    }
    if (kind.equals("delete") && KeyRecord.ttlCommand(s) && s.ttl() != null && s.ttl() > 0) {
      // a TTL still to run deletes nothing now (Redis reports expired when it runs out): a PEXPIRE of 37 ms took an
      // untraced DEL's del 1 ms after it, and the read after said Redis reported no delete (truth suite seed 34794;
      // 34158, 31071: a Node DEL's, a MULTI's PEXPIRE); its span said 0 s then (CommandEffects.ttlSeconds)
      return false;
    }
    return compatible(KeyRecord.ttlCommand(s) ? "ttl" : String.valueOf(s.access()), s.operation(), kind);
  }

  /**
   * Whether a span of {@code access} ({@code write}, {@code delete}, {@code ttl} for a TTL command) running
   * {@code command} can have caused a notification of {@code kind}: a write Redis's write events or a TTL (SET with
   * EX); a delete its delete events, and a delete of elements (HDEL, SREM, LREM, ZREM: deletes in the command table)
   * the write event Redis names the change of the container by ({@code hdel}, {@code srem}, ...); a TTL command a TTL
   * event or a delete (a TTL in the past deletes; never {@code PERSIST}, which only clears a TTL: it took an untraced
   * DEL's del 0.2 s after it, and the read after said Redis reported no delete, truth suite seed 33052). One rule for
   * the timeline and for a rebuild.
   */
  public static boolean compatible(String access, String command, String kind) {
    return switch (access) {
      case "ttl" -> kind.equals("ttl") || kind.equals("delete") && !"PERSIST".equalsIgnoreCase(command);
      case "write" -> kind.equals("write") || kind.equals("ttl");
      case "delete" -> kind.equals("delete") || kind.equals("write") && command != null
          && !KEY_DELETES.contains(command.toUpperCase(java.util.Locale.ROOT));
      default -> false;
    };
  }

  /** The reads that remove the key they read when they find it. */
  public static final Set<String> READ_DELETES = Set.of("GETDEL");

  /** The commands that run a script that may change the keys it is given (the read-only variants cannot). */
  public static final Set<String> SCRIPTS = CommandAccess.SCRIPTS;

  /**
   * Redis's events of a key that arrived from another key or database. The command's span names the key it came from
   * (its first key), so no span of this key accounts for them: who made the change is unknown, not outside.
   */
  static final Set<String> MOVED_HERE = Set.of("rename_to", "copy_to", "move_to");

  static Draft draft(NotificationRow n, String record, List<CompressedRow> compressed) {
    Draft d = new Draft(n, record);
    switch (n.kind()) {
      case "expiry" -> {
        d.what = "expiry";
        d.by = "redis";
        d.cause = "Redis expired it";
      }
      case "eviction" -> {
        d.what = "eviction";
        d.by = "redis";
        d.cause = "evicted under maxmemory";
      }
      default -> {
        d.what = n.kind();
        boolean hidden = compressedNear(compressed, n.namespace(), n.timeUs());
        d.moved = !hidden && MOVED_HERE.contains(n.event());
        d.by = hidden || d.moved ? "unknown" : "outside";
        d.cause = hidden ? "unknown (spans compressed)" : d.moved ? "unknown: moved or copied here (" + n.event()
            + ") by a RENAME, COPY or MOVE, whose span, if traced, names the key it came from"
            : "changed outside the traced services";
      }
    }
    d.notified.add(n.event());
    return d;
  }

  /** Whether retention counted, in place of exporting, a Redis command that may change a key of {@code namespace}. */
  static boolean compressedNear(List<CompressedRow> compressed, String namespace, long timeUs) {
    Map<String, String> access = CommandAccess.withContainers();
    for (CompressedRow c : compressed) {
      String command = c.command() == null ? "_OTHER" : c.command();
      // a command the overlay names no access for (SELECT, PING) changes no key; List.of's contains refuses null
      String a = access.get(command);
      boolean changes = "write".equals(a) || "delete".equals(a) || KeyRecord.TTL_COMMANDS.contains(command)
          || command.equals("PIPELINE") || command.equals("MULTI") || command.equals("_OTHER");
      boolean place = c.namespace() == null || c.namespace().equals("_OTHER") || c.namespace().equals(namespace);
      if (changes && place && timeUs >= c.startUs() - BEFORE_US && timeUs <= c.endUs() + AFTER_US) {
        return true;
      }
    }
    return false;
  }
}
