package io.memtrace.collector.lineage;

import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@link TraceLineage} over a store without the kept key events ({@link KeyEventStore}).
 *
 * <p>A store opened read-only that an older collector wrote has no such table, and its view joins every write
 * in the store (DuckDB pushes no filter through an {@code ASOF JOIN} to its right side): 4 to 15 s at 10M spans.
 * There the same join is run trace by trace on a {@link Scope}: the trace's reads, and the writes of the trace's keys that ended
 * within a window before the trace, first ten seconds, then ten minutes, a day, and all time, for the reads
 * still without a writer. The store is kept in time order, so a window reads only the row groups of its time.
 * A read whose writer is found in a window (or a compressed span that may hide it) has the view's answer; only
 * a read whose key was never written before it needs the last, whole-store step.
 */
final class WindowedLineage {

  /** How far before the trace each step looks, in seconds; then all time. */
  static final long[] WINDOWS = {10, 600, 86_400};

  private WindowedLineage() {
  }

  /**
   * One trace's lineage over a store without kept events: the view's join on the trace's reads and the writes of its
   * places within widening windows before it.
   */
  static List<ResultTable> of(SqlSource source, TraceLineage.Trace trace, boolean noticed) {
    String keyList = trace.keyList();
    String end = "make_timestamp(" + trace.endMicros() + ")";
    String readScope = trace.reads();
    // the places of the trace's reads: a write elsewhere is no candidate, and over the key-event table the place
    // hash is an 8-byte column to scan where the key is a string (the key still narrows the events a store
    // without the table derives from its spans)
    ResultTable places = source.queryOwn("SELECT DISTINCT place_a FROM key_event_rows WHERE access = 'read' AND " + readScope);
    List<ResultTable> answers = new ArrayList<>();
    if (places.size() == 0) {
      return answers;
    }
    // as a join, not an IN list: DuckDB checks a list only against each row group's bounds in the scan, and
    // filters after reading every column of the rows in the window (24 ms against 7 for ten seconds at 10M spans);
    // a join's keys filter in the scan itself
    String placeList = "SELECT a FROM (VALUES " + places.rows().stream().map(r -> "(" + r.get(0) + "::UBIGINT)")
        .collect(Collectors.joining(", ")) + ") AS p(a)";
    Set<String> open = null;
    for (int step = 0; step <= WINDOWS.length && (open == null || !open.isEmpty()); step++) {
      boolean last = step == WINDOWS.length;
      String from = last ? null : "make_timestamp(" + (trace.startMicros() - WINDOWS[step] * 1_000_000) + ")";
      String reading = open == null ? readScope : readScope + " AND span_id IN (" + open.stream().map(TraceLineage::literal)
          .collect(Collectors.joining(", ")) + ")";
      Scope scope = new Scope(reading, "place_a IN (" + placeList + ") AND key IN (" + keyList + ") AND end_time <= " + end
          + (last ? "" : " AND end_time >= " + from), "start_time <= " + end + (last ? "" : " AND end_time >= " + from),
          noticed);
      // the first step returns every read of the trace, to know which are still open; later ones only the answered
      ResultTable rows = source.queryOwn(TraceLineage.LINEAGE_COLUMNS + LineageViews.lineage(scope) + ")" + (last || open == null ? "" : " WHERE writer <> 'not_in_store'"));
      if (open == null) {
        open = new HashSet<>();
      }
      List<List<Object>> answered = new ArrayList<>();
      for (int i = 0; i < rows.size(); i++) {
        if (last || !"not_in_store".equals(rows.text(i, "writer"))) {
          answered.add(rows.rows().get(i));
          open.remove(rows.text(i, "read_span_id"));
        } else {
          open.add(rows.text(i, "read_span_id"));
        }
      }
      answers.add(new ResultTable(rows.columns(), answered, false));
    }
    return answers;
  }
}
