package io.memtrace.collector.timeline;

import java.util.List;

/**
 * What happened to a read's record around the read, the evidence {@link MissReasons} weighs: the changes before it,
 * and the removals and writes received after it began, which a busy watcher may have received late.
 *
 * @param last the record's last change before the read (a span that ended before it began, or a notification received
 *     before it began, or placed before it: {@link Draft#placeUs}); a TTL command after a removal found no key and brought none back, so then the removal
 * @param lastWrite the last traced write before the read
 * @param triggered the first expiry or eviction Redis reported after the read began, while or just after it ran
 * @param writtenAfter the first write after the read began, or command on its whole database, before any such expiry
 *     or eviction
 * @param lateDelete the first delete no stored span accounts for, received after the read began and just after it
 *     ran, before any later write
 * @param lateWrite the first write no stored span accounts for, received after the read began and at most
 *     {@link NotificationCauses#BEFORE_US} after it ended: a busy watcher receives events late, so it may have come
 *     before the read
 */
record ReadChanges(Draft last, Draft lastWrite, Draft triggered, Draft writtenAfter, Draft lateDelete,
    Draft lateWrite) {

  static ReadChanges of(Draft read, List<Draft> drafts) {
    Draft last = null;
    Draft lastNotTtl = null;
    Draft lastWrite = null;
    Draft triggered = null;
    Draft writtenAfter = null;
    Draft lateDelete = null;
    Draft lateWrite = null;
    for (Draft d : drafts) {
      if (d == read || !d.record.equals(read.record) || !change(d)) {
        continue;
      }
      if (lateWrite == null && d.span == null && d.what.equals("write") && !before(d, read)
          && d.timeUs <= read.endUs + NotificationCauses.BEFORE_US) {
        lateWrite = d;
      }
      if (before(d, read)) {
        if (last == null || d.placeUs >= last.placeUs) {
          last = d;
        }
        if (!ttlCommand(d) && (lastNotTtl == null || d.placeUs >= lastNotTtl.placeUs)) {
          lastNotTtl = d;
        }
        if (d.span != null && d.what.equals("write") && (lastWrite == null || d.placeUs >= lastWrite.placeUs)) {
          lastWrite = d;
        }
      } else if (d.span == null && (d.what.equals("expiry") || d.what.equals("eviction")) && triggered == null
          && d.timeUs <= read.endUs + NotificationCauses.AFTER_US) {
        triggered = d;
      } else if ((d.what.equals("write") || WholeDatabase.is(d)) && triggered == null && writtenAfter == null) {
        // a FLUSHDB, FLUSHALL or SWAPDB after the read may have brought the value a removal after it took (seed 22015)
        writtenAfter = d;
      } else if (d.span == null && d.what.equals("delete") && lateDelete == null && writtenAfter == null
          && d.timeUs <= read.endUs + NotificationCauses.AFTER_US) {
        lateDelete = d;
      }
    }
    // a TTL command after a removal found no key and brought none back: the removal is still the cause (a PEXPIRE
    // of a key that had expired, then a read, said notifications reported nothing)
    if (last != null && ttlCommand(last) && lastNotTtl != null && (removes(lastNotTtl)
        || WholeDatabase.is(lastNotTtl))) {
      last = lastNotTtl;
    }
    return new ReadChanges(last, lastWrite, triggered, writtenAfter, lateDelete, lateWrite);
  }

  static boolean ttlCommand(Draft d) {
    return d.span != null && d.what.equals("ttl");
  }

  static boolean removes(Draft d) {
    return d.deletes() || d.what.equals("expiry") || d.what.equals("eviction");
  }

  /** A span that ended before the read began, or a notification received before it began. */
  static boolean before(Draft d, Draft read) {
    return d.span != null ? d.endUs <= read.timeUs : d.placeUs <= read.timeUs;
  }

  static boolean change(Draft d) {
    return (d.span == null || !d.span.error())
        && (List.of("write", "delete", "ttl", "expiry", "eviction", WholeDatabase.WHAT).contains(d.what)
        || d.alsoDeletes);
  }
}
