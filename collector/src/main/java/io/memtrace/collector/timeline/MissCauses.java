package io.memtrace.collector.timeline;

import io.memtrace.collector.CollectorException;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.reader.KeyTimeline;
import io.memtrace.collector.reader.TimelineRequest;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Why reads that found nothing found nothing, for lineage ({@code traces}, the trace view, {@code report}): the
 * reason the read's event has in its key's timeline ({@link MissReasons}), so a read's lineage and its record's
 * timeline never disagree. A traced delete, an expiry or eviction Redis reported, a delete outside the traced
 * services, a TTL that ran out, or "unknown", and whether keyspace notifications covered the time to know.
 *
 * <p>Each distinct key asked costs one timeline of the store (tens of milliseconds at 10M spans), so at most
 * {@link #MAX_KEYS} keys are asked, the first given first; a read of another key, or one its timeline does not hold
 * (a key with more than {@link TimelineRequest#MAX_LIMIT} newer events), has no cause here.
 */
public final class MissCauses {

  /** The most keys whose timelines one call asks for. */
  public static final int MAX_KEYS = 20;

  /** A read that found nothing: its span and the key it named (a memory key or a Redis key). */
  public record Read(String traceId, String spanId, String key) {
  }

  /**
   * A read's reason, as its timeline event gives it.
   *
   * @param kind {@link KeyTimeline.Event#reasonKind()}
   * @param reason {@link KeyTimeline.Event#reason()}
   */
  public record Cause(String kind, String reason) {
  }

  private MissCauses() {
  }

  /** The key of {@link #of}'s answer for a read. */
  public static String id(String traceId, String spanId) {
    return traceId + "/" + spanId;
  }

  /**
   * The cause of each read of {@code reads} its key's timeline names, by {@link #id}; a read without one is left out.
   *
   * @param timeline the store's timeline ({@code StoreReader#timeline})
   */
  public static Map<String, Cause> of(Function<TimelineRequest, KeyTimeline> timeline, Collection<Read> reads) {
    Map<String, List<Read>> byKey = new LinkedHashMap<>();
    for (Read r : reads) {
      if (r.key() != null && (byKey.containsKey(r.key()) || byKey.size() < MAX_KEYS)) {
        byKey.computeIfAbsent(r.key(), k -> new java.util.ArrayList<>()).add(r);
      }
    }
    Map<String, Cause> causes = new HashMap<>();
    for (Map.Entry<String, List<Read>> e : byKey.entrySet()) {
      Map<String, Cause> ofSpan = new HashMap<>();
      for (KeyTimeline.Event event : timeline.apply(new TimelineRequest(e.getKey(), null, null,
          TimelineRequest.MAX_LIMIT)).events()) {
        Cause cause = cause(event);
        if (cause != null && event.spanId() != null) {
          ofSpan.put(id(event.traceId(), event.spanId()), cause);
        }
      }
      for (Read r : e.getValue()) {
        Cause c = ofSpan.get(id(r.traceId(), r.spanId()));
        if (c != null) {
          causes.put(id(r.traceId(), r.spanId()), c);
        }
      }
    }
    return causes;
  }

  /**
   * A read's cause in its timeline: why it found nothing, or for a read that found a value, the change it saw when
   * only keyspace notifications know of it ({@link #UNTRACED}: "changed outside the traced services at T"). Null
   * for a read of a traced write, and for any other event.
   */
  static Cause cause(KeyTimeline.Event event) {
    if (event.reasonKind() != null) {
      return new Cause(event.reasonKind(), event.reason());
    }
    KeyTimeline.Ref writer = event.writer();
    if (event.what().equals("read") && writer != null && !writer.traced()) {
      return new Cause(UNTRACED, writer.describe(KeyRecord.time(writer.timeUs())));
    }
    return null;
  }

  /**
   * A read's {@code miss} as its timeline's reason kind names it: {@code expired} for an expiry Redis reported or a TTL
   * that ran out (the write's, or a later EXPIRE's), {@code evicted}, {@code deleted} after a traced delete, else
   * {@code unknown} (a delete outside the traced services among them: neither expired nor evicted).
   */
  public static String miss(String kind) {
    return switch (String.valueOf(kind)) {
      case "expired", "ttl_ran_out" -> "expired";
      case "evicted" -> "evicted";
      case "deleted" -> "deleted";
      default -> "unknown";
    };
  }

  /** The kind of a found read's cause when it saw a change no traced span made. */
  public static final String UNTRACED = "untraced_change";

  /**
   * The web view's answer about one read ({@code lineage}: the {@code lineage} view's columns for it, {@code key} and
   * {@code found} among them) with the column {@code cause}: why it found nothing, or the change outside the traced
   * services it saw, as its key's timeline names it ({@link #cause}); null for a read of a traced write.
   */
  public static ResultTable withCause(ResultTable lineage, String traceId, String spanId,
      Function<TimelineRequest, KeyTimeline> timeline) {
    List<ResultTable.Column> columns = new java.util.ArrayList<>(lineage.columns());
    columns.add(new ResultTable.Column("cause", "VARCHAR"));
    List<List<Object>> rows = new java.util.ArrayList<>();
    for (int i = 0; i < lineage.size(); i++) {
      List<Object> row = new java.util.ArrayList<>(lineage.rows().get(i));
      Cause cause = of(timeline, List.of(new Read(traceId, spanId, lineage.text(i, "key")))).get(id(traceId, spanId));
      row.add(cause == null ? null : cause.reason());
      rows.add(row);
    }
    return new ResultTable(columns, rows, false);
  }

  /**
   * {@code timeline} when the store recorded any keyspace notification status ({@code probe}, a statement that returns
   * a row then), else null: without one, every cause but a traced delete or a TTL that ran out is unknown, and
   * lineage's own {@code miss} says as much as the timelines would ({@link #withoutNotifications}).
   */
  public static Function<TimelineRequest, KeyTimeline> ifNotified(SqlSource source, String probe,
      Function<TimelineRequest, KeyTimeline> timeline) {
    return notified(source, probe) ? timeline : null;
  }

  /** Whether {@code probe} returns a row: the store recorded keyspace notifications (or their status). */
  public static boolean notified(SqlSource source, String probe) {
    try {
      return source.query(probe).size() > 0;
    } catch (CollectorException e) {
      return false;
    }
  }

  /**
   * A cause in the timeline's words for a read that found nothing after a write, from lineage's own {@code miss}
   * alone ({@code deleted}, {@code expired}, {@code evicted}), for a store where no keyspace notification status is
   * recorded: without notifications nothing but a traced delete and a TTL that ran out is known.
   */
  public static Cause withoutNotifications(String miss) {
    return switch (String.valueOf(miss)) {
      case "deleted" -> new Cause("deleted", "deleted by a traced delete");
      case "expired" -> new Cause("ttl_ran_out", "TTL ran out (by the TTL the write asked for)");
      default -> new Cause("unknown_no_notifications", NotificationCoverage.off());
    };
  }
}
