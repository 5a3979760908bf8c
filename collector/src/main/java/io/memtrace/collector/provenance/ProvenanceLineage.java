package io.memtrace.collector.provenance;

import io.memtrace.collector.CollectorException;
import io.memtrace.collector.lineage.KeyEvents;
import io.memtrace.collector.lineage.LineageViews;
import io.memtrace.collector.lineage.ReadLineage;
import io.memtrace.collector.lineage.TraceLineage;
import io.memtrace.collector.provenance.ProvenanceInputs.Span;
import io.memtrace.collector.provenance.ProvenanceInputs.Write;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the memory reads behind model calls saw, and what happened to their keys after: each read's writer (the
 * lineage, as {@code traces} shows it under a read), and the writes and deletes of the keys read up to the last call,
 * from which {@link Provenance#assemble} tells a stale context. The rest of what it joins is {@link ProvenanceQueries}'.
 */
final class ProvenanceLineage {

  /** Reads per lineage query: each query reads the lineage view of its stretch of time, so fewer and larger is cheaper. */
  private static final int LINEAGE_CHUNK = 10_000;
  /**
   * Up to this many traces, their reads' lineage is {@link TraceLineage#of(SqlSource, List)}'s, which names each
   * writer's task; past it, one question per {@link #LINEAGE_CHUNK} reads of the {@code lineage} view within their times,
   * which names the write span instead: the former's one disjunction per trace took minutes for 10,000 traces.
   */
  private static final int FEW_TRACES = 20;

  private ProvenanceLineage() {
  }

  /** The lineage of the reads in the memory spans' traces, by trace and read span id. */
  static Map<String, Map<String, ReadLineage>> lineage(SqlSource source, Collection<Span> memory,
      Map<String, List<Span>> children, KeyEvents events) {
    Map<String, TraceLineage.Trace> traces = new LinkedHashMap<>();
    Map<String, Set<String>> keys = new HashMap<>();
    Map<String, long[]> bounds = new HashMap<>();
    for (Span m : memory) {
      List<Span> subtree = new ArrayList<>();
      subtree.add(m);
      for (int i = 0; i < subtree.size() && i < 10_000; i++) {
        subtree.addAll(children.getOrDefault(ProvenanceInputs.id(subtree.get(i).traceId(), subtree.get(i).spanId()), List.of()));
      }
      for (Span s : subtree) {
        if (s.key() != null) {
          keys.computeIfAbsent(m.traceId(), t -> new LinkedHashSet<>()).add(s.key());
          long[] b = bounds.computeIfAbsent(m.traceId(), t -> new long[] {Long.MAX_VALUE, Long.MIN_VALUE});
          b[0] = Math.min(b[0], s.startMicros());
          b[1] = Math.max(b[1], s.endMicros());
        }
      }
    }
    keys.forEach((trace, k) -> traces.put(trace, new TraceLineage.Trace(trace, k, bounds.get(trace)[0], bounds.get(trace)[1])));
    Map<String, Map<String, ReadLineage>> lineage = new HashMap<>();
    try {
      if (traces.size() <= FEW_TRACES) {
        return TraceLineage.of(source, new ArrayList<>(traces.values()), events);
      }
      // the reads in time order, so that each chunk's query reads only the lineage of its own stretch of time
      List<Span> all = new ArrayList<>();
      children.values().stream().flatMap(List::stream).filter(s -> s.key() != null).forEach(all::add);
      memory.stream().filter(m -> m.key() != null).forEach(all::add);
      all.sort(Comparator.comparingLong(Span::startMicros));
      for (List<Span> chunk : ProvenanceQueries.chunks(all, LINEAGE_CHUNK)) {
        long from = chunk.get(0).startMicros();
        long to = chunk.get(chunk.size() - 1).startMicros();
        List<String> ids = chunk.stream().map(s -> ProvenanceInputs.id(s.traceId(), s.spanId())).toList();
        // the tail naming none of the keys, each read's answer is its stored row's
        ResultTable rows = events.tailFree() ? TraceLineage.storedReads(source, from, to, ProvenanceQueries.pairs(ids))
            // the view names the writers of every read before the join keeps these (seconds at 10M spans)
            : LineageViews.kept(source) ? TraceLineage.keptReads(source, from, to, ProvenanceQueries.pairs(ids))
            : source.queryOwn("SELECT read_trace_id, read_span_id, read_service, writer, miss, write_trace_id, "
            + "write_service, write_name, write_access, value_age_ms, write_ttl FROM lineage JOIN " + ProvenanceQueries.pairs(ids)
            + " AS r ON read_trace_id = r.t AND read_span_id = r.s WHERE read_time BETWEEN make_timestamp(" + from
            + ") AND make_timestamp(" + to + ")");
        for (int i = 0; i < rows.size(); i++) {
          lineage.computeIfAbsent(rows.text(i, "read_trace_id"), t -> new HashMap<>()).put(rows.text(i, "read_span_id"),
              new ReadLineage(rows.text(i, "read_span_id"), rows.text(i, "read_service"), rows.text(i, "writer"),
                  rows.text(i, "miss"), rows.text(i, "write_trace_id"), rows.text(i, "write_service"),
                  rows.text(i, "write_access"), rows.text(i, "write_name"), rows.decimal(i, "value_age_ms"),
                  rows.value(i, "write_ttl") == null ? null : rows.number(i, "write_ttl")));
        }
      }
    } catch (CollectorException e) {
      // a store without the lineage views (a server too old to have them): the records show without writers
    }
    return lineage;
  }

  /**
   * The writes and deletes of the keys read, from the first read to the last call: of the stored events alone when
   * the tail names none of the keys ({@link KeyEvents#relation}), whose plan is a fraction of the view's.
   */
  static List<Write> writes(SqlSource source, Collection<Span> spans, long lastCall, KeyEvents events) {
    Set<String> keys = spans.stream().map(Span::key).filter(k -> k != null).collect(Collectors.toCollection(LinkedHashSet::new));
    if (keys.isEmpty()) {
      return List.of();
    }
    long from = spans.stream().mapToLong(Span::startMicros).min().orElseThrow();
    List<Write> writes = new ArrayList<>();
    try {
      for (List<String> chunk : ProvenanceQueries.chunks(new ArrayList<>(keys), ProvenanceQueries.CHUNK)) {
        ResultTable rows = source.queryOwn("SELECT layer, redis, db, namespace, e.key, epoch_us(time) AS start_us, "
            + "epoch_us(end_time) AS end_us, service_name, trace_id FROM " + events.relation() + " AS e JOIN " + ProvenanceQueries.texts(chunk)
            + " AS k ON e.key = k.v WHERE access IN ('write', 'delete') AND status_code IS DISTINCT FROM 'ERROR' "
            + "AND end_time >= make_timestamp(" + from + ") AND time <= make_timestamp(" + lastCall + ") ORDER BY time");
        for (int i = 0; i < rows.size(); i++) {
          writes.add(new Write(rows.text(i, "layer"), rows.text(i, "redis"),
              rows.value(i, "db") == null ? null : (int) rows.number(i, "db"), rows.text(i, "namespace"),
              rows.text(i, "key"), rows.number(i, "start_us"), rows.number(i, "end_us"), rows.text(i, "service_name"),
              rows.text(i, "trace_id")));
        }
      }
    } catch (CollectorException e) {
      return List.of(); // no key_event_rows: nothing is called stale
    }
    return writes;
  }
}
