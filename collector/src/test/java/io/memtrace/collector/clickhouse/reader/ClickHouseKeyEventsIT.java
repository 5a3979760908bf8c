package io.memtrace.collector.clickhouse.reader;

import static io.memtrace.collector.SpanFixtures.T0;
import static io.memtrace.collector.SpanFixtures.attr;
import static io.memtrace.collector.SpanFixtures.span;
import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.collector.SpanFixtures;
import io.memtrace.collector.clickhouse.ClickHouseSession;
import io.memtrace.collector.clickhouse.ClickHouseUrl;
import io.memtrace.collector.clickhouse.SchemaInit;
import io.memtrace.collector.clickhouse.SchemaOptions;
import io.memtrace.collector.embedded.EmbeddedReader;
import io.memtrace.collector.ingest.KeyEventSpans;
import io.memtrace.collector.query.TestQueryLimits;
import io.memtrace.collector.reader.KeyChangesRequest;
import io.memtrace.collector.reader.Layer;
import io.memtrace.collector.reader.Report;
import io.memtrace.collector.reader.ReportRequest;
import io.memtrace.collector.reader.Section;
import io.memtrace.collector.reader.StoreReader;
import io.memtrace.collector.reader.TimelineRequest;
import io.memtrace.collector.reader.TraceRequest;
import io.memtrace.collector.store.StoreFiles;
import io.memtrace.collector.store.TestStores;
import io.memtrace.collector.view.TraceSpan;
import io.memtrace.common.KeyEventLineWriter;
import io.memtrace.common.KeyEventLines;
import io.memtrace.testsupport.clickhouse.ChdbFront;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's compact key events (ADR 0004) on ClickHouse: compressed commands sent as lines of a
 * {@code memtrace.key_events} carrier (written by the agent's own {@link KeyEventLineWriter}), beside kept spans and
 * retention's counts, written into {@code otel_traces} as the exporter writes them and into the embedded store as serve
 * stores them; every trace's spans and lineage, each key's timeline and the key changes {@code restore --as-of} plans
 * from are the same from both. A write and a delete known only from key events are the writers of later reads, an
 * {@code EXPIRE} only from a key event sets a key's TTL, and a count only partly sent as key events still makes a read
 * of its namespace {@code compressed}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClickHouseKeyEventsIT {

  private static final List<String> KEYS = List.of("plans:p1", "plans:p2", "plans:p3", "gone:1", "a b:1", "part:1",
      "batch:1", "batch:2");
  private static final String SERVER = "localhost";

  private ChdbFront front;
  private StoreReader fleet;
  private StoreReader embedded;
  private List<ExportTraceServiceRequest> requests;

  @BeforeAll
  void load(@TempDir Path dir) throws Exception {
    requests = requests();
    TestStores.fill(dir.resolve("embedded"), requests);
    embedded = EmbeddedReader.local(new StoreFiles(dir.resolve("embedded")));
    front = ChdbFront.start(dir.resolve("chdb"));
    ClickHouseUrl url = FleetFront.load(front, requests);
    fleet = ClickHouseReader.open(url, TestQueryLimits.HANG_GUARD);
  }

  @AfterAll
  void close() throws Exception {
    if (fleet != null) {
      fleet.close();
    }
    if (embedded != null) {
      embedded.close();
    }
    if (front != null) {
      front.close();
    }
  }

  @Test
  void shouldAnswerLineageFromKeyEventsAsTheEmbeddedStoreDoes() {
    Map<String, List<TraceSpan>> want = assertSameTraces(fleet);
    List<String> reads = describe(want.get(READER)).stream().filter(s -> s.contains("GET")).toList();
    assertThat(reads).as("the reads: writers known from key events, the partly sent count's namespace compressed")
        .hasSize(6).anyMatch(s -> s.contains("[plans:p1]") && s.contains("written 199 ms earlier by plan.write"))
        .anyMatch(s -> s.contains("[gone:1]") && s.contains("deleted 189 ms earlier"))
        .anyMatch(s -> s.contains("part:1") && s.contains("compressed"));
  }

  @Test
  void shouldGiveEachKeysTimelineAndChangesAsTheEmbeddedStoreDoes() {
    for (String key : KEYS) {
      assertThat(fleet.timeline(new TimelineRequest(key))).as(key).isEqualTo(embedded.timeline(new TimelineRequest(key)));
    }
    assertThat(embedded.timeline(new TimelineRequest("plans:p1")).toString()).as("the EXPIRE of a key event")
        .contains("EXPIRE");
    assertThat(embedded.timeline(new TimelineRequest("batch:1")).toString()).as("the pipeline's SET")
        .contains("SET");
    KeyChangesRequest changes = new KeyChangesRequest("*", null, Instant.ofEpochSecond(0, T0).plusSeconds(10), 100);
    assertThat(fleet.keyChanges(changes)).as("restore --as-of's changes, the pipeline's SET and DEL among them")
        .isEqualTo(embedded.keyChanges(changes)).hasSize(9);
  }

  /** Memory health, the Redis commands per memory call and the TTL truth of both layers, row for row. */
  @Test
  void shouldGiveMemoryHealthAndTtlTruthAsTheEmbeddedStoreDoes() {
    Set<String> sections = Set.of("memory_health", "memory_commands", "ttl_truth");
    int rows = 0;
    for (Layer layer : Layer.values()) {
      Report want = embedded.report(new ReportRequest(null, 6, layer));
      Report got = fleet.report(new ReportRequest(null, 6, layer));
      for (Section w : want.sections()) {
        if (sections.contains(w.id())) {
          Section g = got.sections().stream().filter(x -> x.id().equals(w.id())).findFirst().orElseThrow();
          assertThat(List.of(g.note(), ClickHouseReaderContractIT.plain(g.totals()),
              ClickHouseReaderContractIT.plain(g.table().rows()))).as("%s %s", layer, w.id())
              .isEqualTo(List.of(w.note(), ClickHouseReaderContractIT.plain(w.totals()),
                  ClickHouseReaderContractIT.plain(w.table().rows())));
          rows += w.table().size();
        }
      }
    }
    assertThat(rows).as("rows compared").isPositive();
  }

  /**
   * A schema of an earlier init, made before the key events' table and views, that holds carriers already: init makes
   * them, fills the table from the stored carriers (whose commands the views then make ops rows of), and the store
   * answers as the embedded one.
   */
  @Test
  void shouldUpgradeAnEarlierSchemaAndReadTheCarriersItHolds() throws Exception {
    ClickHouseUrl url = FleetFront.init(front, "earlier");
    try (ClickHouseSession session = ClickHouseSession.open(url)) {
      for (String view : List.of("memtrace_key_event_carriers_mv", "memtrace_key_event_spans_mv",
          "memtrace_key_event_batches_mv", "memtrace_key_event_spans_facts_mv",
          "memtrace_key_event_spans_trace_id_ts_mv")) {
        session.execute("DROP VIEW earlier." + view);
      }
      session.execute("DROP TABLE earlier.memtrace_key_event_spans");
      session.execute("DROP TABLE earlier.memtrace_key_event_carriers");
      FleetFront.insert(front, "earlier", requests);
      assertThat(SchemaInit.run(session, new SchemaOptions("earlier", null, 0, true))).containsExactly(
          "adopted earlier.otel_traces: it has every column the exporter writes",
          "filled earlier.memtrace_key_event_spans from the 2 key events' carriers stored before it (11 Redis commands "
              + "and batches)",
          "created earlier.memtrace_key_event_batches_mv", "created earlier.memtrace_key_event_carriers",
          "created earlier.memtrace_key_event_carriers_mv", "created earlier.memtrace_key_event_spans",
          "created earlier.memtrace_key_event_spans_facts_mv",
          "created earlier.memtrace_key_event_spans_mv", "created earlier.memtrace_key_event_spans_trace_id_ts_mv");
    }
    try (StoreReader upgraded = ClickHouseReader.open(url, TestQueryLimits.HANG_GUARD)) {
      assertSameTraces(upgraded);
      assertThat(upgraded.timeline(new TimelineRequest("plans:p1")))
          .isEqualTo(embedded.timeline(new TimelineRequest("plans:p1")));
    }
  }

  /** Every trace's spans and their reads' lineage from {@code reader} as from the embedded store; the embedded's. */
  private Map<String, List<TraceSpan>> assertSameTraces(StoreReader reader) {
    Map<String, List<TraceSpan>> want = embedded.traces(new TraceRequest(null, 10, null));
    Map<String, List<TraceSpan>> got = reader.traces(new TraceRequest(null, 10, null));
    assertThat(got.keySet()).as("the traces, the carriers' left out").isEqualTo(want.keySet());
    for (String trace : want.keySet()) {
      assertThat(describe(got.get(trace))).as("trace %s", trace).isEqualTo(describe(want.get(trace)));
    }
    return want;
  }

  private static List<String> describe(List<TraceSpan> trace) {
    return trace.stream().map(s -> s.spanId() + " " + s.name() + " [" + s.key() + "] " + s.namespace() + " "
        + s.lineage()).toList();
  }

  private static final String WRITER = "0000000000000000000000000000a001";
  private static final String ROOT = "0000000000000000000000000000a002";
  private static final String READER = "0000000000000000000000000000b001";

  /**
   * The writer's task (three compressed SETs and a DEL sent as key events, a pipeline of a SET and a DEL compressed
   * whole and sent as its batch's key events, one SET kept), a compressed root SET of
   * a key with a space and a namespace that is not its prefix, and the reader's task (GETs and an EXPIRE as key events,
   * one GET kept), with retention's counts; one count (part:) only partly sent as key events.
   */
  private static List<ExportTraceServiceRequest> requests() {
    Span task = span(WRITER, null, "plan.write", 0, 100)
        .addAttributes(attr("memtrace.compressed.count", 7L))
        .addEvents(count("SET", "plans:", 2, 2)).addEvents(count("DEL", "gone:", 1, 1))
        .addEvents(count("SET", "part:", 2, 1)).addEvents(count("PIPELINE SET", "batch:", 2, 2)).build();
    // a memory manager's store and retrieve, whose Redis commands went out as key events
    Span store = SpanFixtures.memory(WRITER, task.getSpanId(), "store", 5, 30, "plan-1", "plans", 12L, "memory.ttl",
        60L);
    Span keptSet = redis(WRITER, task, "SET", 50, "plans:p3", "plans:").addAttributes(attr("memory.value_size", 3L))
        .build();
    Span summary = span(ROOT, null, "memtrace.compressed", 0, 1000).addAttributes(attr("memtrace.compressed.count", 1L))
        .addEvents(count("SET", "spaced", 1, 1)).build();
    Span answer = span(READER, null, "plan.answer", 200, 100)
        .addAttributes(attr("memtrace.compressed.count", 5L))
        .addEvents(count("GET", "plans:", 3, 3)).addEvents(count("GET", "gone:", 1, 1))
        .addEvents(count("EXPIRE", "plans:", 1, 1)).build();
    Span retrieve = SpanFixtures.memory(READER, answer.getSpanId(), "retrieve", 205, 30, "plan-1", "plans", 12L,
        "memory.found", true);
    Span keptGet = redis(READER, answer, "GET", 240, "plans:p3", "plans:").addAttributes(attr("memory.found", true))
        .addAttributes(attr("memory.value_size", 3L)).build();
    Span keptPartGet = redis(READER, answer, "GET", 270, "part:1", "part:").addAttributes(attr("memory.found", true))
        .build();
    KeyEventLineWriter writes = new KeyEventLineWriter();
    line(writes, "SET", 10, WRITER, store).attributes(6, 5, -1, 60, -1).key("plans:p1").end();
    line(writes, "SET", 20, WRITER, store).attributes(6, 7, -1, -1, -1).key("plans:p2").end();
    line(writes, "DEL", 30, WRITER, store).attributes(5, -1, -1, -1, 1).key("gone:1").end();
    line(writes, "SET", 40, ROOT, null).attributes(-2, 2, -1, -1, -1).key("a b:1").namespace("spaced").end();
    line(writes, "SET", 60, WRITER, task).attributes(5, 1, -1, -1, -1).key("part:1").end();
    // a pipeline compressed whole: its span's line and a line per command it lists
    KeyEventLineWriter pipelines = new KeyEventLineWriter();
    pipelines.batch("PIPELINE SET", T0 + 70_000_000, 2_000_000, IDS.incrementAndGet(), id(WRITER, 0), id(WRITER, 16),
        task.getSpanId().asReadOnlyByteBuffer().getLong());
    pipelines.batchCommand("SET").attributes(6, 4, -1, -1, -1).key("batch:1").end();
    pipelines.batchCommand("DEL").attributes(6, -1, -1, -1, 1).key("batch:2").end();
    KeyEventLineWriter reads = new KeyEventLineWriter();
    line(reads, "GET", 210, READER, retrieve).attributes(6, 5, 1, -1, -1).key("plans:p1").end();
    line(reads, "GET", 220, READER, retrieve).attributes(5, -1, 0, -1, -1).key("gone:1").end();
    line(reads, "GET", 230, READER, retrieve).attributes(6, 7, 1, -1, -1).key("plans:p2").end();
    line(reads, "EXPIRE", 250, READER, answer).attributes(6, -1, -1, 10, -1).key("plans:p1").end();
    line(reads, "GET", 260, READER, answer).attributes(6, 5, 1, -1, -1).key("plans:p1").end();
    long writesAt = writes.firstEnd();
    long pipelinesAt = pipelines.firstEnd();
    long readsAt = reads.firstEnd();
    // each service's carrier: a trace of its own
    Span writesCarrier = span("0000000000000000000000000000c001", null, KeyEventSpans.CARRIER, 0, 100)
        .addEvents(event(KeyEventLines.ATTRIBUTE, writesAt, writes.take()))
        .addEvents(event(KeyEventLines.BATCHES, pipelinesAt, pipelines.take())).build();
    Span readsCarrier = span("0000000000000000000000000000c002", null, KeyEventSpans.CARRIER, 200, 100)
        .addEvents(event(KeyEventLines.ATTRIBUTE, readsAt, reads.take())).build();
    return List.of(SpanFixtures.request("writer", List.of(task, store, keptSet, summary)),
        SpanFixtures.request("reader", List.of(answer, retrieve, keptGet, keptPartGet)),
        SpanFixtures.request("writer", List.of(writesCarrier)), SpanFixtures.request("reader", List.of(readsCarrier)));
  }

  private static Span.Event count(String command, String namespace, long count, long keyEvents) {
    return Span.Event.newBuilder().setName("memtrace.compressed").setTimeUnixNano(T0)
        .addAttributes(attr("db.operation.name", command)).addAttributes(attr("memory.namespace", namespace))
        .addAttributes(attr("memtrace.compressed.count", count))
        .addAttributes(attr("memtrace.compressed.key_events", keyEvents))
        .addAttributes(attr("memtrace.compressed.duration_ms", 0.1)).build();
  }

  private static Span.Builder redis(String trace, Span parent, String command, long offsetMillis, String key,
      String namespace) {
    return span(trace, parent.getSpanId(), command, offsetMillis, 1).setKind(Span.SpanKind.SPAN_KIND_CLIENT)
        .addAttributes(attr("db.system.name", "redis")).addAttributes(attr("db.operation.name", command))
        .addAttributes(attr("db.namespace", "0")).addAttributes(attr("server.address", SERVER))
        .addAttributes(attr("server.port", 6379L)).addAttributes(attr("memory.key", key))
        .addAttributes(attr("memory.namespace", namespace));
  }

  private static final java.util.concurrent.atomic.AtomicLong IDS = new java.util.concurrent.atomic.AtomicLong(0xe000);

  /** A command of 1 ms ending {@code endMillis} after T0, under {@code parent} (null: a root). */
  private static KeyEventLineWriter line(KeyEventLineWriter writer, String name, long endMillis, String trace,
      Span parent) {
    return writer.command(name, T0 + endMillis * 1_000_000, 1_000_000, IDS.incrementAndGet(), id(trace, 0),
        id(trace, 16), parent == null ? 0 : parent.getSpanId().asReadOnlyByteBuffer().getLong());
  }

  /** A connection's event of the carrier, its lines in {@code attribute} (and named so). */
  private static Span.Event event(String attribute, long time, String lines) {
    return Span.Event.newBuilder().setName(attribute).setTimeUnixNano(time)
        .addAttributes(attr("server.address", SERVER)).addAttributes(attr("server.port", 6379L))
        .addAttributes(attr("db.namespace", "0")).addAttributes(attr(attribute, lines)).build();
  }

  private static long id(String hex, int from) {
    return Long.parseUnsignedLong(hex.substring(from, from + 16), 16);
  }
}
