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
        if (event.reasonKind() != null && event.spanId() != null) {
          ofSpan.put(id(event.traceId(), event.spanId()), new Cause(event.reasonKind(), event.reason()));
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
   * The web view's answer about one read ({@code lineage}: the {@code lineage} view's columns for it, {@code key} and
   * {@code found} among them) with the column {@code cause}: why it found nothing, as its key's timeline names it;
   * null for a read that found a value.
   */
  public static ResultTable withCause(ResultTable lineage, String traceId, String spanId,
      Function<TimelineRequest, KeyTimeline> timeline) {
    List<ResultTable.Column> columns = new java.util.ArrayList<>(lineage.columns());
    columns.add(new ResultTable.Column("cause", "VARCHAR"));
    List<List<Object>> rows = new java.util.ArrayList<>();
    for (int i = 0; i < lineage.size(); i++) {
      List<Object> row = new java.util.ArrayList<>(lineage.rows().get(i));
      Cause cause = Boolean.FALSE.equals(lineage.bool(i, "found"))
          ? of(timeline, List.of(new Read(traceId, spanId, lineage.text(i, "key")))).get(id(traceId, spanId)) : null;
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
    try {
      return source.query(probe).size() > 0 ? timeline : null;
    } catch (CollectorException e) {
      return null;
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
