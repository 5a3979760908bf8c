package io.memtrace.collector.clickhouse.reader;

import com.clickhouse.client.api.Client;
import com.clickhouse.data.ClickHouseFormat;
import io.memtrace.collector.clickhouse.ClickHouseSession;
import io.memtrace.collector.clickhouse.ClickHouseUrl;
import io.memtrace.collector.clickhouse.SchemaInit;
import io.memtrace.collector.clickhouse.SchemaOptions;
import io.memtrace.collector.query.TestQueryLimits;
import io.memtrace.collector.reader.StoreReader;
import io.memtrace.collector.reader.StoreReaderContract;
import io.memtrace.testsupport.clickhouse.ChdbFront;
import io.memtrace.collector.SpanFixtures;
import io.memtrace.collector.ingest.MetricMapper;
import io.memtrace.collector.store.SpanStore;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.collector.embedded.EmbeddedReader;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.reader.Layer;
import io.memtrace.collector.reader.Report;
import io.memtrace.collector.reader.ReportRequest;
import io.memtrace.collector.reader.Section;
import io.memtrace.collector.reader.TraceRequest;
import io.memtrace.collector.reader.ViewQuestion;
import io.memtrace.collector.store.StoreFiles;
import io.memtrace.collector.store.TestStores;
import io.memtrace.collector.view.TraceSpan;
import java.time.Instant;
import java.util.ArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ClickHouse store answers the contract: the corpus written into {@code otel_traces} as the OpenTelemetry
 * Collector's exporter writes it (clickhouse init's materialized views do the rest), read through ClickHouse 26.9
 * (chDB behind the test front) by clickhouse-java.
 */
class ClickHouseReaderContractIT extends StoreReaderContract {

  private ChdbFront front;
  /** The corpus' store, read as it is (the contract reads it through {@link #fleetRows}). */
  private ClickHouseReader fleet;
  /** Databases made after the corpus' ("fleet"). */
  private int databases;
  /** The payloads loaded: their span ids are made as they are built, so the embedded store is given the same. */
  private List<ExportTraceServiceRequest> loaded;
  private List<ExportMetricsServiceRequest> loadedMetrics;

  @Override
  protected StoreReader load(Path dir, List<ExportTraceServiceRequest> payloads,
      List<ExportMetricsServiceRequest> metrics) throws Exception {
    // the contract loads the corpus first, then other fixtures: each into a database of its own on the one front
    boolean first = front == null;
    if (first) {
      loaded = payloads;
      loadedMetrics = metrics;
      scratch = dir;
      front = ChdbFront.start(dir.resolve("chdb"));
    }
    String database = first ? "fleet" : "more" + (++databases);
    ClickHouseUrl url = FleetFront.init(front, database);
    try (Client client = FleetFront.client(front, database)) {
      client.insert("otel_traces", new ByteArrayInputStream(OtelTracesRows.of(payloads)), ClickHouseFormat.JSONEachRow)
          .get(60, TimeUnit.SECONDS).close();
      client.execute(OtelTracesRows.METRICS_SUM).get(60, TimeUnit.SECONDS).close();
      if (!metrics.isEmpty()) {
        client.insert("otel_metrics_sum", new ByteArrayInputStream(OtelTracesRows.sums(metrics)),
            ClickHouseFormat.JSONEachRow).get(60, TimeUnit.SECONDS).close();
      }
    }
    ClickHouseReader opened = ClickHouseReader.open(url, TestQueryLimits.HANG_GUARD);
    // the store is only read once loaded: the contract's reports and headlines and this class's reports of fewer
    // tables ask their statements once between them
    io.memtrace.collector.query.SqlSource rows = AskedOnce.of(opened.rows());
    if (first) {
      fleet = opened;
      fleetRows = rows;
    }
    return AskedOnce.reporting(opened, rows);
  }

  /**
   * Writes the statements of both layers' reports (as on a store without retention's carriers) and of one trace's
   * lineage to {@code target/clickhouse-statements}
   * (one per line), which {@code bench/clickhouse/query_tier.py} times on ClickHouse in-process at 10M spans.
   */
  @Test
  void shouldWriteTheStatementsItRanForTheBenchmark() throws Exception {
    io.memtrace.collector.query.SqlSource rows = fleetRows();
    Path out = java.nio.file.Files.createDirectories(Path.of("target", "clickhouse-statements"));
    Path joined = java.nio.file.Files.createDirectories(Path.of("target", "clickhouse-statements-joined"));
    for (Layer layer : Layer.values()) {
      // as the reader runs them on a store without retention's carriers, which the benchmark's spans are
      java.nio.file.Files.write(out.resolve("report-" + layer.viewName() + ".sql"),
          fleet.report(new ReportRequest(null, 6, layer), withoutCarriers(rows)).statements());
      // and as on a store without memtrace_lineage (an earlier schema): lineage joined, for the benchmark's before
      java.nio.file.Files.write(joined.resolve("report-" + layer.viewName() + ".sql"),
          fleet.report(new ReportRequest(null, 6, layer), withoutKeptLineage(withoutCarriers(rows)))
              .statements());
    }
    // and as on a store of an earlier schema, without any table kept at insert: every section from the spans
    Path earlier = java.nio.file.Files.createDirectories(Path.of("target", "clickhouse-statements-earlier"));
    for (Layer layer : Layer.values()) {
      java.nio.file.Files.write(earlier.resolve("report-" + layer.viewName() + ".sql"),
          fleet.report(new ReportRequest(null, 6, layer), withoutKeptTables(withoutCarriers(rows)))
              .statements());
    }
    io.memtrace.collector.query.RecordingSource recording = new io.memtrace.collector.query.RecordingSource(rows);
    new ClickHouseTraces(recording).load(List.of(io.memtrace.collector.lineage.LineageFixtures.READER_TRACE));
    java.nio.file.Files.write(out.resolve("trace.sql"), recording.statements());
    assertThat(recording.statements()).hasSizeGreaterThanOrEqualTo(2);
    // what the reader runs on a store without retention's carriers (the benchmark's): the lean lineage statement
    recording = new io.memtrace.collector.query.RecordingSource(withoutCarriers(rows));
    new ClickHouseTraces(recording).load(List.of(io.memtrace.collector.lineage.LineageFixtures.READER_TRACE));
    java.nio.file.Files.write(out.resolve("trace-no-retention.sql"), recording.statements());
  }

  /**
   * The corpus database's rows, each statement asked of ClickHouse once ({@link AskedOnce}): the database is only read
   * once loaded, and the reports asked of it as stores with fewer tables would answer (below) share most of their
   * statements with the contract's, which are asked through the same.
   */
  private io.memtrace.collector.query.SqlSource fleetRows() {
    return fleetRows;
  }

  private io.memtrace.collector.query.SqlSource fleetRows;

  /** {@code rows} as a store without {@code memtrace_lineage} would answer. */
  private static io.memtrace.collector.query.SqlSource withoutKeptLineage(io.memtrace.collector.query.SqlSource rows) {
    return Unanswered.without(rows, java.util.Set.of(Lineage.KEPT));
  }

  /**
   * {@code rows} as a store of an earlier schema would answer: none of the tables the views keep at insert (lineage,
   * the memory calls, the keys per layer, the spans per layer and operation), so every section is computed from the
   * spans.
   */
  private static io.memtrace.collector.query.SqlSource withoutKeptTables(io.memtrace.collector.query.SqlSource rows) {
    return Unanswered.without(rows, java.util.Set.of(Lineage.KEPT, KeptTable.probe(ClickHouseHealth.CALLS),
        KeptTable.probe(KeySections.KEPT), KeptTable.probe(KeptOperations.KEPT),
        KeptTable.probe(io.memtrace.collector.clickhouse.MemoryCallTotals.COUNTS)));
  }

  /** {@code rows} as a store in which no span carries retention's compressed counts would answer. */
  private static io.memtrace.collector.query.SqlSource withoutCarriers(io.memtrace.collector.query.SqlSource rows) {
    return Unanswered.without(rows, java.util.Set.of(Lineage.RETENTION_CARRIERS));
  }

  /**
   * The lean lineage statement of a store without retention's carriers (no coverage joined, the events materialized)
   * gives every read of the corpus that retention does not cover the row the full statement gives: the same writer,
   * age and miss; the reads it covers are the ones that differ.
   */
  @Test
  void shouldGiveTheSameLineageWithoutRetentionsCoverageWhereNoReadIsCovered() {
    ClickHouseRows rows = fleet.rows();
    List<String> traces = new ArrayList<>();
    ResultTable ids = rows.query("SELECT DISTINCT TraceId FROM otel_traces ORDER BY TraceId");
    for (int i = 0; i < ids.size(); i++) {
      traces.add(ids.text(i, "TraceId"));
    }
    List<String> keys = new ArrayList<>();
    ResultTable named = rows.query("SELECT DISTINCT Key FROM memtrace_ops ORDER BY Key");
    for (int i = 0; i < named.size(); i++) {
      keys.add(named.text(i, "Key"));
    }
    String full = new Lineage(rows).traceRows(traces, keys);
    String lean = new Lineage(withoutCarriers(rows)).traceRows(traces, keys);
    assertThat(full).contains("memtrace.compressed", "WITH ev AS MATERIALIZED");
    assertThat(lean).contains("WITH ev AS MATERIALIZED").doesNotContain("memtrace.compressed");
    String order = " ORDER BY read_trace_id, read_span_id, read_layer";
    ResultTable covered = rows.query("SELECT * FROM (" + full + ") WHERE writer = 'compressed'" + order);
    ResultTable want = rows.query("SELECT * FROM (" + full + ") WHERE writer != 'compressed'" + order);
    ResultTable got = rows.query("SELECT * FROM (" + lean + ") WHERE (read_trace_id, read_span_id, read_layer) "
        + "NOT IN (SELECT read_trace_id, read_span_id, read_layer FROM (" + full + ") WHERE writer = 'compressed')"
        + order);
    assertThat(covered.size()).as("reads retention covers in the corpus").isPositive();
    assertThat(want.size()).as("reads it does not cover").isGreaterThan(10);
    assertThat(plain(got.rows())).isEqualTo(plain(want.rows()));
  }

  /**
   * The corpus' lineage kept at insert ({@code memtrace_lineage}, which the report reads on a store without
   * retention's carriers) is, read by read, the join's without retention's coverage: the same writer, age and miss.
   */
  @Test
  void shouldKeepEveryReadsWriterAsTheJoinFindsIt() {
    KeptLineageIT.assertKeptAsJoined(fleet.rows());
  }

  /** Every section is answered from ClickHouse. */
  static final java.util.Set<String> NOT_ANSWERED = java.util.Set.of();

  private Path embeddedDir;
  /** The class's temporary directory (JUnit removes it), where the embedded store of the differential goes. */
  private Path scratch;

  /** The same payloads in an embedded store, made once for the differential tests. */
  private synchronized Path embeddedStore() throws Exception {
    if (embeddedDir == null) {
      Path dir = java.nio.file.Files.createDirectories(scratch.resolve("embedded"));
      try (SpanStore store = TestStores.open(dir, true)) {
        for (ExportTraceServiceRequest request : loaded) {
          TestStores.write(store, request);
        }
        for (ExportMetricsServiceRequest request : loadedMetrics) {
          store.writer().writeMetrics(MetricMapper.map(request)).get(30, TimeUnit.SECONDS);
        }
      }
      embeddedDir = dir;
    }
    return embeddedDir;
  }

  /**
   * The differential of the web view: every page's questions, asked of both stores about every trace, span and key of
   * the corpus, give the same columns and rows (span details: the same service and status; the attributes are each
   * store's own text).
   */
  @Test
  void shouldAnswerEveryPageOfTheWebViewAsTheEmbeddedStoreDoes() throws Exception {
    List<String> differences = new ArrayList<>();
    int rows = 0;
    try (StoreReader embedded = EmbeddedReader.local(new StoreFiles(embeddedStore()))) {
      List<ViewQuestion> questions = new ArrayList<>();
      for (Map<String, String> search : List.of(Map.<String, String>of(), Map.of("key", "user:*"), Map.of("key", "user:1"),
          Map.of("service", "writer-svc"), Map.of("errors", "1"), Map.of("ns", "user"), Map.of("min", "50"),
          Map.of("name", "GET"), Map.of("before", String.valueOf(SpanFixtures.T0 / 1000 + 2_000_000)))) {
        questions.add(new ViewQuestion(ViewQuestion.Kind.TRACES, search));
      }
      for (String kind : List.of("choices", "layer", "samples", "gauges", "keyspace_series", "keyspace_growth",
          "counters")) {
        questions.add(new ViewQuestion(ViewQuestion.Kind.of(kind), Map.of()));
      }
      for (String layer : List.of("memory", "redis")) {
        questions.add(new ViewQuestion(ViewQuestion.Kind.HEAT, Map.of("layer", layer)));
        questions.add(new ViewQuestion(ViewQuestion.Kind.FIRST_SEEN, Map.of("layer", layer)));
      }
      // the embedded store's answers, each asked of it once: a trace's and a span's lineage are asked to pick questions
      Map<ViewQuestion, ResultTable> wanted = new java.util.HashMap<>();
      java.util.function.Function<ViewQuestion, ResultTable> answer = q -> wanted.computeIfAbsent(q,
          x -> embedded.view(x).table());
      ResultTable traces = answer.apply(new ViewQuestion(ViewQuestion.Kind.TRACES, Map.of()));
      java.util.Set<String> keys = new java.util.TreeSet<>();
      for (int t = 0; t < traces.size(); t++) {
        String id = traces.text(t, "trace_id");
        questions.add(new ViewQuestion(ViewQuestion.Kind.TRACE, Map.of("trace", id)));
        ResultTable spans = answer.apply(new ViewQuestion(ViewQuestion.Kind.TRACE, Map.of("trace", id)));
        long first = Long.MAX_VALUE;
        long last = 0;
        for (int i = 0; i < spans.size(); i++) {
          long start = spans.number(i, "start_us");
          first = Math.min(first, start);
          last = Math.max(last, start);
          Map<String, String> span = Map.of("trace", id, "span", spans.text(i, "span_id"), "start", String.valueOf(start));
          questions.add(new ViewQuestion(ViewQuestion.Kind.SPAN, span));
          ViewQuestion lineage = new ViewQuestion(ViewQuestion.Kind.READ_LINEAGE, span);
          boolean keyed = spans.value(i, "memory_key") != null;
          // a span that names no key has no lineage unless it reads a GenAI record by id: ClickHouse is asked the
          // lineage of every keyed span and of every span the embedded store gives one (asking it of every span
          // doubled the questions, chDB planning each)
          if (keyed || answer.apply(lineage).size() > 0) {
            questions.add(lineage);
          }
          if (keyed) {
            keys.add(spans.text(i, "memory_key"));
          }
        }
        Map<String, String> range = Map.of("trace", id, "from", String.valueOf(first), "to", String.valueOf(last));
        questions.add(new ViewQuestion(ViewQuestion.Kind.TRACE_FACTS, range));
        questions.add(new ViewQuestion(ViewQuestion.Kind.KEYSPACE_NEAR, range));
      }
      for (String key : keys) {
        questions.add(new ViewQuestion(ViewQuestion.Kind.KEY_HISTORY, Map.of("key", key)));
      }
      for (ViewQuestion q : questions) {
        ResultTable want = answer.apply(q);
        ResultTable got;
        try {
          // through the corpus database's rows, each statement asked once: a page's answer probes the same tables
          // (retention's carriers, the notifications, the keyspace samples) every time it is asked
          got = fleet.view(q, fleetRows()).table();
        } catch (RuntimeException e) {
          differences.add(q + ": " + e.getMessage());
          continue;
        }
        List<String> columns = want.columns().stream().map(ResultTable.Column::name).toList();
        compare(differences, q + " columns", columns, got.columns().stream().map(ResultTable.Column::name).toList());
        if (q.kind() == ViewQuestion.Kind.SPAN) {
          columns = List.of("service_name", "status_code", "status_message");
        }
        List<List<Object>> w = pick(want, columns);
        List<List<Object>> g = pick(got, columns);
        if (q.kind() == ViewQuestion.Kind.CHOICES) {
          // the services come in no order (the page sorts them); names and namespaces by use
          java.util.Comparator<List<Object>> services = java.util.Comparator.comparing(r -> r.get(0).equals("service")
              ? r.get(1).toString() : "");
          w.sort(services);
          g.sort(services);
        }
        compare(differences, q + " rows", plain(w), plain(g));
        rows += want.size();
      }
      assertThat(rows).as("rows compared").isGreaterThan(100);
    }
    assertThat(differences).as("%d rows compared", rows).isEmpty();
  }

  private static List<List<Object>> pick(ResultTable table, List<String> columns) {
    List<List<Object>> out = new ArrayList<>();
    for (int i = 0; i < table.size(); i++) {
      List<Object> row = new ArrayList<>();
      for (String c : columns) {
        Object v = table.columns().stream().anyMatch(x -> x.name().equals(c)) ? table.value(i, c) : "(no column)";
        row.add(c.equals("compressed_events") ? events(v) : v);
      }
      out.add(row);
    }
    return out;
  }

  /**
   * A span's events as name and attributes, values as text: the embedded store gives its JSON column as a structure,
   * ClickHouse as JSON text whose attribute values are strings (the exporter's Map(String, String)); both are the
   * waterfall's input, which reads either.
   */
  private static Object events(Object value) {
    if (value == null) {
      return null;
    }
    try {
      com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
      com.fasterxml.jackson.databind.JsonNode node = value instanceof String text ? json.readTree(text)
          : json.valueToTree(value);
      List<String> out = new ArrayList<>();
      for (com.fasterxml.jackson.databind.JsonNode e : node) {
        Map<String, String> attributes = new java.util.TreeMap<>();
        e.path("attributes").fields().forEachRemaining(f -> attributes.put(f.getKey(), number(f.getValue().asText())));
        out.add(e.path("name").asText() + " " + attributes);
      }
      return out;
    } catch (java.io.IOException e) {
      return "not JSON: " + value;
    }
  }

  /** A number's text as a double's (4 and 4.0 alike), other text as it is. */
  private static String number(String text) {
    try {
      return String.valueOf(Double.parseDouble(text));
    } catch (NumberFormatException e) {
      return text;
    }
  }

  /**
   * The differential: every section, total and note of both layers, with and without the kept lineage table, and every
   * trace's lineage, as the embedded store's.
   */
  @Test
  void shouldGiveEveryRowTheEmbeddedStoreGives() throws Exception {
    List<String> differences = new ArrayList<>();
    int rows = 0;
    try (StoreReader embedded = EmbeddedReader.local(new StoreFiles(embeddedStore()))) {
      // the whole store, and the spans from 2.5 s into the corpus on
      for (Instant since : java.util.Arrays.asList(null, Instant.ofEpochMilli(SpanFixtures.T0 / 1_000_000 + 2_500)))
      for (Layer layer : Layer.values()) {
      Report want = embedded.report(new ReportRequest(since, 6, layer));
      // read as this store is made (memtrace_lineage kept at insert), as a store of the default schema, without that
      // table, reads it (lineage and wasted writes joined from the spans), and as a store of an earlier schema, without
      // the memory calls and keys per layer kept at insert either, reads it (every section from the spans). With a
      // since the reader reads neither of those two tables, so the last two ask the same
      for (String kept : since != null ? List.of("", " without memtrace_lineage") : List.of("",
          " without memtrace_lineage", " without the tables kept at insert")) {
        io.memtrace.collector.query.SqlSource fleetRows = fleetRows();
        // the store's own report is the contract's, which other tests asked too
        Report got = kept.isEmpty() ? report(new ReportRequest(since, 6, layer))
            : fleet.report(new ReportRequest(since, 6, layer), kept.contains("lineage")
                ? withoutKeptLineage(fleetRows) : withoutKeptTables(fleetRows));
        for (Section w : want.sections()) {
          if (NOT_ANSWERED.contains(w.id())) {
            continue;
          }
          Section g = got.sections().stream().filter(x -> x.id().equals(w.id())).findFirst().orElse(null);
          if (g == null) {
            differences.add(layer + " " + w.id() + ": no such section from ClickHouse");
            continue;
          }
          String at = layer + kept + (since == null ? " " : " since " + since
              + " ") + w.id();
          compare(differences, at + " id", w.id(), g.id());
          compare(differences, at + " note", w.note(), g.note());
          compare(differences, at + " totals", plain(w.totals()), plain(g.totals()));
          compare(differences, at + " columns", w.table().columns().stream().map(ResultTable.Column::name).toList(),
              g.table().columns().stream().map(ResultTable.Column::name).toList());
          compare(differences, at + " rows", plain(w.table().rows()), plain(g.table().rows()));
          rows += w.table().size();
        }
      }
      }
      Map<String, List<TraceSpan>> want = embedded.traces(new TraceRequest(null, 10, null));
      Map<String, List<TraceSpan>> got = fleet.traces(new TraceRequest(null, 10, null));
      compare(differences, "trace ids", List.copyOf(want.keySet()), List.copyOf(got.keySet()));
      for (String id : want.keySet()) {
        compare(differences, "trace " + id, describe(want.get(id)), describe(got.getOrDefault(id, List.of())));
        rows += want.get(id).size();
      }
    }
    assertThat(differences).as("%d rows compared", rows).isEmpty();
  }

  /**
   * The differential on model calls: ModelCallFixtures' stale context, cross-tenant read and call without links,
   * written into a database of their own, answer from ClickHouse as from the embedded store, call for call and row for
   * row of the report's two sections, under the fixtures' tenant rule.
   */
  @Test
  void shouldGiveTheModelCallsProvenanceTheEmbeddedStoreGives(@TempDir Path dir) throws Exception {
    List<ExportTraceServiceRequest> payloads = List.of(io.memtrace.collector.provenance.ModelCallFixtures.writer(),
        io.memtrace.collector.provenance.ModelCallFixtures.rewriter(),
        io.memtrace.collector.provenance.ModelCallFixtures.turn());
    ClickHouseUrl url = ClickHouseUrl.parse(front.url("calls"), Map.of(ClickHouseUrl.USER_ENV, front.user(),
        ClickHouseUrl.PASSWORD_ENV, front.password()));
    try (ClickHouseSession session = ClickHouseSession.open(url)) {
      SchemaInit.run(session, new SchemaOptions("calls", null, 0));
    }
    try (Client client = new Client.Builder().addEndpoint(front.endpoint()).setUsername(front.user())
        .setPassword(front.password()).setDefaultDatabase("calls").compressClientRequest(true).build()) {
      client.insert("otel_traces", new ByteArrayInputStream(OtelTracesRows.of(payloads)), ClickHouseFormat.JSONEachRow)
          .get(60, TimeUnit.SECONDS).close();
    }
    try (SpanStore store = TestStores.open(dir, true)) {
      for (ExportTraceServiceRequest request : payloads) {
        TestStores.write(store, request);
      }
    }
    io.memtrace.collector.provenance.TenantRule rule = io.memtrace.collector.provenance.ModelCallFixtures.RULE;
    long from = SpanFixtures.T0 / 1_000;
    long to = from + 1_000_000;
    try (StoreReader embedded = EmbeddedReader.local(new StoreFiles(dir));
        StoreReader calls = ClickHouseReader.open(url, TestQueryLimits.HANG_GUARD)) {
      var want = embedded.modelCalls(io.memtrace.collector.provenance.ModelCallFixtures.CALL_TRACE, from, to, rule);
      var got = calls.modelCalls(io.memtrace.collector.provenance.ModelCallFixtures.CALL_TRACE, from, to, rule);
      assertThat(got).hasSize(2);
      assertThat(got).isEqualTo(want);
      assertThat(got.get(0).staleRecords()).isEqualTo(1);
      assertThat(got.get(0).crossTenantReads()).isEqualTo(1);
      assertThat(got.get(1).linked()).isFalse();
      List<String> differences = new ArrayList<>();
      Report wantReport = embedded.report(new ReportRequest(null, 6, null, rule));
      Report gotReport = calls.report(new ReportRequest(null, 6, null, rule));
      for (String id : List.of("model_calls", "model_call_flags")) {
        Section w = wantReport.sections().stream().filter(x -> x.id().equals(id)).findFirst().orElseThrow();
        Section g = gotReport.sections().stream().filter(x -> x.id().equals(id)).findFirst().orElseThrow();
        compare(differences, id + " note", w.note(), g.note());
        compare(differences, id + " totals", plain(w.totals()), plain(g.totals()));
        compare(differences, id + " rows", plain(w.table().rows()), plain(g.table().rows()));
      }
      assertThat(differences).isEmpty();
      assertThat(gotReport.sections().stream().filter(x -> x.id().equals("model_call_flags")).findFirst()
          .orElseThrow().table().size()).isEqualTo(2);
    }
  }

  private static List<String> describe(List<TraceSpan> trace) {
    return trace.stream().map(s -> s.spanId() + " " + s.name() + " [" + s.key() + "] " + s.keyUnknown() + " "
        + s.namespace() + " " + s.lineage()).toList();
  }

  private static void compare(List<String> differences, String what, Object want, Object got) {
    if (!java.util.Objects.equals(want, got)) {
      differences.add(what + ":\n  embedded:   " + want + "\n  clickhouse: " + got);
    }
  }

  /** Whole numbers as longs, whichever width a store gave them in. */
  static Object plain(Object value) {
    if (value instanceof Number n && !(value instanceof Double) && !(value instanceof Float)) {
      return n.longValue();
    }
    if (value instanceof List<?> list) {
      return list.stream().map(ClickHouseReaderContractIT::plain).toList();
    }
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> out = new java.util.LinkedHashMap<>();
      map.forEach((k, v) -> out.put(k, plain(v)));
      return out;
    }
    return value;
  }

  @AfterAll
  void stopFront() throws Exception {
    if (front != null) {
      front.close();
    }
  }
}
