package io.memtrace.collector.ingest;

import static io.memtrace.collector.SpanFixtures.attr;
import static io.memtrace.collector.SpanFixtures.hex;
import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.collector.store.SpanRow;
import io.memtrace.common.KeyEventLineWriter;
import io.memtrace.common.KeyEventLines;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A compressed command's key event, carried by a {@code memtrace.key_events} span, is stored as the span the
 * command would have been with retention off: the same ids, times, name, kind and key attributes, whether the
 * request came as protobuf (the decoder's path or the generated parser's) or as OTLP/JSON, and whether the event
 * lists its commands in lines (the agent's form) or is one command with its ids as attributes (the first form).
 */
class KeyEventSpansTest {

  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String SPAN = "00f067aa0ba902b7";
  private static final String PARENT = "53995c3f42cd8ad8";
  private static final long END = 1_764_000_000_123_456_789L;
  private static final long DURATION = 41_000;
  private static final List<KeyValue> KEY_ATTRIBUTES = List.of(attr("memory.key", "user:1"),
      attr("memory.namespace", "user"), attr("db.namespace", "0"), attr("server.address", "localhost"),
      attr("server.port", 6379L), attr("memory.value_size", 5L), attr("memory.ttl", 60L));

  private static ExportTraceServiceRequest request(Span span) {
    return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(attr("service.name", "shop")))
        .addScopeSpans(ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder().setName("io.memtrace"))
            .addSpans(span))).build();
  }

  /** The span the agent sends for a kept SETEX. */
  private static Span kept() {
    return Span.newBuilder().setTraceId(hex(TRACE)).setSpanId(hex(SPAN)).setParentSpanId(hex(PARENT))
        .setName("SETEX").setKind(Span.SpanKind.SPAN_KIND_CLIENT)
        .setStartTimeUnixNano(END - DURATION).setEndTimeUnixNano(END)
        .addAttributes(attr("db.system.name", "redis")).addAttributes(attr("db.operation.name", "SETEX"))
        .addAllAttributes(KEY_ATTRIBUTES).build();
  }

  /** The carrier the agent sends when that SETEX is compressed, with one event that lacks its span id. */
  private static Span carrier() {
    return Span.newBuilder().setTraceId(hex("0000000000000000000000000000abcd")).setSpanId(hex("000000000000abcd"))
        .setName(KeyEventSpans.CARRIER).setKind(Span.SpanKind.SPAN_KIND_INTERNAL)
        .setStartTimeUnixNano(END - DURATION).setEndTimeUnixNano(END)
        .addEvents(Span.Event.newBuilder().setName("SETEX").setTimeUnixNano(END).addAllAttributes(KEY_ATTRIBUTES)
            .addAttributes(attr("memtrace.trace_id", TRACE)).addAttributes(attr("memtrace.span_id", SPAN))
            .addAttributes(attr("memtrace.parent_span_id", PARENT)).addAttributes(attr("memtrace.duration_ns", DURATION)))
        .addEvents(Span.Event.newBuilder().setName("GET").setTimeUnixNano(END)
            .addAttributes(attr("memory.key", "user:2")).addAttributes(attr("memtrace.trace_id", TRACE)))
        .build();
  }

  private static Map<String, Object> withoutMark(SpanRow row) {
    Map<String, Object> a = new LinkedHashMap<>(row.attributes());
    assertThat(a.remove(KeyEventSpans.MARK)).isEqualTo(true);
    return a;
  }

  private static void assertStoredAsTheKeptSpan(List<SpanRow> rows) throws Exception {
    SpanRow expected = OtlpIngest.decodeSpans(false, request(kept()).toByteArray()).get(0);
    assertThat(rows).hasSize(1);
    SpanRow row = rows.get(0);
    assertThat(List.of(row.traceId(), row.spanId(), row.parentSpanId(), row.name(), row.kind(), row.startNanos(),
        row.endNanos(), row.statusCode(), row.serviceName(), row.scopeName(), row.resourceJson()))
        .isEqualTo(List.of(expected.traceId(), expected.spanId(), expected.parentSpanId(), expected.name(),
            expected.kind(), expected.startNanos(), expected.endNanos(), expected.statusCode(), expected.serviceName(),
            expected.scopeName(), expected.resourceJson()));
    assertThat(withoutMark(row)).isEqualTo(expected.attributes());
    assertThat(row.eventsJson()).isEqualTo("[]");
  }

  @Test
  void shouldStoreAKeyEventAsTheSpanItStandsForFromProtobuf() throws Exception {
    long malformed = KeyEventSpans.malformed();
    byte[] body = request(carrier()).toByteArray();
    assertStoredAsTheKeptSpan(SpanDecoder.decode(body));
    assertStoredAsTheKeptSpan(TraceMapper.map(ExportTraceServiceRequest.parseFrom(body)));
    assertThat(KeyEventSpans.malformed()).as("the event without its span id, twice").isEqualTo(malformed + 2);
  }

  @Test
  void shouldStoreAKeyEventAsTheSpanItStandsForFromJson() throws Exception {
    String json = "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":"
        + "{\"stringValue\":\"shop\"}}]},\"scopeSpans\":[{\"scope\":{\"name\":\"io.memtrace\"},\"spans\":[{"
        + "\"traceId\":\"0000000000000000000000000000abcd\",\"spanId\":\"000000000000abcd\",\"name\":\"memtrace.key_events\","
        + "\"kind\":1,\"startTimeUnixNano\":\"" + (END - DURATION) + "\",\"endTimeUnixNano\":\"" + END + "\","
        + "\"events\":[{\"name\":\"SETEX\",\"timeUnixNano\":\"" + END + "\",\"attributes\":["
        + s("memory.key", "user:1") + "," + s("memory.namespace", "user") + "," + s("db.namespace", "0") + ","
        + s("server.address", "localhost") + "," + i("server.port", 6379) + "," + i("memory.value_size", 5) + ","
        + i("memory.ttl", 60) + "," + s("memtrace.trace_id", TRACE) + "," + s("memtrace.span_id", SPAN) + ","
        + s("memtrace.parent_span_id", PARENT) + "," + i("memtrace.duration_ns", DURATION) + "]}]}]}]}]}";
    assertStoredAsTheKeptSpan(OtlpIngest.decodeSpans(true, json.getBytes(StandardCharsets.UTF_8)));
  }

  /** The same SETEX, and a GET of the same trace and parent after it, as the agent now sends them: in lines. */
  private static Span linesCarrier(String commands) {
    return Span.newBuilder().setTraceId(hex("0000000000000000000000000000abcd")).setSpanId(hex("000000000000abcd"))
        .setName(KeyEventSpans.CARRIER).setKind(Span.SpanKind.SPAN_KIND_INTERNAL)
        .setStartTimeUnixNano(END - DURATION).setEndTimeUnixNano(END + 9_000)
        .addEvents(Span.Event.newBuilder().setName(KeyEventLines.ATTRIBUTE).setTimeUnixNano(END)
            .addAttributes(attr("db.namespace", "0")).addAttributes(attr("server.address", "localhost"))
            .addAttributes(attr("server.port", 6379L)).addAttributes(attr(KeyEventLines.ATTRIBUTE, commands)))
        .build();
  }

  private static long id(String hex) {
    return Long.parseUnsignedLong(hex, 16);
  }

  @Test
  void shouldStoreTheCommandsOfAnEventInLinesAsTheSpansTheyStandFor() throws Exception {
    String lines = new KeyEventLineWriter()
        .command("SETEX", END, DURATION, id(SPAN), id(TRACE.substring(0, 16)), id(TRACE.substring(16)), id(PARENT))
        .attributes(4, 5, -1, 60, -1).key("user:1").end()
        .command("GET", END + 9_000, 2_000, id(SPAN) + 1, id(TRACE.substring(0, 16)), id(TRACE.substring(16)),
            id(PARENT))
        .attributes(-2, -1, 0, -1, -1).key("клиент:7").namespace("tenant-7").end()
        .take();
    assertThat(lines.split("\n")[1]).as("the second line says no trace (the first one's)").contains("  ");
    Span get = kept().toBuilder().setSpanId(hex("00f067aa0ba902b8")).setName("GET")
        .setStartTimeUnixNano(END + 7_000).setEndTimeUnixNano(END + 9_000).clearAttributes()
        .addAttributes(attr("db.system.name", "redis")).addAttributes(attr("db.operation.name", "GET"))
        .addAttributes(attr("memory.key", "клиент:7")).addAttributes(attr("memory.namespace", "tenant-7"))
        .addAttributes(attr("db.namespace", "0")).addAttributes(attr("server.address", "localhost"))
        .addAttributes(attr("server.port", 6379L)).addAttributes(attr("memory.found", false)).build();
    List<SpanRow> expected = List.of(OtlpIngest.decodeSpans(false, request(kept()).toByteArray()).get(0),
        OtlpIngest.decodeSpans(false, request(get).toByteArray()).get(0));
    byte[] body = request(linesCarrier(lines)).toByteArray();
    for (List<SpanRow> rows : List.of(SpanDecoder.decode(body), TraceMapper.map(ExportTraceServiceRequest.parseFrom(
        body)))) {
      assertThat(rows).hasSize(2);
      for (int i = 0; i < 2; i++) {
        SpanRow row = rows.get(i);
        SpanRow want = expected.get(i);
        assertThat(List.of(row.traceId(), row.spanId(), row.parentSpanId(), row.name(), row.kind(), row.startNanos(),
            row.endNanos(), row.statusCode(), row.serviceName(), row.scopeName(), row.resourceJson()))
            .isEqualTo(List.of(want.traceId(), want.spanId(), want.parentSpanId(), want.name(), want.kind(),
                want.startNanos(), want.endNanos(), want.statusCode(), want.serviceName(), want.scopeName(),
                want.resourceJson()));
        assertThat(withoutMark(row)).isEqualTo(want.attributes());
      }
    }
  }

  /** A kept pipeline's span as the agent sends it: SETEX and DEL listed, the GET between them not. */
  private static Span keptPipeline() {
    return Span.newBuilder().setTraceId(hex(TRACE)).setSpanId(hex(SPAN)).setParentSpanId(hex(PARENT))
        .setName("PIPELINE").setKind(Span.SpanKind.SPAN_KIND_CLIENT)
        .setStartTimeUnixNano(END - DURATION).setEndTimeUnixNano(END)
        .addAttributes(attr("db.namespace", "0")).addAttributes(attr("db.operation.name", "PIPELINE"))
        .addAttributes(attr("db.system.name", "redis")).addAttributes(attr("server.address", "localhost"))
        .addAttributes(attr("server.port", 6379L))
        .addEvents(Span.Event.newBuilder().setName("memtrace.batch.command").setTimeUnixNano(END)
            .addAttributes(attr("db.operation.name", "SETEX")).addAttributes(attr("memory.key", "user:1"))
            .addAttributes(attr("memory.namespace", "user")).addAttributes(attr("memory.ttl", 60L))
            .addAttributes(attr("memory.value_size", 5L)))
        .addEvents(Span.Event.newBuilder().setName("memtrace.batch.command").setTimeUnixNano(END)
            .addAttributes(attr("db.operation.name", "DEL")).addAttributes(attr("memory.key", "клиент:7"))
            .addAttributes(attr("memory.namespace", "tenant-7")).addAttributes(attr("memory.result_count", 1L)))
        .build();
  }

  @Test
  void shouldStoreACompressedPipelineAsTheBatchSpanItStandsFor() throws Exception {
    String lines = new KeyEventLineWriter()
        .batch("PIPELINE", END, DURATION, id(SPAN), id(TRACE.substring(0, 16)), id(TRACE.substring(16)), id(PARENT))
        .batchCommand("SETEX").attributes(4, 5, -1, 60, -1).key("user:1").end()
        .batchCommand("DEL").attributes(-2, -1, -1, -1, 1).key("клиент:7").namespace("tenant-7").end()
        .batch("MULTI SET", END + 5_000, 1_000, id(SPAN) + 1, id(TRACE.substring(0, 16)), id(TRACE.substring(16)),
            id(PARENT))
        .batchCommand("SET").attributes(4, 2, -1, -1, -1).key("user:2").end()
        .take();
    Span carrier = Span.newBuilder().setTraceId(hex("0000000000000000000000000000abcd"))
        .setSpanId(hex("000000000000abcd")).setName(KeyEventSpans.CARRIER).setKind(Span.SpanKind.SPAN_KIND_INTERNAL)
        .setStartTimeUnixNano(END - DURATION).setEndTimeUnixNano(END + 5_000)
        .addEvents(Span.Event.newBuilder().setName(KeyEventLines.BATCHES).setTimeUnixNano(END)
            .addAttributes(attr("db.namespace", "0")).addAttributes(attr("server.address", "localhost"))
            .addAttributes(attr("server.port", 6379L)).addAttributes(attr(KeyEventLines.BATCHES, lines)))
        .build();
    SpanRow want = OtlpIngest.decodeSpans(false, request(keptPipeline()).toByteArray()).get(0);
    byte[] body = request(carrier).toByteArray();
    for (List<SpanRow> rows : List.of(SpanDecoder.decode(body), TraceMapper.map(ExportTraceServiceRequest.parseFrom(
        body)))) {
      assertThat(rows).hasSize(2);
      SpanRow row = rows.get(0);
      assertThat(List.of(row.traceId(), row.spanId(), row.parentSpanId(), row.name(), row.kind(), row.startNanos(),
          row.endNanos(), row.statusCode(), row.serviceName(), row.scopeName(), row.resourceJson(), row.eventsJson()))
          .isEqualTo(List.of(want.traceId(), want.spanId(), want.parentSpanId(), want.name(), want.kind(),
              want.startNanos(), want.endNanos(), want.statusCode(), want.serviceName(), want.scopeName(),
              want.resourceJson(), want.eventsJson()));
      assertThat(withoutMark(row)).isEqualTo(want.attributes());
      SpanRow multi = rows.get(1);
      assertThat(List.of(multi.name(), multi.spanId(), multi.startNanos(), multi.endNanos())).isEqualTo(List.of(
          "MULTI SET", "00f067aa0ba902b8", END + 4_000, END + 5_000));
      assertThat(multi.eventsJson()).isEqualTo("[{\"name\":\"memtrace.batch.command\",\"time_unix_nano\":"
          + (END + 5_000) + ",\"attributes\":{\"db.operation.name\":\"SET\",\"memory.key\":\"user:2\","
          + "\"memory.namespace\":\"user\",\"memory.value_size\":2}}]");
    }
  }

  @Test
  void shouldLeaveOutAndCountAnEventWhoseLinesBreakTheForm() throws Exception {
    long malformed = KeyEventSpans.malformed();
    String line = new KeyEventLineWriter()
        .command("SETEX", END, DURATION, id(SPAN), id(TRACE.substring(0, 16)), id(TRACE.substring(16)), id(PARENT))
        .attributes(4, 5, -1, 60, -1).key("user:1").end().take();
    assertThat(SpanDecoder.decode(request(linesCarrier(line.replace("6:user:1", "60:user:1"))).toByteArray()))
        .as("a key said longer than the text").isEmpty();
    assertThat(KeyEventSpans.malformed()).isEqualTo(malformed + 1);
  }

  @Test
  void shouldLeaveRequestsWithoutKeyEventsAsTheyAre() throws Exception {
    List<SpanRow> rows = OtlpIngest.decodeSpans(false, request(kept()).toByteArray());
    assertThat(rows).extracting(SpanRow::name).containsExactly("SETEX");
    assertThat(rows.get(0).attributes()).doesNotContainKey(KeyEventSpans.MARK);
  }

  private static String s(String key, String value) {
    return "{\"key\":\"" + key + "\",\"value\":{\"stringValue\":\"" + value + "\"}}";
  }

  private static String i(String key, long value) {
    return "{\"key\":\"" + key + "\",\"value\":{\"intValue\":\"" + value + "\"}}";
  }
}
