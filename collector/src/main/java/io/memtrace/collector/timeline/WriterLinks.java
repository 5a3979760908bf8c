package io.memtrace.collector.timeline;

import io.memtrace.collector.reader.KeyTimeline;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Links a record's reads with the changes they saw, once {@link KeyRecord} has its events in order. */
final class WriterLinks {

  private WriterLinks() {
  }

  /**
   * Each read's writer (the last change of its record that ended before it began: a traced write or delete, or one
   * that only keyspace notifications report, made outside the traced services or by Redis; for a read that found
   * nothing, the last traced one, its reason naming any), and each traced write's
   * readers: the reads that found the value it wrote. The record, not the span's own key: a Redis command of the
   * record's Redis key that another call issued (the demo's EXISTS under a search) read what the memory call wrote.
   */
  static void link(List<Draft> drafts) {
    Map<String, List<Draft>> writes = new HashMap<>();
    for (Draft d : drafts) {
      if (d.change()) {
        writes.computeIfAbsent(d.record, p -> new ArrayList<>()).add(d);
      }
    }
    for (Draft r : drafts) {
      if (!r.read()) {
        continue;
      }
      Draft seen = null;
      for (Draft w : writes.getOrDefault(r.record, List.of())) {
        // a read that found nothing names the last traced change; why it found nothing names any (MissReasons). A
        // read that found a value saw a write: a removal ordered after that write, by clocks that disagree (a span
        // of another process, a notification received late), is not what it saw
        boolean counts = r.what.equals("read") ? w.what.equals("write") || WholeDatabase.is(w) : w.span != null;
        if (counts && w.endUs <= r.timeUs && (seen == null || Draft.later(w, seen))) {
          seen = w;
        }
      }
      String unseen = null;
      if (seen != null && r.what.equals("read") && WholeDatabase.is(seen)
          && !WholeDatabase.brought(seen, before(seen, writes.get(r.record)))) {
        // a FLUSHDB, FLUSHALL or SWAPDB after the last write: the value came after it, or by it (SWAPDB), unknown
        r.writer = WholeDatabase.unknownWriter(seen);
      } else if (seen != null && r.what.equals("read") && (unseen = unseen(r, seen, writes.get(r.record))) != null) {
        r.writer = new KeyTimeline.Ref(null, null, seen.timeUs, null, "unknown", UNSEEN, unseen);
      } else if (seen != null) {
        r.writer = seen.ref();
        if (r.what.equals("read") && WholeDatabase.is(seen) && !seen.swapped) {
          // a SWAPDB that named no database brought the value only if nothing else brought one after the removal
          r.restsOn = before(seen, writes.get(r.record));
        }
        // a read that found nothing saw no version: it names the change before it, but is not one of its readers
        if (r.what.equals("read") && seen.span != null) {
          seen.readBy.add(r.ref());
        }
      }
    }
  }


  /** A read's writer's {@code what} when the value it found is not the last write's: a change seen by nothing. */
  static final String UNSEEN = "unseen";

  /** The commands that write a string's whole value, {@code memory.value_size} its bytes. */
  private static final Set<String> WHOLE_WRITES = Set.of("SET", "SETEX", "PSETEX", "SETNX");

  /** The commands that read a string's whole value, {@code memory.value_size} the bytes they got. */
  private static final Set<String> WHOLE_READS = Set.of("GET", "GETEX", "GETDEL");

  /**
   * Why the read {@code r}, which found a value, did not see {@code seen}, the last write ordered before it, or null
   * when nothing says it did not:
   * <ul>
   * <li>it found a string of another size than {@code seen} wrote: a change after it that no span or notification shows
   * (an untraced SWAPDB brought another value: an 11-byte SET, a 10-byte read, truth suite seed 32492);
   * <li>the key was removed after {@code seen} and before the read began, by Redis's order of their events (a delete,
   * an expiry or eviction received before the read began), or by one service's clock (its GETDEL that found the key,
   * or a DEL that removed it, ended before its read began): the value came from a change memtrace has not placed
   * before the read (seeds 35863: a GETDEL, then an untraced SET whose event came after the read began; 36786: a Node
   * DEL's del);
   * <li>Redis reported a write of a Redis read's key that no span accounts for within {@link NotificationCauses#BEFORE_US}
   * after the read ended: a busy watcher receives events late, and it may be the value found (seed 36789, 72 us after
   * the read began), as the {@code lineage} view says.
   * </ul>
   */
  private static String unseen(Draft r, Draft seen, List<Draft> changes) {
    if (otherSize(r, seen)) {
      return "the value found (" + r.span.valueSize() + " B) is not the " + seen.span.valueSize() + " B "
          + seen.cause + " wrote at " + KeyRecord.time(seen.timeUs) + ": a change memtrace has no record of came after it";
    }
    for (Draft d : changes) {
      // a delete of elements (HDEL, SREM) leaves the key
      boolean key = d.span == null || d.alsoDeletes || d.operation != null
          && NotificationCauses.KEY_DELETES.contains(d.operation.toUpperCase(Locale.ROOT));
      if (d != seen && key && ReadChanges.removes(d) && removedBefore(d, seen, r)) {
        return "the key was removed at " + KeyRecord.time(d.span == null ? d.timeUs : d.endUs) + " (" + d.cause
            + "), after " + seen.cause + " wrote it and before the read: what it found came from a change not placed "
            + "before the read";
      }
    }
    for (Draft d : changes) {
      // of a Redis read, as the lineage view asks (NotificationOwners.lateUnexplained): a memory call's read names the
      // write its call stored
      if (!r.span.memory() && d.span == null && d.what.equals("write") && d.timeUs > r.timeUs
          && d.timeUs <= r.endUs + NotificationCauses.BEFORE_US) {
        return "Redis reported a write of the key at " + KeyRecord.time(d.timeUs) + " (" + d.cause + "), "
            + (d.timeUs - r.timeUs) / 1_000.0 + " ms after the read began: a busy watcher receives events late, so it "
            + "may be what the read found";
      }
    }
    return null;
  }

  /**
   * Whether the removal {@code d} came after the write {@code seen} and before the read {@code r} began: by Redis's
   * order of their notifications, {@code d}'s received before the read began, or by one service's clock, a traced
   * removal that surely removed the key (not a DEL without its reply) having begun after {@code seen} ended and ended
   * before the read began.
   */
  private static boolean removedBefore(Draft d, Draft seen, Draft r) {
    Long received = d.span == null ? Long.valueOf(d.timeUs) : d.noticedUs;
    Long seenReceived = seen.span == null ? Long.valueOf(seen.timeUs) : seen.noticedUs;
    if (received != null && seenReceived != null && received > seenReceived && received <= r.timeUs) {
      return true;
    }
    return d.span != null && !d.noReply && seen.span != null && !d.span.error()
        && d.span.service() != null && d.span.service().equals(r.span.service())
        && d.span.service().equals(seen.span.service()) && d.timeUs >= seen.endUs && d.endUs <= r.timeUs;
  }

  /** Whether the read {@code r} found a string of another size than the traced write {@code w} wrote. */
  private static boolean otherSize(Draft r, Draft w) {
    return r.span != null && w.span != null && !r.span.memory() && !w.span.memory() && r.span.valueSize() != null
        && w.span.valueSize() != null && !r.span.valueSize().equals(w.span.valueSize())
        && WHOLE_READS.contains(upper(r.span.operation())) && WHOLE_WRITES.contains(upper(w.span.operation()));
  }

  private static String upper(String command) {
    return command == null ? "" : command.toUpperCase(Locale.ROOT);
  }

  /** The last change of {@code changes} ordered before {@code command} (another such command too), or null. */
  private static Draft before(Draft command, List<Draft> changes) {
    Draft last = null;
    for (Draft d : changes) {
      if (d != command && !Draft.later(d, command) && (last == null || Draft.later(d, last))) {
        last = d;
      }
    }
    return last;
  }
}
