package io.memtrace.collector.timeline;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Why a read found nothing, from what happened to its record before it: the last change (a traced delete, an expiry
 * or eviction Redis reported, an outside delete) names the cause. After a write, only what is certain is said: that
 * the TTL the write set ran out before the read (the TTL from the stored Redis commands, not the one asked for), or
 * else that the cause is unknown, and whether keyspace notifications were on to see it. Never a guess.
 */
final class MissReasons {

  private final RecordRows rows;
  private final NotificationCoverage coverage;

  MissReasons(RecordRows rows, NotificationCoverage coverage) {
    this.rows = rows;
    this.coverage = coverage;
  }

  /** Gives each read of {@code drafts} (in time order) that found nothing its reason. */
  void explain(List<Draft> drafts) {
    for (int i = 0; i < drafts.size(); i++) {
      Draft read = drafts.get(i);
      if (read.span == null || !read.what.equals("read_nothing")) {
        continue;
      }
      ReadChanges changes = ReadChanges.of(read, drafts);
      Draft last = changes.last();
      Draft triggered = changes.triggered();
      Draft writtenAfter = changes.writtenAfter();
      Draft lateDelete = changes.lateDelete();
      if (last != null && WholeDatabase.is(last)) {
        wholeDatabase(read, last, triggered, changes.lateWrite(), drafts);
        continue;
      }
      if (last != null && last.noReply && last.deletes() && last.noticedUs != null && last.noticedUs > read.timeUs) {
        // the only del it is paired with came after the read began: a later command's, with this DEL having removed
        // nothing, or its own received late
        set(read, "unknown_late", "unknown: the del Redis reported for " + last.cause + " was received at "
            + KeyRecord.time(last.noticedUs) + ", after the read began, and its span records no reply: it may have "
            + "removed nothing, the del being a later command's");
        continue;
      }
      if (last != null && last.noReply && last.deletes() && last.noticedUs != null && last.noticedUs > last.endUs) {
        // the only del it is paired with came after its span ended: Redis sends a command's events before its reply,
        // so it may be its own received late, or a later command's with this DEL having removed nothing (truth suite
        // seed 51162: a Node DEL of the other database took an untraced DEL's del received 1.8 ms after it ended)
        set(read, "unknown_late", "unknown: the del Redis reported for " + last.cause + " was received at "
            + KeyRecord.time(last.noticedUs) + ", after its span ended, and its span records no reply: it may have "
            + "removed nothing, the del being a later command's");
        continue;
      }
      if (last != null && last.noReply && last.deletes() && last.noticedUs != null && last.noticedUs < last.timeUs) {
        // the only del it is paired with was received before its span began: an earlier command's (an untraced DEL
        // just before, seed 21363), with this DEL having removed nothing, or its own by clocks that disagree
        set(read, "unknown_early", "unknown: the del Redis reported for " + last.cause + " was received at "
            + KeyRecord.time(last.noticedUs) + ", before its span began, and its span records no reply: it may have "
            + "removed nothing, the del being an earlier command's");
        continue;
      }
      Draft command = last == null ? null : commandJustBefore(last, read, drafts);
      if (command != null) {
        set(read, "unknown_whole_db", "unknown: Redis reported the key " + removal(last) + " at "
            + KeyRecord.time(last.timeUs) + ", received " + (last.placeUs - command.timeUs) / 1_000 + " ms after "
            + command.cause + " began at " + KeyRecord.time(command.timeUs) + ": which came first, and so what the "
            + "removal took, is unknown (a busy watcher receives events late)");
        continue;
      }
      // Redis expires a key lazily, when a command touches it: the read's own GET may be what removed it, and the
      // notification of that comes while or just after the read ran
      boolean explained = last != null && (ReadChanges.removes(last) || "unknown".equals(last.by));
      if (!explained && triggered != null && (writtenAfter != null || last == null)) {
        // the key was written again between the read and the removal received after it: the removal may be of that
        // later value, or of one before the read whose notification came late (and the write's with it). With no
        // change of the key before the read, nothing shows it held a value then: a command that sends no event per
        // key (SWAPDB) may have brought the value the removal took after the read
        String removed = "unknown: Redis reported the key " + (triggered.what.equals("expiry") ? "expired" : "evicted")
            + " at " + KeyRecord.time(triggered.timeUs) + ", after the read, ";
        set(read, "unknown_late", removed + (writtenAfter != null ? (WholeDatabase.is(writtenAfter) ? "but "
            + writtenAfter.cause + " ran at " : "but it was written again at ") + KeyRecord.time(writtenAfter.timeUs)
            + " in between" : "and nothing before the read shows it held a value")
            + ": which value that removed is unknown");
        continue;
      }
      if (!explained && triggered == null && lateDelete != null) {
        // a delete no stored span accounts for, received after the read began and before any later write: it may
        // have come before the read (a busy watcher receives a change late), or after it
        set(read, "unknown_late", "unknown: Redis reported a delete of the key at " + KeyRecord.time(lateDelete.timeUs)
            + ", after the read began: it may have removed the value before the read (the watcher received it late) "
            + "or after it");
        continue;
      }
      Draft lateRemoval = removedAfter(changes.lateWrite(), read, drafts);
      if (lateRemoval != null) {
        // a write received after the read began, and a removal after it: both may have come before the read, the
        // value written then removed (an untraced SET and DEL received late), or after it; as a command on the whole
        // database may have removed it (truth suite seeds 49087, 50232)
        set(read, "unknown_late", "unknown: Redis reported a write of the key at "
            + KeyRecord.time(changes.lateWrite().timeUs) + ", then the key " + removal(lateRemoval) + " at "
            + KeyRecord.time(lateRemoval.timeUs) + ", both received after the read began: both may have come before "
            + "the read (a busy watcher receives events late), or after it");
        continue;
      }
      explain(read, explained || triggered == null ? last : triggered, changes.lastWrite(), drafts);
    }
  }

  /**
   * The first removal no stored span accounts for received after {@code lateWrite} (the write no span accounts for
   * received after the read began: {@link ReadChanges#lateWrite}) and at most {@link NotificationCauses#BEFORE_US}
   * after the read ended, or null (also without such a write). Not one received after the own change of a span of the
   * record that began after the read ended, received after {@code lateWrite}: Redis sends its events in the order it
   * made the changes, so that removal came after the read (in a run of 1,050 scenarios, 138 reads were unknown by this
   * rule without that test, most a traced DEL or SET after the read between the two).
   */
  private static Draft removedAfter(Draft lateWrite, Draft read, List<Draft> drafts) {
    if (lateWrite == null) {
      return null;
    }
    for (Draft d : drafts) {
      if (d.span == null && d.record.equals(read.record) && ReadChanges.change(d) && ReadChanges.removes(d)
          && d.timeUs > lateWrite.timeUs && d.timeUs <= read.endUs + NotificationCauses.BEFORE_US) {
        return afterTheRead(d, lateWrite, read, drafts) ? null : d;
      }
    }
    return null;
  }

  /**
   * Whether a span of the read's record that began after the read ended has its own change received after
   * {@code lateWrite} and before {@code removal}: then the removal came after the read.
   */
  private static boolean afterTheRead(Draft removal, Draft lateWrite, Draft read, List<Draft> drafts) {
    for (Draft s : drafts) {
      if (s.span != null && s.record.equals(read.record) && s.timeUs >= read.endUs && s.noticedUs != null
          && s.noticedUs >= s.timeUs && s.noticedUs > lateWrite.timeUs && s.noticedUs < removal.timeUs) {
        return true;
      }
    }
    return false;
  }

  /**
   * A read that found nothing after a command on the whole database ({@code command}), the last change of its record
   * before it. When the change before that command removed the key, the command found it gone and that removal is
   * the cause. When a write came before it, a {@code FLUSHDB}, a {@code FLUSHALL} or a {@code SWAPDB} that named this
   * database deleted it; a {@code SWAPDB} that named none may have, unknown; so is any answer after two such commands.
   * When nothing came before it, the key was never there, unless it was changed in another database, whose value a
   * {@code SWAPDB} may have brought. When Redis reported an expiry or eviction while the read ran (of a value the
   * command may have brought), unknown.
   */
  private void wholeDatabase(Draft read, Draft command, Draft triggered, Draft lateWrite, List<Draft> drafts) {
    // ordered as the read's last change is: by when each began (a span) or was received (a notification, or placed:
    // Draft.placeUs); a command on a whole database has no notification to order it by
    Draft before = null;
    boolean elsewhere = false;
    for (Draft d : drafts) {
      if (d == read || d == command || !ReadChanges.change(d) || ReadChanges.ttlCommand(d)
          || d.placeUs > command.timeUs) {
        continue;
      }
      if (d.record.equals(read.record) && (before == null || d.placeUs >= before.placeUs)) {
        before = d;
      }
      elsewhere |= !WholeDatabase.is(d) && !d.record.equals(read.record) && WholeDatabase.sameKey(d, read);
    }
    String at = KeyRecord.time(command.timeUs);
    if (before != null && before.unsure != null) {
      set(read, "unknown_whole_db", "unknown: " + command.cause + ", ran at " + at + " after a change of the key at "
          + KeyRecord.time(before.timeUs) + " whose effect is open: " + before.unsure);
    } else if (triggered != null) {
      set(read, "unknown_whole_db", "unknown: " + command.cause + ", ran at " + at + ", and Redis reported the key "
          + (triggered.what.equals("expiry") ? "expired" : "evicted") + " at " + KeyRecord.time(triggered.timeUs)
          + ", as the read ran: which value that removed is unknown");
    } else if ((before == null && !elsewhere || before != null && ReadChanges.removes(before)) && lateWrite != null
        && lateWrite.timeUs - NotificationCauses.BEFORE_US < command.endUs) {
      // a write received after the read began may have come before the command, which then removed its value (truth
      // suite seed 50232: an untraced SET whose set the watcher received 5 ms after the read began, a traced FLUSHDB)
      set(read, "unknown_whole_db", "unknown: " + command.cause + ", ran at " + at + ", and Redis reported a write of "
          + "the key at " + KeyRecord.time(lateWrite.timeUs) + ", after the read began: it may have come before the "
          + "command (a busy watcher receives events late), which then removed its value");
    } else if (before == null && !elsewhere || before != null && ReadChanges.removes(before)) {
      // it found the key gone, or nothing shows it was ever there: the cause before it stands, and a traced removal
      // is the change the read names
      if (before != null && before.span != null) {
        read.writer = before.ref();
      }
      explain(read, before, null, drafts);
    } else if (before != null && !WholeDatabase.is(before) && WholeDatabase.emptied(command)) {
      // the key held the value before's write left, unless an untraced command removed it in between (seed 45783)
      read.restsOn = before;
      set(read, "deleted", "deleted by trace " + command.span.traceId() + " (" + command.cause + ") at " + at);
    } else {
      set(read, "unknown_whole_db", "unknown: " + command.cause + ", ran at " + at + " after the last change of the "
          + "key known here: whether it removed the key, or brought a value that went later, is unknown");
    }
  }

  /**
   * A command on the whole database of {@code last}'s record (a FLUSHDB, FLUSHALL or SWAPDB) that began before the
   * read and at most {@link NotificationCauses#BEFORE_US} before {@code last}, a removal only Redis's notification
   * tells of, was received: the command sends no event to order them by, and the watcher receives events late on a
   * busy host, so the removal may have come before the command, of another value, or after it. Null otherwise.
   */
  private static Draft commandJustBefore(Draft last, Draft read, List<Draft> drafts) {
    if (last.span != null || !ReadChanges.removes(last)) {
      return null;
    }
    for (Draft d : drafts) {
      if (WholeDatabase.is(d) && d.record.equals(read.record) && d.timeUs <= last.placeUs
          && last.placeUs - d.timeUs <= NotificationCauses.BEFORE_US && ReadChanges.before(d, read)) {
        return d;
      }
    }
    return null;
  }

  private static String removal(Draft d) {
    return switch (d.what) {
      case "expiry" -> "expired";
      case "eviction" -> "evicted";
      default -> "deleted";
    };
  }

  private void explain(Draft read, Draft last, Draft lastWrite, List<Draft> drafts) {
    Set<String> redis = new LinkedHashSet<>();
    for (Draft d : drafts) {
      if (d.record.equals(read.record) && d.redis != null) {
        redis.add(d.redis);
      }
    }
    Set<String> namespaces = namespaces(drafts.stream().filter(d -> d.record.equals(read.record)).toList());
    if (last == null) {
      if (NotificationCauses.compressedNear(rows.compressed(), read.span.namespace(), read.timeUs)
          || rows.compressed().stream().anyMatch(c -> c.startUs() <= read.timeUs
              && NotificationCauses.compressedNear(List.of(c), read.span.namespace(), c.startUs()))) {
        set(read, "unknown_compressed", "unknown (spans compressed): retention counted Redis writes of this namespace "
            + "instead of keeping them");
      } else {
        NotificationCoverage.Verdict v = coverage.verdict(redis, namespaces, Long.MIN_VALUE + 1, read.timeUs);
        set(read, "never_written", "never written (in the store's retention)" + (v.covered() ? ""
            : v.off() ? "; changes outside the traced services are unknown without keyspace notifications"
            : "; changes outside the traced services are unknown (not watched: " + v.why() + ")"));
      }
      return;
    }
    String at = KeyRecord.time(last.timeUs);
    if (last.moved) {
      set(read, "unknown_moved", "unknown: the last change, at " + at + ", moved or copied a value here from another "
          + "key or database (" + last.operation + "), and what that value was then is not followed");
    } else if (last.unsure != null) {
      set(read, "unknown_unplaced", "unknown: the last change, at " + at + ", was reported by Redis, and " + last.unsure);
    } else if ("unknown".equals(last.by)) {
      set(read, "unknown_compressed", "unknown (spans compressed): a change at " + at + " was not kept");
    } else if (last.deletes() && last.span != null) {
      set(read, "deleted", "deleted by trace " + last.span.traceId() + " (" + last.span.operation() + " by "
          + last.span.service() + ") at " + at);
    } else if (last.what.equals("delete")) {
      set(read, "deleted_outside", "deleted outside the traced services at " + at);
    } else if (last.what.equals("expiry")) {
      set(read, "expired", "expired at " + at);
    } else if (last.what.equals("eviction")) {
      set(read, "evicted", "evicted at " + at);
    } else {
      Long runsOut = runsOut(lastWrite, drafts, read);
      if (runsOut != null && runsOut <= read.timeUs) {
        set(read, "ttl_ran_out", "TTL ran out at " + KeyRecord.time(runsOut) + " (by the TTL set)");
      } else {
        NotificationCoverage.Verdict v = coverage.verdict(redis, namespaces, last.timeUs, read.timeUs);
        set(read, v.covered() ? "unknown" : v.off() ? "unknown_no_notifications" : "not_watched", v.unknown());
      }
    }
  }

  /**
   * The namespaces a record's keys have in Redis, as the watcher names them: those of its notifications and Redis
   * commands, else (a memory call whose commands are not stored) those of its memory calls.
   */
  static Set<String> namespaces(List<Draft> record) {
    Set<String> redis = new LinkedHashSet<>();
    Set<String> memory = new LinkedHashSet<>();
    for (Draft d : record) {
      if (d.span == null) {
        redis.add(d.notification.namespace());
      } else {
        ("memory".equals(d.span.layer()) ? memory : redis).add(d.span.namespace());
      }
    }
    return redis.isEmpty() ? memory : redis;
  }

  /**
   * When the TTL of the last traced write ran out, if that is certain from the spans: the TTL Redis got is known
   * from the stored commands (a memory call's, or a Redis write's own), and nothing but traced TTL commands of
   * known TTL touched the record after it. Null otherwise.
   */
  private static Long runsOut(Draft write, List<Draft> drafts, Draft read) {
    if (write == null) {
      return null;
    }
    Long ttl = write.span.memory() ? ("set".equals(write.ttlGotState) ? write.ttlGot : null) : write.ttlAsked;
    long from = write.endUs;
    for (Draft d : drafts) {
      if (d == write || d == read || !d.record.equals(read.record) || d.timeUs < write.timeUs
          || !ReadChanges.before(d, read) || !ReadChanges.change(d)) {
        continue;
      }
      if (d.span != null && d.what.equals("ttl") && d.ttlAsked != null) {
        ttl = d.ttlAsked;
        from = d.endUs;
      } else {
        return null;
      }
    }
    return ttl == null ? null : from + ttl * 1_000_000;
  }

  private static void set(Draft read, String kind, String reason) {
    read.reasonKind = kind;
    read.reason = reason;
  }
}
