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
   * The event of the stored span that accounts for a write, delete or TTL notification: a Redis command of its key,
   * Redis and database in the window, or, when a memory call of the key has no command stored, that call; nearest
   * in time, each span pairing with one notification of each kind. Null when none does.
   */
  static Draft accountFor(NotificationRow n, String key, Map<SpanRow, Draft> ofSpan,
      Map<SpanRow, List<SpanRow>> children, Set<String> paired) {
    SpanRow best = null;
    for (SpanRow s : ofSpan.keySet()) {
      boolean candidate = compatible(s, n.kind()) && (s.memory()
          ? !children.containsKey(s) && KeyRecord.endsWithKey(n.key(), key)
          : n.key().equals(s.key()) && s.database() == n.db() && (s.redis() == null || RedisAddress.same(s.redis(), n.redis())));
      if (candidate && !s.error() && n.timeUs() >= s.timeUs() - BEFORE_US && n.timeUs() <= s.endUs() + AFTER_US
          && !paired.contains(s.traceId() + "/" + s.spanId() + "/" + n.kind())
          && (best == null || Math.abs(n.timeUs() - s.endUs()) < Math.abs(n.timeUs() - best.endUs()))) {
        best = s;
      }
    }
    if (best == null) {
      return null;
    }
    paired.add(best.traceId() + "/" + best.spanId() + "/" + n.kind());
    return ofSpan.get(best);
  }

  /** The commands that remove the whole key; another delete (HDEL, SREM, LREM, ...) removes elements. */
  public static final Set<String> KEY_DELETES = Set.of("DEL", "UNLINK", "DELEX", "GETDEL");

  private static boolean compatible(SpanRow s, String kind) {
    return compatible(KeyRecord.ttlCommand(s) ? "ttl" : String.valueOf(s.access()), s.operation(), kind);
  }

  /**
   * Whether a span of {@code access} ({@code write}, {@code delete}, {@code ttl} for a TTL command) running
   * {@code command} can have caused a notification of {@code kind}: a write Redis's write events or a TTL (SET with
   * EX); a delete its delete events, and a delete of elements (HDEL, SREM, LREM, ZREM: deletes in the command table)
   * the write event Redis names the change of the container by ({@code hdel}, {@code srem}, ...); a TTL command a TTL
   * event or a delete (a TTL in the past deletes). One rule for the timeline and for a rebuild.
   */
  public static boolean compatible(String access, String command, String kind) {
    return switch (access) {
      case "ttl" -> kind.equals("ttl") || kind.equals("delete");
      case "write" -> kind.equals("write") || kind.equals("ttl");
      case "delete" -> kind.equals("delete") || kind.equals("write") && command != null
          && !KEY_DELETES.contains(command.toUpperCase(java.util.Locale.ROOT));
      default -> false;
    };
  }

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
        d.by = hidden ? "unknown" : "outside";
        d.cause = hidden ? "unknown (spans compressed)" : "changed outside the traced services";
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
      boolean changes = List.of("write", "delete").contains(access.get(command)) || KeyRecord.TTL_COMMANDS.contains(command)
          || command.equals("PIPELINE") || command.equals("MULTI") || command.equals("_OTHER");
      boolean place = c.namespace() == null || c.namespace().equals("_OTHER") || c.namespace().equals(namespace);
      if (changes && place && timeUs >= c.startUs() - BEFORE_US && timeUs <= c.endUs() + AFTER_US) {
        return true;
      }
    }
    return false;
  }
}
