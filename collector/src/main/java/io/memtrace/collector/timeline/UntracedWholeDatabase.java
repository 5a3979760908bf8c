package io.memtrace.collector.timeline;

import io.memtrace.collector.reader.KeyTimeline;
import io.memtrace.collector.timeline.RecordRows.SpanRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The commands on a whole database ({@code FLUSHDB}, {@code FLUSHALL}, {@code SWAPDB}) that the keyspace watcher
 * counted in the server's {@code INFO commandstats} ({@code keyspace.notify.WholeDatabaseCalls}) and no traced span
 * accounts for: sent by a client memtrace does not trace, each known only by the window of two polls (about 100 ms) in
 * which it ran, and per server, never which database. Each is a row of the store's whole-database commands without a
 * trace ({@code trace_id} null), its window from {@code t} to {@code e}.
 *
 * <p>After {@link KeyRecord} has answered each read, a read whose record could have been changed by one between the
 * change its answer rests on and the read's end says so, unknown, where the command could make the answer wrong:
 * <ul>
 * <li>a read that found a value, after a {@code SWAPDB}: it may have brought the value. A {@code FLUSHDB} or
 * {@code FLUSHALL} could not: had it emptied the key's database after that change, the key would have been gone, or
 * written again, which Redis reports;
 * <li>a read that found nothing, after a write (or a TTL command, a traced command on the whole database): it may have
 * emptied the key. After a removal, or when nothing held the key, it stays the cause: one command finds the key gone,
 * and a {@code SWAPDB} that brought a value leaves one the read would have found; two, one a {@code SWAPDB}, may have
 * brought a value from another database where the key was written and taken it again, unknown.
 * </ul>
 * An answer that names a traced such command as certain ({@link Draft#restsOn}) rests on the change before that
 * command too: an untraced one after that change may have removed the key, or brought the value, first. A write no span
 * accounts for received after a read that found nothing began ({@link ReadChanges#lateWrite}) may have come before it:
 * a command after that write may have removed its value.
 */
final class UntracedWholeDatabase {

  /** A window in which one such command ran on {@code redis} ({@code host:port}, or null: any), epoch microseconds. */
  record Window(long fromUs, long toUs, String redis, String command) {
  }

  private UntracedWholeDatabase() {
  }

  /**
   * The untraced commands among {@code rows} (the store's commands on a whole database, traced and counted), of the
   * Redis asked when the request names one: the calls counted in each window less those a traced span accounts for,
   * each traced span one call of the one window of its command and Redis it overlaps. Two windows overlap while a poll
   * is answered: a span that overlaps both accounts for neither, since which one counted it is not known, and taking
   * either could leave the untraced call in the wrong one (1 of 203 traced commands in a run of 1,548 scenarios).
   */
  static List<Window> windows(List<SpanRow> rows, String redisAsked) {
    List<SpanRow> counted = new ArrayList<>();
    for (SpanRow r : rows) {
      if (r.traceId() == null && (redisAsked == null || r.redis() == null || RedisAddress.same(redisAsked, r.redis()))) {
        counted.add(r);
      }
    }
    // by identity: two calls of one window are equal rows
    Set<SpanRow> taken = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    for (SpanRow s : rows) {
      if (s.traceId() == null || s.error()) {
        continue;
      }
      SpanRow best = null;
      boolean ambiguous = false;
      for (SpanRow c : counted) {
        long overlap = Math.min(s.endUs(), c.endUs()) - Math.max(s.timeUs(), c.timeUs());
        if (upper(s.operation()).startsWith(upper(c.operation())) && overlap >= 0
            && (s.redis() == null || c.redis() == null || RedisAddress.same(s.redis(), c.redis()))) {
          ambiguous |= best != null && (best.timeUs() != c.timeUs() || best.endUs() != c.endUs());
          if (best == null || taken.contains(best) && !taken.contains(c)) {
            best = c;
          }
        }
      }
      if (best != null && !ambiguous && !taken.contains(best)) {
        taken.add(best);
      }
    }
    List<Window> windows = new ArrayList<>();
    for (SpanRow c : counted) {
      if (!taken.contains(c)) {
        windows.add(new Window(c.timeUs(), c.endUs(), c.redis(), upper(c.operation())));
      }
    }
    return windows;
  }

  /** Makes unknown each read of {@code drafts} (in time order) that one of {@code windows} may have changed. */
  static void apply(List<Draft> drafts, List<Window> windows) {
    if (windows.isEmpty()) {
      return;
    }
    for (Draft r : drafts) {
      if (!r.read() || r.redis == null && !r.record.startsWith("r|")) {
        continue;
      }
      if (r.what.equals("read")) {
        KeyTimeline.Ref w = r.writer;
        if (w == null || "unknown".equals(w.by())) {
          continue; // no writer named, or unknown already
        }
        Draft from = r.restsOn;
        List<Window> between = between(windows, r, from != null ? since(from.timeUs, from.span != null)
            : since(w.timeUs(), w.traced()));
        if (between.stream().anyMatch(x -> x.command().equals("SWAPDB"))) {
          for (Draft d : drafts) {
            d.readBy.remove(r.ref());
          }
          r.writer = new KeyTimeline.Ref(null, null, between.get(0).fromUs(), null, "unknown", WholeDatabase.WHAT,
              describe(between) + ": it may have brought the value found");
        }
      } else {
        // a traced command's certain delete rests on the change before it: the key held a value when it ran
        ReadChanges changes = ReadChanges.of(r, drafts);
        Draft last = r.restsOn != null ? r.restsOn : changes.last();
        List<Window> between = between(windows, r, last == null ? Long.MIN_VALUE
            : since(last.timeUs, last.span != null));
        boolean keeps = r.restsOn == null && (last == null || ReadChanges.removes(last));
        boolean twice = between.size() > 1 && between.stream().anyMatch(x -> x.command().equals("SWAPDB"))
            && elsewhere(r, drafts);
        Draft late = changes.lateWrite();
        List<Window> sinceLate = late == null || r.reasonKind == null || r.reasonKind.startsWith("unknown")
            ? List.of() : between(windows, r, since(late.timeUs, false));
        if (!between.isEmpty() && (!keeps || twice)) {
          r.reasonKind = "unknown_whole_db";
          r.reason = "unknown: " + describe(between) + (keeps ? ": they may have brought a value and removed it"
              : ": it may have removed the key");
        } else if (!sinceLate.isEmpty()) {
          // a write received after the read began may have come before it (a busy watcher receives events late), and
          // the command then removed its value (truth suite seed 49087: an untraced SET, then SWAPDB, then the read)
          r.reasonKind = "unknown_whole_db";
          r.reason = "unknown: Redis reported a write of the key at " + KeyRecord.time(late.timeUs) + ", after the read "
              + "began, and " + describe(sinceLate) + ": the write may have come before the read (a busy watcher "
              + "receives events late), and the command removed its value";
        }
      }
    }
  }

  /**
   * Whether the key of the read {@code r} was written in another database of its Redis before the read ended: a value
   * a {@code SWAPDB} could have brought. Notifications cover every database, so with none the key was nowhere else.
   */
  private static boolean elsewhere(Draft r, List<Draft> drafts) {
    return drafts.stream().anyMatch(d -> !d.record.equals(r.record) && WholeDatabase.sameKey(d, r)
        && "write".equals(d.what) && d.timeUs < r.endUs);
  }

  /**
   * From when a change that began (a span) or was received (a notification) at {@code timeUs} may have run: a
   * notification comes after its change, up to {@link NotificationCauses#BEFORE_US} on a busy watcher.
   */
  private static long since(long timeUs, boolean span) {
    return span ? timeUs : timeUs - NotificationCauses.BEFORE_US;
  }

  /** The windows of the read's Redis that end after {@code sinceUs} and begin before the read ended. */
  private static List<Window> between(List<Window> windows, Draft r, long sinceUs) {
    List<Window> found = new ArrayList<>();
    for (Window w : windows) {
      if (w.toUs() > sinceUs && w.fromUs() < r.endUs
          && (w.redis() == null || r.redis == null || RedisAddress.same(w.redis(), r.redis))) {
        found.add(w);
      }
    }
    return found;
  }

  private static String describe(List<Window> between) {
    Window first = between.get(0);
    Window last = between.get(between.size() - 1);
    return String.join(", ", between.stream().map(Window::command).distinct().toList()) + " sent by a client "
        + "memtrace does not trace ran " + (between.size() == 1 ? "" : between.size() + " times ") + "between "
        + KeyRecord.time(first.fromUs()) + " and " + KeyRecord.time(last.toUs()) + " (the server's INFO commandstats; "
        + "which database is not known)";
  }

  private static String upper(String command) {
    return command == null ? "" : command.toUpperCase(Locale.ROOT);
  }
}
