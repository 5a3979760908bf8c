package io.memtrace.collector.lineage;

import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.store.PromotedAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The lineage of the reads of one trace or several: the {@code lineage} view's rows for them, with each writer's task.
 *
 * <p>Over the key events the store keeps ({@link KeyEventStore}), each stored read carries its writer, so the
 * lineage of any number of traces is one query: their reads (a time window of the table), with the tail answered
 * for them.
 *
 * <p>A store opened read-only that an older collector wrote has no such table: it is asked trace by trace
 * ({@link WindowedLineage}).
 */
public final class TraceLineage {

  private TraceLineage() {
  }

  /**
   * One trace whose reads are asked about.
   *
   * @param traceId the whole trace id
   * @param keys the keys the trace's spans name (memory-manager and Redis keys alike)
   * @param startMicros when the trace's first span began; {@code endMicros} when its last one ended
   */
  public record Trace(String traceId, Collection<String> keys, long startMicros, long endMicros) {

    /** The trace's reads of its keys, in {@code key_event_rows}. */
    String reads() {
      return "(trace_id = " + literal(traceId) + " AND key IN (" + keyList() + ") AND time BETWEEN make_timestamp("
          + startMicros + ") AND make_timestamp(" + endMicros + "))";
    }

    String keyList() {
      return keys.stream().distinct().map(TraceLineage::literal).collect(Collectors.joining(", "));
    }
  }

  /**
   * @param traceId the whole trace id
   * @param keys the keys the trace's spans name (memory-manager and Redis keys alike)
   * @param startMicros when the trace's first span began; {@code endMicros} when its last one ended
   * @return by read span id
   */
  public static Map<String, ReadLineage> of(SqlSource source, String traceId, Collection<String> keys, long startMicros,
      long endMicros) {
    return of(source, List.of(new Trace(traceId, keys, startMicros, endMicros))).getOrDefault(traceId, Map.of());
  }

  /**
   * The lineage of the reads of several traces, by trace id and then read span id. Over the kept events it is one
   * query for all of them (most of its time is planning the views, 0.1 s at each call); a store without them is
   * asked trace by trace.
   */
  public static Map<String, Map<String, ReadLineage>> of(SqlSource source, List<Trace> traces) {
    List<Trace> asked = traces.stream().filter(t -> !t.keys().isEmpty()).toList();
    return asked.isEmpty() ? new LinkedHashMap<>()
        : of(source, asked, KeyEvents.of(source, asked.stream().flatMap(t -> t.keys().stream()).toList()));
  }

  /** {@link #of(SqlSource, List)} with {@code events} asked of the store for the traces' keys. */
  public static Map<String, Map<String, ReadLineage>> of(SqlSource source, List<Trace> traces, KeyEvents events) {
    Map<String, Map<String, ReadLineage>> reads = new LinkedHashMap<>();
    List<Trace> asked = traces.stream().filter(t -> !t.keys().isEmpty()).toList();
    if (asked.isEmpty()) {
      return reads;
    }
    String spans = PromotedAttributes.spansWithColumns(events.spanColumns());
    List<ResultTable> answers = new ArrayList<>();
    boolean noticed = noticed(source);
    if (events.kept()) {
      // the stored reads carry their writers: one query, whatever the age of the writes
      Scope scope = keptScope(asked, noticed);
      String readScope = scope.reads();
      if (events.tailFree()) {
        // nothing of their keys in the tail: each read's writer is the one its stored row keeps
        answers.add(source.queryOwn(LINEAGE_COLUMNS + StoredLineage.of(scope) + ")"));
      } else if (!events.tailByKey() || !tailByKey(source, scope, asked, answers)) {
        if (source.queryOwn("SELECT 1 FROM key_event_rows WHERE access = 'read' AND " + readScope + " LIMIT 1")
            .size() > 0) {
          answers.add(source.queryOwn(LINEAGE_COLUMNS + LineageViews.kept(scope) + ")"));
        }
      }
    } else {
      for (Trace trace : asked) {
        answers.addAll(WindowedLineage.of(source, trace, noticed));
      }
    }
    Map<String, String> tasks = WriterTasks.of(source, spans, answers);
    for (ResultTable rows : answers) {
      for (int i = 0; i < rows.size(); i++) {
        String write = rows.text(i, "write_span_id");
        reads.computeIfAbsent(rows.text(i, "read_trace_id"), t -> new LinkedHashMap<>()).put(rows.text(i, "read_span_id"),
            new ReadLineage(rows.text(i, "read_span_id"),
            rows.text(i, "read_service"), rows.text(i, "writer"), rows.text(i, "miss"), rows.text(i, "write_trace_id"),
            rows.text(i, "write_service"), rows.text(i, "write_access"),
            write == null ? null : tasks.getOrDefault(write, rows.text(i, "write_name")), rows.decimal(i, "value_age_ms"),
            rows.value(i, "write_ttl") == null ? null : rows.number(i, "write_ttl")));
      }
    }
    return reads;
  }

  /**
   * The {@code lineage} view's rows for many reads at once, from their stored rows: the reads named by {@code pairs}
   * (a relation of trace ids {@code t} and span ids {@code s}) that began between {@code fromMicros} and {@code toMicros}, whose
   * keys the tail names none of ({@link KeyEvents#tailFree}). Through the view, which answers the whole tail and the
   * compressed writes' window first, 10,000 reads of model calls took 1 to 2.5 s a query in a store of 55,000 spans.
   */
  public static ResultTable storedReads(SqlSource source, long fromMicros, long toMicros, String pairs) {
    Scope scope = new Scope("time BETWEEN make_timestamp(" + fromMicros + ") AND make_timestamp(" + toMicros
        + ") AND (trace_id, span_id) IN (SELECT t, s FROM " + pairs + ")", "true",
        "start_time <= make_timestamp(" + toMicros + ")", noticed(source));
    return source.queryOwn(LINEAGE_COLUMNS + StoredLineage.of(scope) + ")");
  }

  /**
   * The {@code lineage} view's rows for a few reads of a store that keeps its key events, named by {@code pairs} as
   * for {@link #storedReads}, with their writers named: for a question that picked them from
   * {@link LineageViews#relation(SqlSource)}, which leaves the writers' traces and names null so that a question of
   * every read joins no write. From the stored rows alone when the tail is empty, else as the view answers them.
   */
  public static ResultTable keptReads(SqlSource source, long fromMicros, long toMicros, String pairs) {
    return source.queryOwn(LINEAGE_COLUMNS + keptRelation(source, fromMicros, toMicros, pairs) + ")");
  }

  /**
   * {@link #keptReads}'s rows with all the {@code lineage} view's columns, as a relation (a query to put in
   * parentheses): for a question of a few reads of a store that keeps its key events. The view names the writers of
   * every read it gives before a filter keeps a few (8.5 s for one read at 10M spans, against 1.4 s before the names
   * were looked up); this names only theirs.
   */
  public static String keptRelation(SqlSource source, long fromMicros, long toMicros, String pairs) {
    Scope scope = new Scope("time BETWEEN make_timestamp(" + fromMicros + ") AND make_timestamp(" + toMicros
        + ") AND (trace_id, span_id) IN (SELECT t, s FROM " + pairs + ")", "true",
        "start_time <= make_timestamp(" + toMicros + ")", noticed(source));
    return LineageViews.storedOnly(source) ? StoredLineage.of(scope) : LineageViews.kept(scope);
  }

  /**
   * Whether the store holds any keyspace notification: without one, none can change a kept answer, and the lineage
   * statements leave {@link NoticedChanges} out ({@link Scope#unnoticed}).
   */
  static boolean noticed(SqlSource source) {
    return source.queryOwn("SELECT 1 FROM key_notification LIMIT 1").size() > 0;
  }

  /**
   * {@link #keptScope(List)}, {@link Scope#unnoticed} when not {@code noticed} ({@link #noticed}): the scope the
   * lineage of the traces is asked in.
   */
  static Scope keptScope(List<Trace> asked, boolean noticed) {
    return noticed ? keptScope(asked) : keptScope(asked).unnoticed();
  }

  /**
   * The reads of the traces (each naming its keys) and the compressed counts up to their end, over the kept events.
   */
  static Scope keptScope(List<Trace> asked) {
    long start = asked.stream().mapToLong(Trace::startMicros).min().orElseThrow();
    long end = asked.stream().mapToLong(Trace::endMicros).max().orElseThrow();
    // the bounds of all of them first: DuckDB pushes no filter of a disjunction into the scan, so without them
    // every event's row group was read (3.7 s instead of 0.2 for ten traces at 10M spans)
    String readScope = "time BETWEEN make_timestamp(" + start + ") AND make_timestamp(" + end + ") AND trace_id IN ("
        + asked.stream().map(t -> literal(t.traceId())).collect(Collectors.joining(", ")) + ") AND "
        + asked.stream().map(Trace::reads).collect(Collectors.joining(" OR ", "(", ")"));
    return new Scope(readScope, "true", "start_time <= make_timestamp(" + end + ")");
  }

  /**
   * The lineage of the reads of {@code scope} from the tail's events of the traces' keys alone ({@link TailLineage});
   * false, with nothing added, when a read of the tail needs its place's stored history.
   */
  private static boolean tailByKey(SqlSource source, Scope scope, List<Trace> asked, List<ResultTable> answers) {
    String keys = asked.stream().flatMap(t -> t.keys().stream()).distinct().map(TraceLineage::literal)
        .collect(Collectors.joining(", "));
    ResultTable rows = source.queryOwn(LINEAGE_COLUMNS.replace(" FROM (", ", needs_history FROM (")
        + TailLineage.of(scope, keys) + ")");
    if (rows.size() > 0 && Boolean.TRUE.equals(rows.bool(0, "needs_history"))) {
      return false;
    }
    answers.add(rows);
    return true;
  }

  static final String LINEAGE_COLUMNS = "SELECT read_trace_id, read_span_id, read_service, writer, miss, "
      + "write_trace_id, write_span_id, write_service, write_name, write_access, write_time, value_age_ms, write_ttl FROM (";

  static String literal(String text) {
    return "'" + text.replace("'", "''") + "'";
  }
}
