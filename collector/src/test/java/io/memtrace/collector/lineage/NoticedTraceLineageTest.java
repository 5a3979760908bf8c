package io.memtrace.collector.lineage;

import static io.memtrace.collector.lineage.LineageFixtures.PORT;
import static io.memtrace.collector.lineage.LineageFixtures.REDIS;
import static io.memtrace.collector.lineage.LineageFixtures.redis;
import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.collector.SpanFixtures;
import io.memtrace.collector.embedded.EmbeddedTimelineRows;
import io.memtrace.collector.query.LocalSqlSource;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.query.TestQueryLimits;
import io.memtrace.collector.reader.TimelineFixtures.Note;
import io.memtrace.collector.store.SpanStore;
import io.memtrace.collector.store.StoreFiles;
import io.memtrace.collector.store.TestStores;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trace's lineage ({@link TraceLineage#of}, as {@code traces --trace} and the web view ask it) in a store that holds
 * keyspace notifications is the {@code lineage} view's for the same reads: an outside SET between a traced write and
 * a read, an expiry and an eviction before reads that found nothing, a key only the notifications wrote, and an
 * untraced SWAPDB and FLUSHDB counted by the watcher. Asked of the stored rows alone ({@link StoredLineage}), then
 * with a tail that names stored keys and holds its own such reads ({@link TailLineage}). {@link StoredLineageTest}
 * compares them in a store without notifications, where the questions leave the notifications' parts out.
 */
class NoticedTraceLineageTest {

  private static final String W = "7e570000000000000000000000000a01";
  private static final String R1 = "7e570000000000000000000000000b01";
  private static final String R2 = "7e570000000000000000000000000b02";
  private static final String TAIL = "7e570000000000000000000000000c01";
  private static final String AT = REDIS + ":" + PORT;

  private final List<Note> notes = new ArrayList<>();

  private void note(long at, String key, String event, String kind) {
    notes.add(new Note(at, AT, 0, key, key.substring(0, key.indexOf(':')), event, kind));
  }

  /** A traced SET by the writer's trace at {@code at} and its own notification. */
  private Span set(String trace, long at, String key) {
    note(at, key, "set", "write");
    return redis(trace, "SET", at, key);
  }

  @Test
  void shouldGiveEveryReadOfATraceTheViewsAnswerInAStoreWithNotifications(@TempDir Path dir) throws Exception {
    TestStores.fill(dir, SpanFixtures.request("svc", List.of(
        set(W, 10, "out:1"), set(W, 10, "exp:1"), set(W, 10, "ev:1"), set(W, 10, "own:1"),
        set(W, 1000, "swap:1"), set(W, 1000, "flush:1"), set(W, 1250, "after:1"),
        redis(R1, "GET", 600, "out:1", "memory.found", true), redis(R1, "GET", 600, "exp:1", "memory.found", false),
        redis(R1, "GET", 600, "ev:1", "memory.found", false), redis(R1, "GET", 600, "own:1", "memory.found", true),
        redis(R2, "GET", 600, "nw:1", "memory.found", true), redis(R2, "GET", 1300, "swap:1", "memory.found", true),
        redis(R2, "GET", 1300, "flush:1", "memory.found", false),
        redis(R2, "GET", 1300, "after:1", "memory.found", true))));
    note(500, "out:1", "set", "write");
    note(300, "exp:1", "expired", "expiry");
    note(300, "ev:1", "evicted", "eviction");
    note(100, "nw:1", "set", "write");
    // the tail's: an outside SET of a stored key read in the tail, an outside SET of a key the tail wrote, an expiry
    note(3500, "out:1", "set", "write");
    note(3000, "tl:1", "set", "write");
    note(3500, "tl:1", "set", "write");
    note(3000, "tx:1", "set", "write");
    note(3300, "tx:1", "expired", "expiry");
    note(4000, "tf:1", "set", "write");
    EmbeddedTimelineRows.insert(dir, notes, List.of());
    try (Connection c = TestStores.connect(dir, false)) {
      UntracedWholeDatabaseLineageTest.counted(c, 1100, 1200, "swapdb");
      UntracedWholeDatabaseLineageTest.counted(c, 1150, 1240, "flushdb");
      UntracedWholeDatabaseLineageTest.counted(c, 4100, 4200, "flushdb");
    }
    try (LocalSqlSource source = TestQueryLimits.local(new StoreFiles(dir))) {
      Map<String, String> view = compare(source, List.of(R1, R2), List.of());
      assertThat(view).as("the cases the notifications decide").containsEntry("out:1", "outside null")
          .containsEntry("exp:1", "seen expired").containsEntry("ev:1", "seen evicted").containsEntry("own:1", "seen null")
          .containsEntry("nw:1", "outside null").containsEntry("swap:1", "whole_db null")
          .containsEntry("flush:1", "whole_db unknown").containsEntry("after:1", "seen null");
    }
    try (SpanStore store = TestStores.open(dir, false)) {
      TestStores.write(store, SpanFixtures.request("svc-tail", List.of(
          redis(TAIL, "GET", 3700, "out:1", "memory.found", true),
          redis(TAIL, "SET", 3000, "tl:1"), redis(TAIL, "GET", 3600, "tl:1", "memory.found", true),
          redis(TAIL, "SET", 3000, "tx:1"), redis(TAIL, "GET", 3600, "tx:1", "memory.found", false),
          redis(TAIL, "SET", 4000, "tf:1"), redis(TAIL, "GET", 4600, "tf:1", "memory.found", false))));
      try (Connection connection = store.newConnection()) {
        SqlSource source = TestStores.source(connection);
        assertThat(source.query("SELECT count(*) AS n FROM span_ingest").number(0, "n")).as("a tail").isEqualTo(7);
        // R1, a stored trace whose keys the tail names, and the tail's trace: by TailLineage
        Map<String, String> view = compare(source, List.of(R1, TAIL), List.of(R1, TAIL));
        assertThat(view).as("the tail's reads").containsEntry("out:1", "outside null").containsEntry("tl:1", "outside null")
            .containsEntry("tx:1", "seen expired").containsEntry("tf:1", "whole_db unknown");
      }
    }
  }

  /**
   * For each of {@code traceIds}, its lineage as {@link TraceLineage#of} gives it equals the view's rows for its
   * reads (each writer's task aside, which the view does not name); it is asked of the stored rows alone unless it is
   * one of {@code tailTraces}. For each of those (whose keys the tail names), its reads' rows as {@link TailLineage}
   * answers them in the scope {@link TraceLineage} asks it in, none needing its place's stored history, are the
   * view's rows. The view is asked once (about a second of planning). Returns the view's writer and miss by key.
   */
  private static Map<String, String> compare(SqlSource source, List<String> traceIds, List<String> tailTraces) {
    assertThat(TraceLineage.noticed(source)).as("the store holds notifications").isTrue();
    ResultTable view = source.queryOwn(TraceLineage.LINEAGE_COLUMNS.replace("SELECT ", "SELECT key, ")
        + "SELECT * FROM lineage) ORDER BY read_span_id");
    assertThat(view.truncated()).isFalse();
    Map<String, String> byKey = new LinkedHashMap<>();
    for (int i = 0; i < view.size(); i++) {
      byKey.merge(view.text(i, "key"), view.text(i, "writer") + " " + view.text(i, "miss"),
          (a, b) -> a.equals(b) ? a : a + ", " + b);
    }
    for (String traceId : traceIds) {
      TraceLineage.Trace trace = trace(source, traceId);
      assertThat(KeyEvents.of(source, trace.keys()).tailFree()).as(traceId + " from its stored rows alone")
          .isEqualTo(!tailTraces.contains(traceId));
      Map<String, ReadLineage> expected = new LinkedHashMap<>();
      ResultTable rows = LineageRowsByKey.where(view, "read_trace_id", traceId);
      for (int i = 0; i < rows.size(); i++) {
        expected.put(rows.text(i, "read_span_id"), new ReadLineage(rows.text(i, "read_span_id"),
            rows.text(i, "read_service"), rows.text(i, "writer"), rows.text(i, "miss"), rows.text(i, "write_trace_id"),
            rows.text(i, "write_service"), rows.text(i, "write_access"), null, rows.decimal(i, "value_age_ms"),
            rows.value(i, "write_ttl") == null ? null : rows.number(i, "write_ttl")));
      }
      Map<String, ReadLineage> answered = TraceLineage.of(source, traceId, trace.keys(), trace.startMicros(),
          trace.endMicros()).entrySet().stream()
          .collect(Collectors.toMap(Map.Entry::getKey, e -> withoutTask(e.getValue())));
      assertThat(answered).as(traceId).isEqualTo(expected).isNotEmpty();
    }
    for (String traceId : tailTraces) {
      TraceLineage.Trace trace = trace(source, traceId);
      Scope scope = TraceLineage.keptScope(List.of(trace), TraceLineage.noticed(source));
      List<List<Object>> withNeeds = source.queryOwn(TraceLineage.LINEAGE_COLUMNS.replace(" FROM (",
          ", needs_history FROM (") + TailLineage.of(scope, trace.keyList()) + ") ORDER BY read_span_id").rows();
      assertThat(withNeeds.stream().map(r -> r.get(r.size() - 1)).distinct().toList()).as(traceId).containsExactly(false);
      assertThat(withNeeds.stream().map(r -> r.subList(0, r.size() - 1)).toList()).as(traceId).isEqualTo(
          LineageRowsByKey.where(view, "read_trace_id", traceId).rows().stream().map(r -> r.subList(1, r.size())).toList());
    }
    return byKey;
  }

  private static TraceLineage.Trace trace(SqlSource source, String traceId) {
    ResultTable t = source.queryOwn("SELECT min(epoch_us(start_time)) AS t0, max(epoch_us(end_time)) AS t1, "
        + "list(DISTINCT memory_key) AS keys FROM spans WHERE trace_id = '" + traceId + "'");
    @SuppressWarnings("unchecked")
    List<String> keys = (List<String>) t.value(0, "keys");
    return new TraceLineage.Trace(traceId, keys, t.number(0, "t0"), t.number(0, "t1"));
  }

  private static ReadLineage withoutTask(ReadLineage r) {
    return new ReadLineage(r.readSpanId(), r.readService(), r.writer(), r.miss(), r.writeTraceId(), r.writeService(),
        r.writeAccess(), null, r.ageMillis(), r.writeTtl());
  }
}
