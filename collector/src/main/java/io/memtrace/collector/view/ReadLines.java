package io.memtrace.collector.view;

import io.memtrace.collector.CollectorException;
import io.memtrace.collector.Log;
import io.memtrace.collector.lineage.ReadLineage;
import io.memtrace.collector.reader.KeyTimeline;
import io.memtrace.collector.reader.TimelineRequest;
import io.memtrace.collector.timeline.MissCauses;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Sets each read's lineage line ({@link TraceSpan#lineage()}), any store's: the write it saw, and for a read that found
 * nothing, why, and for one that saw a change outside the traced services, that change, as its record's timeline
 * names it ({@link MissCauses}).
 */
public final class ReadLines {

  private ReadLines() {
  }

  /**
   * @param lineage each span's lineage, null for a span that is no read or has none
   * @param timeline the store's timeline, asked for the keys of the reads that found nothing
   * @param notified whether the store recorded keyspace notifications: then the keys of the reads that found a value
   *     are asked too, since a change outside the traced services may have come between the write and the read
   */
  public static void set(Collection<List<TraceSpan>> traces, Function<TraceSpan, ReadLineage> lineage,
      Function<TimelineRequest, KeyTimeline> timeline, boolean notified) {
    List<MissCauses.Read> missed = new ArrayList<>();
    for (List<TraceSpan> spans : traces) {
      for (TraceSpan span : spans) {
        if ((notified || Boolean.FALSE.equals(span.found)) && span.namesKey() && lineage.apply(span) != null) {
          missed.add(new MissCauses.Read(span.traceId(), span.spanId(), span.key()));
        }
      }
    }
    Map<String, MissCauses.Cause> causes = Map.of();
    if (!missed.isEmpty()) {
      try {
        causes = MissCauses.of(timeline, missed);
      } catch (CollectorException e) {
        Log.warn("no causes for the reads that found nothing: " + e.getMessage());
      }
    }
    for (List<TraceSpan> spans : traces) {
      for (TraceSpan span : spans) {
        ReadLineage read = lineage.apply(span);
        if (read != null) {
          MissCauses.Cause cause = causes.get(MissCauses.id(span.traceId(), span.spanId()));
          span.lineage((cause == null ? read : read.withCause(cause.kind(), cause.reason())).describe(span.traceId()));
        }
      }
    }
  }
}
