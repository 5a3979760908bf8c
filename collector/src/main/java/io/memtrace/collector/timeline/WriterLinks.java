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
      if (seen != null && r.what.equals("read") && WholeDatabase.is(seen)
          && !WholeDatabase.brought(seen, before(seen, writes.get(r.record)))) {
        // a FLUSHDB, FLUSHALL or SWAPDB after the last write: the value came after it, or by it (SWAPDB), unknown
        r.writer = WholeDatabase.unknownWriter(seen);
      } else if (seen != null && r.what.equals("read") && otherSize(r, seen)) {
        r.writer = new KeyTimeline.Ref(null, null, seen.timeUs, null, "unknown", UNSEEN, seen.cause + " wrote "
            + seen.span.valueSize() + " B and the read found " + r.span.valueSize() + " B");
      } else if (seen != null) {
        r.writer = seen.ref();
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
   * Whether the read {@code r} found a value of another size than the traced write {@code w} wrote, each a string's
   * whole value: then it did not see that write, but a change after it that no span or notification shows (an
   * untraced SWAPDB brought another value: an 11-byte SET, a 10-byte read, truth suite seed 32492).
   */
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
