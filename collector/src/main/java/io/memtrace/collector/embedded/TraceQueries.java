package io.memtrace.collector.embedded;

import io.memtrace.collector.CollectorException;
import io.memtrace.collector.Log;
import io.memtrace.collector.lineage.ReadLineage;
import io.memtrace.collector.lineage.TraceLineage;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.store.MemoryConventions;
import io.memtrace.collector.store.PromotedAttributes;
import io.memtrace.collector.timeline.MissCauses;
import io.memtrace.collector.view.ReadLines;
import io.memtrace.collector.view.TraceSpan;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Loads whole traces. The queries are the collector's own ({@link SqlSource#queryOwn}): read-only, and in this
 * process without the parse a user's statement gets (they may travel to a running server, which checks them), so
 * values are inlined after validation instead of bound.
 */
public final class TraceQueries {

  private static final Function<String, String> ATTRIBUTE = PromotedAttributes.FROM_MAP;

  private static final String SPAN_FIELDS = "trace_id, span_id, parent_span_id, name, service_name, "
      + "epoch_us(start_time) AS start_us, duration_ms, status_code, status_message, "
      + MemoryConventions.keySql(ATTRIBUTE) + " AS key, attributes['agent.id']::VARCHAR AS agent, "
      + "attributes['test.case.name']::VARCHAR AS test_case, "
      + MemoryConventions.namespaceSql(ATTRIBUTE) + " AS namespace, "
      + "TRY_CAST(attributes['memory.value_size'] AS BIGINT) AS size, "
      + "attributes['memtrace.derived.from'] IS NOT NULL AS from_statement, "
      + "coalesce(contains(attributes['memtrace.unknown']::VARCHAR, 'memory.key'), false) AS key_unknown, "
      + "TRY_CAST(attributes['memory.found'] AS BOOLEAN) AS found, "
      + MemoryConventions.resultCountSql(ATTRIBUTE) + " AS results, "
      + MemoryConventions.itemCountSql(ATTRIBUTE) + " AS items, "
      + MemoryConventions.operationSql(ATTRIBUTE) + " AS memory_operation, "
      + "attributes['db.operation.name']::VARCHAR AS db_operation, "
      + "attributes['error.type']::VARCHAR AS error_type, " + PromotedAttributes.DATABASE_FIELDS_FROM_MAP + ", "
      // events are read only from spans that carry compressed counts
      + "CASE WHEN attributes['memtrace.compressed.count'] IS NOT NULL THEN events::VARCHAR END AS compressed_events";

  private TraceQueries() {
  }

  /**
   * Which traces to show: their ids, oldest first, and, when they were chosen as the most recent, the earliest of
   * their latest span starts ({@code latestFrom}, epoch microseconds), from which their spans are looked for.
   */
  public record Chosen(List<String> ids, Long latestFrom) {
    public Chosen {
      ids = List.copyOf(ids);
    }
  }

  /** The given trace (its id or a prefix), or the {@code last} most recent (optionally of one service), oldest first. */
  public static Chosen choose(SqlSource source, String traceId, int last, String service) {
    if (traceId != null) {
      String id = traceId.trim().toLowerCase();
      if (!id.matches("[0-9a-f]{1,32}")) {
        throw new CollectorException("--trace '" + traceId + "' is not a hex trace id");
      }
      return new Chosen(List.of(id), null);
    }
    String where = service == null ? "" : " AND service_name = " + literal(service);
    int wanted = Math.max(1, last);
    // The latest traces are those whose latest span began last: group only the spans that began in a window
    // before the latest start, widening it until it holds enough traces or every span. A trace with a span in
    // the window has its latest span there, and every trace outside ended its spans' starts before the window,
    // so the answer is exact. The first and latest starts come from the row groups' statistics, and the
    // window's bound skips every older row group: grouping every span by trace took 2.7 s at 10M spans, and a
    // window found by sorting every start 0.26 s.
    ResultTable range = source.queryOwn("SELECT epoch_us(min(start_time)) AS first, epoch_us(max(start_time)) AS latest "
        + "FROM spans WHERE true" + where);
    if (range.value(0, "latest") == null) {
      return new Chosen(List.of(), null);
    }
    long first = range.number(0, "first");
    long latest = range.number(0, "latest");
    ResultTable ids;
    for (long width = 1_000_000L; ; width *= 16) {
      long from = latest - width;
      ids = source.queryOwn("SELECT trace_id, epoch_us(max(start_time)) AS latest FROM spans WHERE start_time >= "
          + "make_timestamp(" + from + ")" + where + " GROUP BY trace_id ORDER BY latest DESC, trace_id LIMIT " + wanted);
      if (ids.size() >= wanted || from <= first) {
        break;
      }
    }
    List<String> result = new ArrayList<>();
    Long latestFrom = null;
    for (int i = ids.size() - 1; i >= 0; i--) {
      result.add(ids.text(i, "trace_id"));
      latestFrom = latestFrom == null ? ids.number(i, "latest") : Math.min(latestFrom, ids.number(i, "latest"));
    }
    return new Chosen(result, latestFrom);
  }

  /** The spans of each trace, keyed by trace id in the order given; a prefix of an id matches too. */
  public static Map<String, List<TraceSpan>> load(SqlSource source, List<String> traceIds) {
    return load(source, new Chosen(traceIds, null));
  }

  /**
   * The spans of each chosen trace, keyed by trace id in the order given; a prefix of an id matches too.
   *
   * <p>Finding a trace's spans by its id reads every span's id (0.28 s at 10M spans, for any number of traces). For
   * traces chosen as the most recent, their spans are first looked for in a window of start times before their
   * latest one, which the row groups' bounds keep small. A trace is whole there once its root span is in the
   * window with {@link #SKEW_MICROS} to spare, as its other spans start after its root (give or take the clocks
   * of its services); the traces not whole after the wider window, such as a fragment without its root, are
   * read by id alone.
   */
  public static Map<String, List<TraceSpan>> load(SqlSource source, Chosen chosen) {
    Map<String, List<TraceSpan>> traces = new LinkedHashMap<>();
    for (String id : chosen.ids()) {
      traces.put(id, new ArrayList<>());
    }
    if (traces.isEmpty()) {
      return traces;
    }
    Set<String> open = new LinkedHashSet<>(chosen.ids());
    if (chosen.latestFrom() != null) {
      for (long width : WINDOWS_MICROS) {
        long from = chosen.latestFrom() - width;
        Map<String, List<TraceSpan>> found = spansOf(source, open, " AND start_time >= make_timestamp(" + from + ")");
        for (Map.Entry<String, List<TraceSpan>> trace : found.entrySet()) {
          if (trace.getValue().stream().anyMatch(s -> s.parentSpanId() == null && s.startMicros() - SKEW_MICROS >= from)) {
            traces.put(trace.getKey(), trace.getValue());
            open.remove(trace.getKey());
          }
        }
        if (open.isEmpty()) {
          break;
        }
      }
    }
    if (!open.isEmpty()) {
      traces.putAll(spansById(source, open));
    }
    attachLineage(source, traces.values());
    return traces;
  }

  /** How far before the chosen traces' latest starts their spans are looked for, first and then. */
  private static final long[] WINDOWS_MICROS = {1_000_000L, 60_000_000L};

  /** How much earlier than its root a span of the trace may start, by the clocks of the services it crossed. */
  private static final long SKEW_MICROS = 1_000_000L;

  /**
   * The spans of the traces (ids or prefixes), by trace, in start order, found by id alone: first the bounds of their
   * start times, from the ids' column only, then their spans' fields within those bounds, which the row groups'
   * statistics narrow to a few. Asked in one statement, every row group's wide columns were read for the few spans
   * that matched: 0.57-0.59 s for one trace at 10M spans, against 0.39-0.41 s for the bounds and 0.04-0.05 s for the
   * fields within them (best of 4, load 7-9).
   */
  private static Map<String, List<TraceSpan>> spansById(SqlSource source, Set<String> traceIds) {
    ResultTable bounds = source.queryOwn("SELECT epoch_us(min(start_time)) AS first, epoch_us(max(start_time)) AS last "
        + "FROM spans WHERE " + matching(traceIds));
    if (bounds.value(0, "first") == null) {
      return new LinkedHashMap<>();
    }
    return spansOf(source, traceIds, " AND start_time BETWEEN make_timestamp(" + bounds.number(0, "first")
        + ") AND make_timestamp(" + bounds.number(0, "last") + ")");
  }

  /** A whole id (32 hex digits) by equality, which scans faster than a prefix (0.39-0.41 s against 0.48 at 10M). */
  private static String matching(Set<String> traceIds) {
    return "(" + traceIds.stream().map(id -> id.length() == 32 ? "trace_id = " + literal(id)
        : "starts_with(trace_id, " + literal(id) + ")").collect(Collectors.joining(" OR ")) + ")";
  }

  /** The spans of the traces (ids or prefixes) that {@code when} admits, by trace, in start order. */
  private static Map<String, List<TraceSpan>> spansOf(SqlSource source, Set<String> traceIds, String when) {
    ResultTable rows = source.queryOwn("SELECT " + SPAN_FIELDS + " FROM spans WHERE " + matching(traceIds) + when
        + " ORDER BY start_time, span_id");
    Map<String, List<TraceSpan>> traces = new LinkedHashMap<>();
    for (int i = 0; i < rows.size(); i++) {
      TraceSpan span = TraceSpan.of(rows, i);
      String owner = traceIds.stream().filter(span.traceId()::startsWith).findFirst().orElse(span.traceId());
      traces.computeIfAbsent(owner, k -> new ArrayList<>()).add(span);
    }
    return traces;
  }

  /**
   * Sets {@link TraceSpan#lineage()} on each read of the traces (a trace has one id, though a prefix loaded it), all
   * traces in one lineage query: most of each query's time is planning its views. A server too old to have the
   * view gets its traces without.
   */
  private static void attachLineage(SqlSource source, Collection<List<TraceSpan>> traces) {
    List<TraceLineage.Trace> asked = new ArrayList<>();
    for (List<TraceSpan> spans : traces) {
      Set<String> keys = spans.stream().filter(TraceSpan::namesKey).map(TraceSpan::key).collect(Collectors.toCollection(TreeSet::new));
      if (!keys.isEmpty()) {
        long start = spans.stream().mapToLong(TraceSpan::startMicros).min().orElse(0);
        long end = spans.stream().mapToLong(s -> s.startMicros() + (long) Math.ceil(s.durationMillis() * 1000)).max().orElse(start);
        asked.add(new TraceLineage.Trace(spans.get(0).traceId(), keys, start, end));
      }
    }
    if (asked.isEmpty()) {
      return;
    }
    Map<String, Map<String, ReadLineage>> reads;
    try {
      reads = TraceLineage.of(source, asked);
    } catch (CollectorException e) {
      Log.warn("no lineage for trace" + (asked.size() == 1 ? " " : "s ") + asked.stream().map(TraceLineage.Trace::traceId)
          .collect(Collectors.joining(", ")) + ": " + e.getMessage());
      return;
    }
    Map<String, Map<String, ReadLineage>> found = reads;
    ReadLines.set(traces, span -> found.getOrDefault(span.traceId(), Map.of()).get(span.spanId()),
        request -> TimelineQueries.timeline(source, request),
        MissCauses.notified(source, "SELECT 1 FROM key_notification LIMIT 1"));
  }

  static String literal(String text) {
    return "'" + text.replace("'", "''") + "'";
  }
}
