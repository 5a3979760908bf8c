package io.memtrace.collector.lineage;

import static io.memtrace.collector.SpanFixtures.attr;
import static io.memtrace.collector.SpanFixtures.span;
import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.collector.SpanFixtures;
import io.memtrace.collector.query.LocalSqlSource;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.query.TestQueryLimits;
import io.memtrace.collector.store.SpanStore;
import io.memtrace.collector.store.StoreFiles;
import io.memtrace.collector.store.TestStores;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trace's lineage read from the stored answers alone ({@link StoredLineage}, taken when the tail names none of
 * its keys) is the one the kept view gives by answering the tail: on a generated store of two moves, with a tail
 * that holds a late write of a stored key, a read of a stored key, and a compressed count of a namespace that stored
 * reads read after; and again once the tail is compacted.
 */
class StoredLineageTest {

  @TempDir
  Path dir;

  @Test
  void shouldGiveEveryReadTheAnswerOfTheViewThatAnswersTheTail() throws Exception {
    GeneratedStore.compactedInMoves(dir, GeneratedStore.generated(new Random(41), 12, 60), 2);
    try (SpanStore store = TestStores.open(dir, false)) {
      TestStores.write(store, tail());
      try (Connection connection = store.newConnection()) {
        SqlSource source = TestStores.source(connection);
        assertThat(source.query("SELECT count(*) AS n FROM span_ingest").number(0, "n")).as("a tail").isEqualTo(4);
        int[] paths = compareEveryTrace(source);
        assertThat(paths[0]).as("traces whose keys the tail names none of").isGreaterThan(5);
        assertThat(paths[1]).as("traces whose keys it names").isGreaterThan(5);
        assertThat(compareTailByKey(source)).as("traces the tail's events of their keys answered").isGreaterThan(5);
      }
    }
    try (LocalSqlSource source = TestQueryLimits.local(new StoreFiles(dir))) {
      int[] paths = compareEveryTrace(source);
      assertThat(paths[1]).as("compacted: every trace from its stored rows").isZero();
    }
  }

  /**
   * A late write of ns0:3 (it ended before stored reads of it began), a read of ns1:4 after all, and a span whose
   * compressed count may hide a write of namespace ns2 from 3 s on.
   */
  private static ExportTraceServiceRequest tail() {
    String trace = "000000000000000000000000000077a1";
    return SpanFixtures.request("svc-late", List.of(
        LineageFixtures.redis(trace, null, "SET", 1005, 1, "ns0:3", "10.0.0.5", 6379, "0"),
        LineageFixtures.redis(trace, null, "SET", 1205, 1, "ns0:3", "10.0.0.6", 6379, "0"),
        LineageFixtures.redis(trace, null, "GET", 9000, 1, "ns1:4", "10.0.0.5", 6379, "0", "memory.found", true),
        span(trace, null, "app.task.bulk", 3000, 400).addAttributes(attr("memtrace.compressed.count", 3L))
            .addEvents(LineageFixtures.compressed("SET", "ns2", 3)).build()));
  }

  /**
   * For an eighth of the traces that read (by a hash of the id), its lineage as {@link TraceLineage#of(SqlSource,
   * List)} gives it and as the kept view gives it (every trace also in one question): equal. The traces whose keys
   * the tail names none of, and the others.
   */
  private static int[] compareEveryTrace(SqlSource source) {
    ResultTable traces = source.queryOwn("SELECT trace_id, min(epoch_us(start_time)) AS t0, max(epoch_us(end_time)) AS t1, "
        + "list(DISTINCT memory_key) FILTER (WHERE memory_key IS NOT NULL) AS keys FROM spans GROUP BY trace_id "
        + "HAVING trace_id IN (SELECT read_trace_id FROM lineage) AND hash(trace_id) % 8 = 0 ORDER BY trace_id");
    assertThat(traces.size()).isGreaterThan(12);
    int[] paths = new int[2];
    List<TraceLineage.Trace> all = new ArrayList<>();
    int compressed = 0;
    for (int t = 0; t < traces.size(); t++) {
      @SuppressWarnings("unchecked")
      List<String> keys = (List<String>) traces.value(t, "keys");
      TraceLineage.Trace trace = new TraceLineage.Trace(traces.text(t, "trace_id"), keys, traces.number(t, "t0"),
          traces.number(t, "t1"));
      all.add(trace);
      KeyEvents events = KeyEvents.of(source, keys);
      paths[events.tailFree() ? 0 : 1]++;
      Map<String, Map<String, ReadLineage>> answered = TraceLineage.of(source, List.of(trace));
      assertThat(answered).as(trace.traceId()).isEqualTo(TraceLineage.of(source, List.of(trace), viewOnly(events)))
          .isNotEmpty();
      compressed += (int) answered.get(trace.traceId()).values().stream().filter(r -> "compressed".equals(r.writer()))
          .count();
    }
    assertThat(compressed).as("reads a compressed count may hide the writer of").isGreaterThan(0);
    // twelve in one question, as traces --last asks (the view's disjunction of many more outgrows a test's memory)
    List<TraceLineage.Trace> some = all.subList(0, 12);
    KeyEvents events = KeyEvents.of(source, some.stream().flatMap(t -> t.keys().stream()).toList());
    assertThat(TraceLineage.of(source, some)).isEqualTo(TraceLineage.of(source, some, viewOnly(events))).hasSize(12);
    return paths;
  }

  /**
   * For every trace that reads a key the tail names (the tail's own among them), its reads' rows as {@link TailLineage}
   * answers them from the tail's events of its keys (in the scope {@link TraceLineage} asks it in: without the
   * notifications' parts, the store holding none), and as the kept view answers them from the whole tail: equal,
   * and none needing its place's stored history (which would send the question the view's way). Returns how many.
   * The kept view is the {@code lineage} view ({@link LineageViews#kept} of every read), asked once for all the
   * traces' reads and taken trace by trace: a question of it scoped to each trace cost a second or more each.
   */
  private static int compareTailByKey(SqlSource source) {
    ResultTable traces = source.queryOwn("SELECT trace_id, min(epoch_us(start_time)) AS t0, max(epoch_us(end_time)) AS t1, "
        + "list(DISTINCT memory_key) FILTER (WHERE memory_key IS NOT NULL) AS keys FROM spans GROUP BY trace_id "
        + "HAVING trace_id IN (SELECT read_trace_id FROM lineage) AND list_has_any(list(memory_key), (SELECT "
        + "list(memory_key) FROM span_ingest)) ORDER BY trace_id");
    String columns = "SELECT read_trace_id, read_span_id, writer, miss, write_trace_id, write_span_id, write_service, "
        + "write_time, value_age_ms, write_ttl FROM (";
    ResultTable view = source.queryOwn(columns + "SELECT * FROM lineage) ORDER BY read_span_id");
    assertThat(view.truncated()).isFalse();
    // the scope TraceLineage asks TailLineage in: the store holds no notification, so without their subqueries (the
    // view's answers are with them); the first trace asked with them too
    assertThat(TraceLineage.noticed(source)).isFalse();
    int answered = 0;
    long compressed = 0;
    boolean tailRead = false;
    for (int t = 0; t < traces.size(); t++) {
      @SuppressWarnings("unchecked")
      List<String> keys = (List<String>) traces.value(t, "keys");
      List<List<Object>> byKey = List.of();
      for (boolean noticed : t == 0 ? List.of(false, true) : List.of(false)) {
        Scope scope = TraceLineage.keptScope(List.of(new TraceLineage.Trace(traces.text(t, "trace_id"), keys,
            traces.number(t, "t0"), traces.number(t, "t1"))), noticed);
        String keyList = keys.stream().map(TraceLineage::literal).collect(java.util.stream.Collectors.joining(", "));
        // the tail's answer asked once, with whether each row needs its place's stored history as a last column
        List<List<Object>> withNeeds = source.queryOwn(columns.replace(" FROM (", ", needs_history FROM (")
            + TailLineage.of(scope, keyList) + ") ORDER BY read_span_id").rows();
        assertThat(withNeeds.stream().map(r -> r.get(r.size() - 1)).distinct().toList()).as(traces.text(t, "trace_id"))
            .containsExactly(false);
        byKey = withNeeds.stream().map(r -> r.subList(0, r.size() - 1)).toList();
        assertThat(byKey).as(traces.text(t, "trace_id")).isEqualTo(
            LineageRowsByKey.where(view, "read_trace_id", traces.text(t, "trace_id")).rows()).isNotEmpty();
      }
      tailRead |= traces.text(t, "trace_id").equals("000000000000000000000000000077a1");
      compressed += byKey.stream().filter(r -> "compressed".equals(r.get(2))).count();
      answered++;
    }
    assertThat(tailRead).as("a read of the tail").isTrue();
    assertThat(compressed).as("reads a compressed count may hide the writer of").isGreaterThan(0);
    return answered;
  }

  /** As the question was asked before the stored answers were read alone: through the view that answers the tail. */
  private static KeyEvents viewOnly(KeyEvents events) {
    assertThat(events.kept()).isTrue();
    return events.viewOnly();
  }
}
