package io.memtrace.collector.reader;

import java.util.List;

/**
 * One record's life, oldest first: every write, read, TTL change and delete the traced services made (a memory call
 * with the Redis commands under it folded into it), and every expiry, eviction and outside change Redis reported
 * ({@code key_notification}). Plain values, so two stores' answers compare with {@code equals}.
 *
 * @param key       the key asked
 * @param events    the events, oldest first
 * @param truncated whether older events were left out ({@link TimelineRequest#limit})
 * @param notes     what the answer cannot know, in words (no notifications, compressed spans)
 */
public record KeyTimeline(String key, List<Event> events, boolean truncated, List<String> notes) {

  public KeyTimeline {
    events = List.copyOf(events);
    notes = List.copyOf(notes);
  }

  /**
   * A change or read: a span named by its trace and span ids, when and by whom; or a change only keyspace
   * notifications know of, with no trace.
   *
   * @param by {@code trace}, or for a change without a span: {@code outside} (changed outside the traced services),
   *           {@code redis} (an expiry or eviction) or {@code unknown} (a command retention compressed, or a RENAME,
   *           COPY or MOVE from another key)
   * @param what the change: {@code write}, {@code delete}, {@code expiry} or {@code eviction}; {@code read} for a read
   * @param maybe for {@code by} {@code unknown}: the traced command that may have made it, in words ("SET by svc
   *              (trace …)", whose span names no database), or null
   */
  public record Ref(String traceId, String spanId, long timeUs, String service, String by, String what,
      String maybe) {

    /** Whether a traced span made it. */
    public boolean traced() {
      return traceId != null;
    }

    /** A change without a span, in words: "changed outside the traced services at T", "evicted at T". */
    public String describe(String time) {
      if ("whole_db".equals(what)) {
        return "replaced or emptied at " + time + " by " + maybe + " (what it left of the key is unknown)";
      }
      if ("unseen".equals(what)) {
        return "unknown: " + maybe;
      }
      return switch (String.valueOf(by)) {
        case "outside" -> (what.equals("delete") ? "deleted" : "changed") + " outside the traced services at " + time;
        case "redis" -> (what.equals("eviction") ? "evicted" : "expired") + " at " + time;
        default -> maybe != null ? "changed at " + time + " by " + maybe + " or outside the traced services (unknown)"
            : "changed by a command retention compressed (unknown) at " + time;
      };
    }
  }

  /**
   * One event of the record.
   *
   * @param timeUs     when it happened (a span's start; a notification's receipt), epoch microseconds
   * @param what       {@code write}, {@code read}, {@code read_nothing}, {@code ttl}, {@code delete}, {@code expiry}
   *                   or {@code eviction}
   * @param by         {@code trace} (a traced service did it), {@code redis} (Redis expired or evicted it),
   *                   {@code outside} (changed outside the traced services) or {@code unknown} (spans compressed)
   * @param cause      who did it, in words: "store by svc (trace …)", "Redis expired it", …
   * @param layer      {@code memory} or {@code redis}
   * @param operation  the memory operation or Redis command (with the Redis commands under a memory call), or
   *                   Redis's event name for a notification
   * @param service    the service of a traced event
   * @param traceId    the trace of a traced event
   * @param spanId     the span of a traced event
   * @param redis      the Redis ({@code host:port}) when known
   * @param db         the Redis database when known
   * @param key        the key of this event (a Redis event's is the key Redis holds)
   * @param namespace  the namespace
   * @param valueSize  the value's size in bytes, when the span says
   * @param ttlAsked   the TTL in seconds the memory call asked for, or a Redis command set
   * @param ttlGot     the TTL in seconds Redis got from the commands under the memory call; null with
   *                   {@code ttlGotState} {@code none} or {@code unknown}
   * @param ttlGotState {@code set}, {@code none} (the commands set no TTL), {@code unknown} (none stored), or null
   *                   when no TTL was asked
   * @param notified   Redis's own events this event accounts for (merged, so shown once)
   * @param writer     for a read: the change it saw (the last write or delete of its record that ended before it
   *                   began, traced or known from keyspace notifications: an outside write or delete, an expiry, an
   *                   eviction); for a read that found nothing, the last traced change before it
   * @param readBy     for a write: every read that found the value it wrote
   * @param reason     for a read that found nothing: why, in words
   * @param reasonKind for a read that found nothing: {@code deleted}, {@code expired}, {@code ttl_ran_out},
   *                   {@code evicted}, {@code deleted_outside}, {@code never_written}, {@code unknown_compressed},
   *                   {@code unknown_no_notifications} (notifications off), {@code not_watched} (outside what they
   *                   covered: namespace, before the subscription, a gap), {@code unknown_late} (an expiry or
   *                   eviction received after the read, the key written again in between), {@code unknown_early} (a
   *                   DEL without its reply whose only del was received before it began), {@code unknown_moved}
   *                   (the last change moved a value in from another key or database), {@code unknown_unplaced}
   *                   (the last change may be that of a command whose span names no database) or {@code unknown} (they
   *                   covered it and reported nothing)
   */
  public record Event(long timeUs, String what, String by, String cause, String layer, String operation,
      String service, String traceId, String spanId, String redis, Integer db, String key, String namespace,
      Long valueSize, Long ttlAsked, Long ttlGot, String ttlGotState, List<String> notified, Ref writer,
      List<Ref> readBy, String reason, String reasonKind) {

    public Event {
      notified = List.copyOf(notified);
      readBy = List.copyOf(readBy);
    }
  }
}
