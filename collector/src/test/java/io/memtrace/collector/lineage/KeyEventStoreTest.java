package io.memtrace.collector.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.collector.embedded.ReportBuilder;
import io.memtrace.collector.query.LocalSqlSource;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.query.TestQueryLimits;
import io.memtrace.collector.reader.Layer;
import io.memtrace.collector.reader.Section;
import io.memtrace.collector.store.Database;
import io.memtrace.collector.store.SpanStore;
import io.memtrace.collector.store.StoreFiles;
import io.memtrace.collector.store.TestStores;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The key events kept at ingest give the answers the views gave when they derived every event from {@code spans}:
 * on a generated store of three services sharing keys on two Redis servers and two databases, with memory-manager
 * records, compressed counts, TTLs, refused writes and failed reads, ingested in an order that is not the spans'
 * (writes arrive after the reads that follow them), with batches sent again, compacted or still in the ingest tail.
 */
class KeyEventStoreTest {

  @TempDir
  Path dir;

  @Test
  void shouldAnswerAsTheViewsOverSpansDoWhateverOrderAndHoweverOftenSpansArrive() throws Exception {
    List<ExportTraceServiceRequest> batches = GeneratedStore.generated(new Random(29), 24, 60);
    // half, with a batch sent twice while the writer remembers it; compacted at close
    try (SpanStore store = TestStores.open(dir, true)) {
      TestStores.write(store, batches.subList(0, 12));
      TestStores.write(store, batches.get(1));
    }
    // the rest after a restart, with an old batch again: only the compactor can tell it is a repeat
    try (SpanStore store = TestStores.open(dir, true)) {
      TestStores.write(store, batches.subList(12, 20));
      TestStores.write(store, batches.get(2));
    }
    try (SpanStore store = TestStores.open(dir, false)) {
      // the last batches and a repeat stay in span_ingest: the views add their events on the fly
      TestStores.write(store, batches.subList(20, 24));
      TestStores.write(store, batches.get(3));
      try (Connection kept = store.newConnection(); Connection derived = store.newConnection()) {
        LineageViews.createViews(derived, "TEMPORARY ", false, "spans");
        assertThat(count(kept, "span_ingest")).as("a tail to add").isGreaterThan(0);
        assertSameAnswers(kept, derived);
      }
    }
    try (Connection c = TestStores.connect(dir, true)) {
      assertThat(count(c, "span_ingest")).isZero();
      assertThat(count(c, "key_event_store")).as("no event twice: as many as the spans have")
          .isEqualTo(count(c, "(" + LineageViews.keyEvents("span_store") + ")"))
          .isEqualTo(count(c, "(SELECT DISTINCT trace_id, span_id, layer FROM key_event_store)"));
      assertThat(count(c, "compressed_event_store")).isEqualTo(count(c, "(" + CompressedWrites.counts("span_store") + ")"));
    }
    try (LocalSqlSource kept = TestQueryLimits.local(new StoreFiles(dir));
         Connection derived = Database.openReadOnly(new StoreFiles(dir))) {
      LineageViews.createViews(derived, "TEMPORARY ", false, "spans");
      SqlSource plain = TestStores.source(derived);
      assertThat(kept.query("SELECT count(*) AS n FROM lineage WHERE writer = 'seen'").number(0, "n"))
          .as("the generated reads have writers to find").isGreaterThan(100);
      assertSameAnswers(kept, plain);
      traceByTrace(kept, plain);
      assertSameWriteBefore(kept, plain);
      for (Layer layer : Layer.values()) {
        assertThat(reportLineage(kept, layer)).as(layer + ": over the answers kept, as by joining and sorting all")
            .isEqualTo(reportLineage(plain, layer));
      }
    }
  }

  /** Each kept event's write before it (a read's writer, a write's predecessor), against a join of all events. */
  private static void assertSameWriteBefore(SqlSource kept, SqlSource derived) {
    ResultTable expected = derived.query("SELECT e.trace_id, e.span_id, e.layer, w.access AS write_access, "
        + "w.end_time AS write_end FROM (SELECT *, " + Writers.ASKS_AT + " AS t FROM key_event_rows WHERE (" + Writers.READ
        + ") OR (" + Writers.WRITE + ")) AS e ASOF LEFT JOIN (SELECT * FROM key_event_rows WHERE " + Writers.WRITE + ") AS w "
        + "ON e.place_a = w.place_a AND e.place_b = w.place_b AND e.t >= w.end_time ORDER BY ALL");
    ResultTable actual = kept.query("SELECT trace_id, span_id, layer, write_access, write_end FROM key_event_writers "
        + "ORDER BY ALL");
    assertThat(expected.rows().stream().filter(r -> r.get(3) != null).count())
        .as("writes before reads, and before writes, to find").isGreaterThan(200);
    assertThat(actual.rows()).isEqualTo(expected.rows());
  }

  /** The report's lineage sections (value age, misses after a write, wasted writes), as JSON. */
  private static String reportLineage(SqlSource source, Layer layer) {
    StringBuilder out = new StringBuilder();
    // those sections alone, as the whole report asks them (LineageReportTest holds the two the same)
    for (Section section : new ReportBuilder(source, null, 6, layer).lineageSections()) {
      out.append(section.id()).append(' ').append(section.table().rows()).append(' ').append(section.totals()).append('\n');
    }
    assertThat(out.toString()).contains("wasted_writes");
    return out.toString();
  }

  @Test
  void shouldBuildTheEventsOfAStoreAnOlderCollectorWroteWhenOpenedForWritingAndDeriveThemWhenOpenedReadOnly()
      throws Exception {
    List<ExportTraceServiceRequest> batches = GeneratedStore.generated(new Random(7), 4, 50);
    TestStores.fill(dir, batches.toArray(ExportTraceServiceRequest[]::new));
    ResultTable before = answers(dir);
    try (Connection c = TestStores.connect(dir, false); Statement s = c.createStatement()) {
      // as an older collector left it: no key-event tables, the views its own
      s.execute("DROP VIEW lineage");
      s.execute("DROP VIEW key_events");
      s.execute("DROP VIEW key_event_rows");
      s.execute("DROP VIEW compressed_event_rows");
      s.execute("DROP TABLE key_event_store");
      s.execute("DROP TABLE compressed_event_store");
      s.execute("DROP TABLE key_event_rules");
    }
    assertThat(answers(dir).rows()).as("read-only: derived from spans").isEqualTo(before.rows());
    try (Connection c = TestStores.connect(dir, true)) {
      assertThat(count(c, "(SELECT 1 FROM duckdb_tables() WHERE table_name = 'key_event_store')"))
          .as("a read-only open changes nothing").isZero();
    }
    String built = TestStores.openForWriting(dir);
    assertThat(built).contains("building the key events of", "a store from an older collector");
    long spans;
    try (Connection c = TestStores.connect(dir, true)) {
      spans = count(c, "span_store");
    }
    assertThat(built).as("its progress, and the end").contains("key events: " + spans + " of " + spans + " spans (100 %), ");
    try (Connection c = TestStores.connect(dir, true)) {
      assertThat(count(c, "key_event_store")).isGreaterThan(100);
    }
    assertThat(answers(dir).rows()).isEqualTo(before.rows());

    try (Connection c = TestStores.connect(dir, false); Statement s = c.createStatement()) {
      // built under other rules (another overlay, another DuckDB): read-only derived, rebuilt when opened for writing
      s.execute("UPDATE key_event_rules SET fingerprint = 'older rules'");
      s.execute("DELETE FROM key_event_store WHERE access = 'write'");
    }
    assertThat(answers(dir).rows()).isEqualTo(before.rows());
    assertThat(TestStores.openForWriting(dir)).contains("this collector's rules differ");
    assertThat(answers(dir).rows()).isEqualTo(before.rows());
    assertThat(TestStores.openForWriting(dir)).as("once").doesNotContain("building the key events");
  }

  private void assertSameAnswers(Connection kept, Connection derived) {
    assertSameAnswers(TestStores.source(kept), TestStores.source(derived));
  }

  private static void assertSameAnswers(SqlSource kept, SqlSource derived) {
    for (String sql : List.of("SELECT * FROM lineage ORDER BY ALL", "SELECT * FROM key_events ORDER BY ALL",
        "SELECT * FROM key_event_rows ORDER BY ALL", "SELECT * FROM compressed_event_rows ORDER BY ALL")) {
      ResultTable fast = kept.query(sql);
      ResultTable plain = derived.query(sql);
      assertThat(fast.columns()).as(sql).isEqualTo(plain.columns());
      assertThat(fast.size()).as(sql).isGreaterThan(0);
      for (int i = 0; i < Math.max(fast.size(), plain.size()); i++) {
        assertThat(i < fast.size() ? fast.rows().get(i) : null).as(sql + " row " + i)
            .isEqualTo(i < plain.size() ? plain.rows().get(i) : null);
      }
    }
  }

  /** {@link TraceLineage} over the kept events, for every fourth trace that read, against the view over spans. */
  private static void traceByTrace(SqlSource kept, SqlSource plain) {
    ResultTable traces = kept.query("SELECT trace_id, min(epoch_us(start_time)) AS t0, max(epoch_us(end_time)) AS t1, "
        + "list(DISTINCT memory_key) FILTER (WHERE memory_key IS NOT NULL) AS keys FROM spans GROUP BY trace_id "
        + "HAVING trace_id IN (SELECT read_trace_id FROM lineage) AND hash(trace_id) % 4 = 0 ORDER BY trace_id");
    assertThat(traces.size()).isGreaterThan(10);
    // the view over spans asked once for every read's row (the whole view, where a question per trace computed it
    // again each time), then taken trace by trace
    ResultTable view = plain.query("SELECT read_trace_id, read_span_id, writer, write_trace_id, write_service, "
        + "write_access, miss, value_age_ms, write_ttl FROM lineage");
    Map<String, List<Integer>> rowsOf = new java.util.HashMap<>();
    for (int i = 0; i < view.size(); i++) {
      rowsOf.computeIfAbsent(view.text(i, "read_trace_id"), k -> new java.util.ArrayList<>()).add(i);
    }
    for (int t = 0; t < traces.size(); t++) {
      String trace = traces.text(t, "trace_id");
      @SuppressWarnings("unchecked")
      List<String> keys = (List<String>) traces.value(t, "keys");
      Map<String, ReadLineage> scoped = TraceLineage.of(kept, trace, keys, traces.number(t, "t0"), traces.number(t, "t1"));
      List<Integer> rows = rowsOf.getOrDefault(trace, List.of());
      assertThat(scoped).as(trace).hasSize(rows.size());
      for (int i : rows) {
        ReadLineage read = scoped.get(view.text(i, "read_span_id"));
        String about = trace + " " + view.rows().get(i);
        assertThat(read.writer()).as(about).isEqualTo(view.text(i, "writer"));
        assertThat(read.writeTraceId()).as(about).isEqualTo(view.text(i, "write_trace_id"));
        assertThat(read.writeService()).as(about).isEqualTo(view.text(i, "write_service"));
        assertThat(read.writeAccess()).as(about).isEqualTo(view.text(i, "write_access"));
        assertThat(read.miss()).as(about).isEqualTo(view.text(i, "miss"));
        assertThat(read.ageMillis()).as(about).isEqualTo(view.decimal(i, "value_age_ms"));
      }
    }
  }

  private ResultTable answers(Path store) {
    try (LocalSqlSource source = TestQueryLimits.local(new StoreFiles(store))) {
      return source.query("SELECT * FROM lineage ORDER BY ALL");
    }
  }

  private static long count(Connection c, String relation) throws Exception {
    try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM " + relation)) {
      r.next();
      return r.getLong(1);
    }
  }
}
