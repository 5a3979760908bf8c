package io.memtrace.collector.store;

import static io.memtrace.collector.SpanFixtures.T0;
import static io.memtrace.collector.SpanFixtures.attr;
import static io.memtrace.collector.SpanFixtures.hex;
import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.collector.Conventions;
import io.memtrace.collector.SpanFixtures;
import io.memtrace.collector.bench.RealisticSpans;
import io.memtrace.collector.ingest.KeyEventSpans;
import io.memtrace.collector.lineage.LineageFixtures;
import io.memtrace.common.KeyEventLineWriter;
import io.memtrace.common.KeyEventLines;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compact key events kept as narrow rows ({@link KeyEventRows}) answer as the spans they stand for did: the same
 * {@code spans} (but their resource attributes), key events, lineage and key records, in the tail and once moved,
 * with no row of them in {@code span_store}; a repeat adds nothing, and the key events built again from the store
 * hold them.
 */
class KeyEventRowsTest {

  private static final String ID = "0000000000000000000000000000beef";

  @TempDir
  Path dir;

  @AfterEach
  void narrowAgain() {
    KeyEventRows.narrow = true;
  }

  /** What the readers answer, each question's rows as text. */
  private static final Map<String, String> QUESTIONS = new LinkedHashMap<>();

  static {
    StringBuilder promoted = new StringBuilder();
    PromotedAttributes.COLUMNS.forEach(c -> promoted.append(", ").append(c.name()));
    QUESTIONS.put("spans", "SELECT trace_id, span_id, parent_span_id, trace_state, name, kind, start_time, end_time, "
        + "duration_ms, status_code, status_message, service_name, scope_name, attributes::VARCHAR, "
        + "attributes['memory.key']::VARCHAR, attributes['memory.ttl'] + 1, events::VARCHAR" + promoted + ", "
        + "links::VARCHAR FROM spans ORDER BY trace_id, span_id, name");
    QUESTIONS.put("key_events", "SELECT * FROM key_events ORDER BY ALL");
    QUESTIONS.put("lineage", "SELECT * FROM lineage ORDER BY ALL");
    QUESTIONS.put("key_record", "SELECT * FROM key_record ORDER BY ALL");
  }

  /** Two carriers of the realistic mix's commands, a carrier of a pipeline and a transaction, and a kept read. */
  private static List<ExportTraceServiceRequest> requests() {
    RealisticSpans mix = new RealisticSpans(2L * 512, Conventions.SEED);
    String lines = new KeyEventLineWriter()
        .batch("PIPELINE", T0 + 1_000_000_000L, 50_000, 0x10, 0, 0xbeef, 0)
        .batchCommand("SETEX").attributes(4, 5, -1, 60, -1).key("user:1").end()
        .batchCommand("DEL").attributes(-2, -1, -1, -1, 1).key("клиент:7").namespace("tenant-7").end()
        .batch("MULTI SET", T0 + 1_500_000_000L, 40_000, 0x11, 0, 0xbeef, 0)
        .batchCommand("SET").attributes(4, 2, -1, -1, -1).key("user:2").end()
        .take();
    String commands = new KeyEventLineWriter()
        .command("GET", T0 + 1_700_000_000L, 20_000, 0x12, 0, 0xbeef, 0)
        .attributes(4, 5, 1, -1, -1).key("user:1").end()
        .command("DEL", T0 + 1_800_000_000L, 20_000, 0x13, 0, 0xbeef, 0)
        .attributes(4, -1, -1, -1, 0).key("user:9").end()
        .take();
    Span carrier = Span.newBuilder().setTraceId(hex("0000000000000000000000000000abcd"))
        .setSpanId(hex("000000000000abcd")).setName(KeyEventSpans.CARRIER).setKind(Span.SpanKind.SPAN_KIND_INTERNAL)
        .setStartTimeUnixNano(T0 + 900_000_000L).setEndTimeUnixNano(T0 + 1_800_000_000L)
        .addEvents(Span.Event.newBuilder().setName(KeyEventLines.BATCHES).setTimeUnixNano(T0 + 1_000_000_000L)
            .addAttributes(attr("db.namespace", "0")).addAttributes(attr("server.address", LineageFixtures.REDIS))
            .addAttributes(attr("server.port", LineageFixtures.PORT)).addAttributes(attr(KeyEventLines.BATCHES, lines)))
        .addEvents(Span.Event.newBuilder().setName(KeyEventLines.ATTRIBUTE).setTimeUnixNano(T0 + 1_700_000_000L)
            .addAttributes(attr("db.namespace", "0")).addAttributes(attr("server.address", LineageFixtures.REDIS))
            .addAttributes(attr("server.port", LineageFixtures.PORT)).addAttributes(attr(KeyEventLines.ATTRIBUTE,
                commands)))
        .build();
    return List.of(mix.keyEvents(0), SpanFixtures.request("shop", List.of(carrier)), mix.keyEvents(1),
        SpanFixtures.request("shop", List.of(LineageFixtures.redis(ID, "GET", 2_000, "user:1", "memory.found", true),
            LineageFixtures.redis(ID, "GET", 2_100, "user:2", "memory.found", true))));
  }

  /** The answers with the key events narrow or as spans: in the tail, and once moved. */
  private List<Map<String, String>> answers(Path store, boolean narrow, List<ExportTraceServiceRequest> requests)
      throws Exception {
    KeyEventRows.narrow = narrow;
    Map<String, String> tail;
    try (SpanStore s = TestStores.open(store, false)) {
      TestStores.write(s, requests);
      try (Connection connection = s.newConnection()) {
        tail = ask(connection);
      }
    }
    try (Connection connection = TestStores.connect(store, true)) {
      return List.of(tail, ask(connection));
    }
  }

  private static Map<String, String> ask(Connection connection) throws SQLException {
    Map<String, String> answers = new LinkedHashMap<>();
    for (Map.Entry<String, String> q : QUESTIONS.entrySet()) {
      answers.put(q.getKey(), rows(connection, q.getValue()));
    }
    return answers;
  }

  private static String rows(Connection connection, String sql) throws SQLException {
    StringBuilder out = new StringBuilder();
    try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery(sql)) {
      ResultSetMetaData meta = r.getMetaData();
      while (r.next()) {
        List<Object> row = new ArrayList<>();
        for (int c = 1; c <= meta.getColumnCount(); c++) {
          row.add(r.getObject(c));
        }
        out.append(row).append('\n');
      }
    }
    return out.toString();
  }

  private static long count(Path store, String sql) throws SQLException {
    try (Connection connection = TestStores.connect(store, true); Statement s = connection.createStatement();
         ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    }
  }

  @Test
  void shouldAnswerCompactKeyEventsAsTheSpansTheyStandFor() throws Exception {
    List<ExportTraceServiceRequest> requests = requests();
    List<Map<String, String>> spans = answers(dir.resolve("spans"), false, requests);
    List<Map<String, String>> narrow = answers(dir.resolve("narrow"), true, requests);
    assertThat(spans.get(0).get("spans").lines().count()).as("the commands and the kept reads").isEqualTo(1024 + 4 + 2);
    assertThat(spans.get(0).get("lineage")).contains("seen");
    assertThat(narrow.get(0)).as("in the tail").isEqualTo(spans.get(0));
    assertThat(narrow.get(1)).as("moved").isEqualTo(spans.get(1));
    assertThat(narrow.get(1)).as("moved, as in the tail").isEqualTo(narrow.get(0));
    assertThat(count(dir.resolve("narrow"), "SELECT count(*) FROM span_store")).as("the kept reads alone").isEqualTo(2);
    assertThat(count(dir.resolve("narrow"), "SELECT count(*) FROM " + KeyEventRows.TABLE)).isEqualTo(1024 + 4);
    assertThat(count(dir.resolve("spans"), "SELECT count(*) FROM " + KeyEventRows.TABLE)).isZero();
  }

  @Test
  void shouldAppendCompactKeyEventsNarrowAndAnswerAsWhenTheyWereInSpanIngest() throws Exception {
    Path store = dir.resolve("tail");
    Map<String, String> tail;
    try (SpanStore s = TestStores.open(store, false)) {
      TestStores.write(s, requests());
      try (Connection connection = s.newConnection(); Statement statement = connection.createStatement()) {
        assertThat(rows(connection, "SELECT count(*) FROM span_ingest")).as("the kept reads alone").isEqualTo("[2]\n");
        assertThat(rows(connection, "SELECT count(*) FROM " + KeyEventRows.INGEST_TABLE)).isEqualTo("[1028]\n");
        tail = ask(connection);
        // where the writer of a store opened by an older collector left them: in span_ingest, as spans without attributes
        statement.execute("INSERT INTO span_ingest SELECT * FROM " + Schema.TAIL + " WHERE " + KeyEventRows.IN_INGEST);
        statement.execute("DELETE FROM " + KeyEventRows.INGEST_TABLE);
        assertThat(ask(connection)).as("from span_ingest").isEqualTo(tail);
      }
    }
    try (Connection connection = TestStores.connect(store, true)) {
      assertThat(ask(connection)).as("moved").isEqualTo(tail);
    }
    assertThat(count(store, "SELECT count(*) FROM " + KeyEventRows.TABLE)).isEqualTo(1024 + 4);
    assertThat(count(store, "SELECT count(*) FROM " + Schema.TAIL)).isZero();
  }

  @Test
  void shouldKeepACompactKeyEventOnceWhenItComesAgain() throws Exception {
    List<ExportTraceServiceRequest> requests = requests();
    Path store = dir.resolve("again");
    Map<String, String> once = answers(store, true, requests).get(1);
    Map<String, String> twice = answers(store, true, requests).get(1);
    assertThat(twice).isEqualTo(once);
    assertThat(count(store, "SELECT count(*) FROM " + KeyEventRows.TABLE)).isEqualTo(1024 + 4);
  }

  @Test
  void shouldPrepareANarrowRowAsTheSpanItStandsFor() throws Exception {
    int narrowRows = 0;
    for (ExportTraceServiceRequest r : requests()) {
      KeyEventRows.narrow = false;
      List<SpanRow> spans = io.memtrace.collector.ingest.OtlpIngest.decodeSpans(false, r.toByteArray());
      KeyEventRows.narrow = true;
      List<SpanRow> narrow = io.memtrace.collector.ingest.OtlpIngest.decodeSpans(false, r.toByteArray());
      assertThat(narrow).filteredOn(row -> row.attributes().containsKey(KeyEventRows.MARK))
          .as("no JSON text made for a row kept narrow").allMatch(row -> row.attributesJson() == null);
      narrowRows += (int) narrow.stream().filter(row -> row.attributesJson() == null).count();
      PreparedSpans asSpans = PreparedSpans.of(spans);
      PreparedSpans asNarrow = PreparedSpans.of(narrow);
      assertThat(asNarrow.promoted).containsExactly(asSpans.promoted);
      assertThat(asNarrow.types).isEqualTo(asSpans.types);
      assertThat(asNarrow.spanKeys).containsExactly(asSpans.spanKeys);
      assertThat(asNarrow.traceKeys).containsExactly(asSpans.traceKeys);
    }
    assertThat(narrowRows).as("the commands and batches of the carriers").isEqualTo(1024 + 4);
  }

  /** The tables the kept sets hold, each as text. */
  private static String kept(Path store) throws SQLException {
    StringBuilder out = new StringBuilder();
    try (Connection connection = TestStores.connect(store, true)) {
      for (String table : List.of("key_event_store", "key_total_store", "memory_call_store", "report_slowest_store",
          "report_largest_store", "report_layer_count_store", "report_service_store", "report_trace_id_store",
          "report_trace_sketch_store")) {
        out.append(table).append('\n').append(rows(connection, "SELECT * FROM " + table + " ORDER BY ALL"));
      }
    }
    return out.toString();
  }

  @Test
  void shouldBuildTheKeptTablesAgainWithTheCompactKeyEvents() throws Exception {
    Path store = dir.resolve("rebuilt");
    Map<String, String> before = answers(store, true, requests()).get(1);
    String tables = kept(store);
    assertThat(tables).contains("user:2");
    try (Connection connection = TestStores.connect(store, false); Statement s = connection.createStatement()) {
      // as a store whose sets were built under other rules
      for (String rules : List.of("key_event_rules", "key_total_rules", "memory_call_rules", "report_rollup_rules")) {
        s.execute("DROP TABLE " + rules);
      }
    }
    assertThat(TestStores.openForWriting(store)).contains("building the key events of 1030 stored spans");
    try (Connection connection = TestStores.connect(store, true)) {
      assertThat(ask(connection)).isEqualTo(before);
    }
    assertThat(kept(store)).isEqualTo(tables);
  }
}
