package io.memtrace.agent.pipeline;

import io.memtrace.agent.span.AttributeSlots;
import io.memtrace.agent.span.SpanRecord;
import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.agent.export.OtlpTraceEncoder;
import io.memtrace.agent.export.ProtoWriter;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * memtrace's direct OTLP encoding against the OpenTelemetry SDK's own: the same spans, encoded both
 * ways, must parse (with the official protobuf classes) into the same request, attribute order
 * aside (the SDK sorts keys; memtrace keeps them as set).
 */
class OtlpTraceEncoderTest {

  private static final Resource RESOURCE = Resource.create(Attributes.builder()
      .put("service.name", "orders")
      .put("service.instance.id", "ünïcode-☃")
      .put(AttributeKey.stringArrayKey("process.command_args"), Arrays.asList("java", "-jar", "app.jar"))
      .put(AttributeKey.longKey("process.pid"), 4242L)
      .build());
  private static final InstrumentationScopeInfo JEDIS =
      InstrumentationScopeInfo.builder("io.memtrace.jedis").setVersion("0.1.0").build();
  private static final InstrumentationScopeInfo MEMORY =
      InstrumentationScopeInfo.builder("io.memtrace.memory").setVersion("0.1.0").build();

  @Test
  void encodesLikeTheSdk() throws Exception {
    List<SpanRecord> records = new ArrayList<>();
    SpanRecord redis = record(JEDIS, "GET", SpanKind.CLIENT, 0x0123456789abcdefL, 0xfedcba9876543210L, 7L, 0L);
    redis.put("db.system.name", "redis").put("db.query.text", "GET user:42:name")
        .put("server.port", 6379L).put("memory.found", false).put("memory.value_size", 12L)
        .putUtf8(MEMORY_KEY, utf8("user:42:name and more"), 12)
        .putUtf8(AttributeKey.stringKey("memory.namespace"), utf8("clé:日本"), utf8("clé:日本").length)
        .putUtf8(AttributeKey.stringKey("replaced.by.string"), utf8("bytes first"), 11)
        .put("replaced.by.string", "then a string")
        .put("replaced.by.bytes", "a string first").putUtf8(AttributeKey.stringKey("replaced.by.bytes"), utf8("xy"), 2);
    records.add(redis);
    SpanRecord memory = record(MEMORY, "aqe.memory.store", SpanKind.INTERNAL, 1L, -1L, 8L, 7L);
    memory.put("memory.operation", "store").put("memory.key", "clé:日本:😀").put("memory.ttl", -5L)
        .put("memory.operation_duration_ms", 1.245).put("memory.operation", "store-overridden")
        .put("big", Long.MAX_VALUE).put("negative", Long.MIN_VALUE);
    memory.addEvent(EventData.create(123L, "memory.store.started",
        Attributes.builder().put("memory.key", "k").put("agent.id", "a-1").build()));
    memory.addEvent(EventData.create(456L, "memory.store.completed",
        Attributes.of(AttributeKey.booleanKey("memory.success"), true)));
    memory.status(StatusCode.OK, null);
    memory.addLink(io.opentelemetry.sdk.trace.data.LinkData.create(io.opentelemetry.api.trace.SpanContext.create(
        "0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", io.opentelemetry.api.trace.TraceFlags.getSampled(),
        io.opentelemetry.api.trace.TraceState.getDefault()), Attributes.builder()
        .put("memtrace.context.source", "chat_memory").put("memtrace.context.records", 3L).build()));
    records.add(memory);
    SpanRecord failed = record(JEDIS, "SET", SpanKind.CLIENT, 5L, 6L, 9L, 8L);
    failed.put("error.type", "WRONGTYPE").put("db.query.text", "x".repeat(20_000) + "\ud800 lone surrogate, café 日本 \ud83d\ude00");
    failed.addEvent(EventData.create(789L, "exception", Attributes.builder()
        .put("exception.type", "redis.clients.jedis.exceptions.JedisDataException")
        .put("exception.message", "WRONGTYPE Operation against a key").build()));
    failed.status(StatusCode.ERROR, "WRONGTYPE Operation against a key");
    records.add(failed);
    SpanRecord carrier = record(MEMORY, "memtrace.key_events", SpanKind.INTERNAL, 11L, 12L, 13L, 0L);
    byte[] lines = utf8("0 52000 AAAAAAAAAAA SET 12:user:42 café\n".repeat(400)); // past the short-string path
    carrier.addLinesEvent(1234L, "memtrace.commands", Attributes.builder().put("server.address", "localhost")
        .put(AttributeKey.longKey("server.port"), 6379L).build(), COMMANDS, lines, lines.length - 1);
    records.add(carrier);
    for (int i = 0; i < 600; i++) { // enough to make the scope message's length a three-byte varint
      SpanRecord more = record(i % 3 == 0 ? MEMORY : JEDIS, "SET", SpanKind.CLIENT, i, i + 1, i + 2, 0L);
      if (i % 2 == 0) {
        more.put("memory.key", "user:" + i);
      } else {
        byte[] key = utf8("user:" + i);
        more.putUtf8(MEMORY_KEY, key, key.length);
      }
      more.put("memory.value_size", (long) i);
      records.add(more);
    }

    assertThat(normalized(ours(records))).isEqualTo(normalized(sdk(records)));
    ExportTraceServiceRequest parsed = ours(records);
    assertThat(parsed.getResourceSpansCount()).isEqualTo(1);
    assertThat(parsed.getResourceSpans(0).getScopeSpansList()).extracting(s -> s.getScope().getName())
        .containsExactly("io.memtrace.jedis", "io.memtrace.memory");
    Span store = parsed.getResourceSpans(0).getScopeSpans(1).getSpans(0);
    assertThat(store.getName()).isEqualTo("aqe.memory.store");
    assertThat(store.getAttributesList()).filteredOn(kv -> kv.getKey().equals("memory.operation"))
        .singleElement().satisfies(kv -> assertThat(kv.getValue().getStringValue()).isEqualTo("store-overridden"));
    assertThat(store.getLinksList()).singleElement().satisfies(link -> {
      assertThat(link.getSpanId().size()).isEqualTo(8);
      assertThat(link.getAttributesList()).extracting(KeyValue::getKey)
          .containsExactlyInAnyOrder("memtrace.context.source", "memtrace.context.records");
    });
  }

  @Test
  void aReusedRecordAndBufferCarryNothingOver() throws Exception {
    SpanRecord record = record(JEDIS, "GET", SpanKind.CLIENT, 1L, 2L, 3L, 4L);
    record.put("memory.key", "first").put("memory.found", true)
        .putUtf8(MEMORY_KEY, utf8("a long key first"), 16);
    record.status(StatusCode.ERROR, "boom");
    record.addEvent(EventData.create(1L, "exception", Attributes.empty()));
    ProtoWriter out = new ProtoWriter(16);
    OtlpTraceEncoder encoder = new OtlpTraceEncoder();
    encoder.encode(new SpanRecord[] {record}, 1, out);

    record.reset();
    fill(record, JEDIS, "SET", SpanKind.CLIENT, 9L, 9L, 9L, 0L);
    record.putUtf8(MEMORY_KEY, utf8("short"), 5).put("db.system.name", "redis"); // same slot, shorter
    encoder.encode(new SpanRecord[] {record}, 1, out);
    Span span = ExportTraceServiceRequest.parseFrom(Arrays.copyOf(out.array(), out.size()))
        .getResourceSpans(0).getScopeSpans(0).getSpans(0);
    assertThat(span.getName()).isEqualTo("SET");
    assertThat(span.getAttributesList()).extracting(KeyValue::getKey).containsExactly("memory.key", "db.system.name");
    assertThat(span.getAttributes(0).getValue().getStringValue()).isEqualTo("short");
    assertThat(span.getEventsList()).isEmpty();
    assertThat(span.getStatus().getCode().getNumber()).isZero();
    assertThat(span.getStatus().getMessage()).isEmpty();
    assertThat(span.getParentSpanId().isEmpty()).isTrue();
  }

  @Test
  void aCarriersLinesAreCopiedIntoItsRecordAndItsSdkCopyOutlivesTheRecordsReuse() throws Exception {
    SpanRecord carrier = record(MEMORY, "memtrace.key_events", SpanKind.INTERNAL, 1L, 2L, 3L, 0L);
    byte[] lines = utf8("first line\nsecond line\n");
    carrier.addLinesEvent(7L, "memtrace.commands", Attributes.of(AttributeKey.longKey("server.port"), 6379L),
        COMMANDS, lines, lines.length);
    Arrays.fill(lines, (byte) 'x'); // the key events' writer reuses its buffer at once
    SpanData copy = carrier.toSpanData();

    carrier.reset();
    fill(carrier, MEMORY, "memtrace.key_events", SpanKind.INTERNAL, 4L, 5L, 6L, 0L);
    byte[] next = utf8("third\n");
    carrier.addLinesEvent(8L, "memtrace.commands", Attributes.empty(), COMMANDS, next, next.length);

    assertThat(copy.getEvents()).singleElement().satisfies(e -> {
      assertThat(e.getEpochNanos()).isEqualTo(7L);
      assertThat(e.getAttributes().get(COMMANDS)).isEqualTo("first line\nsecond line\n");
      assertThat(e.getAttributes().get(AttributeKey.longKey("server.port"))).isEqualTo(6379L);
    });
    ProtoWriter out = new ProtoWriter(16);
    new OtlpTraceEncoder().encode(new SpanRecord[] {carrier}, 1, out);
    Span span = ExportTraceServiceRequest.parseFrom(Arrays.copyOf(out.array(), out.size()))
        .getResourceSpans(0).getScopeSpans(0).getSpans(0);
    assertThat(span.getEventsList()).singleElement().satisfies(e -> {
      assertThat(e.getTimeUnixNano()).isEqualTo(8L);
      assertThat(e.getAttributesList()).extracting(KeyValue::getKey).containsExactly("memtrace.commands");
      assertThat(e.getAttributes(0).getValue().getStringValue()).isEqualTo("third\n");
    });
  }

  @Test
  void aHugeUtf8ValueIsHeldAsAStringNotAsAKeptBuffer() throws Exception {
    String huge = "k".repeat(AttributeSlots.MAX_KEPT_UTF8 + 1);
    SpanRecord record = record(JEDIS, "GET", SpanKind.CLIENT, 1L, 2L, 3L, 0L);
    record.putUtf8(MEMORY_KEY, utf8(huge + "tail not included"), huge.length());

    assertThat(record.slots().type(0)).isEqualTo(AttributeSlots.STRING);
    assertThat(record.slots().utf8Bytes(0)).as("no buffer kept for it").isNull();
    ProtoWriter out = new ProtoWriter(16);
    new OtlpTraceEncoder().encode(new SpanRecord[] {record}, 1, out);
    Span span = ExportTraceServiceRequest.parseFrom(Arrays.copyOf(out.array(), out.size()))
        .getResourceSpans(0).getScopeSpans(0).getSpans(0);
    assertThat(span.getAttributes(0).getValue().getStringValue()).isEqualTo(huge);
  }

  private static final AttributeKey<String> MEMORY_KEY = AttributeKey.stringKey("memory.key");
  private static final AttributeKey<String> COMMANDS = AttributeKey.stringKey("memtrace.commands");

  private static byte[] utf8(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  private static SpanRecord record(InstrumentationScopeInfo scope, String name, SpanKind kind,
      long traceHigh, long traceLow, long spanId, long parent) {
    SpanRecord r = new SpanRecord();
    fill(r, scope, name, kind, traceHigh, traceLow, spanId, parent);
    return r;
  }

  private static void fill(SpanRecord r, InstrumentationScopeInfo scope, String name, SpanKind kind,
      long traceHigh, long traceLow, long spanId, long parent) {
    r.traceIdHigh = traceHigh;
    r.traceIdLow = traceLow;
    r.spanId = spanId;
    r.parentSpanId = parent;
    r.name = name;
    r.kind = kind;
    r.scope = scope;
    r.resource = RESOURCE;
    r.startEpochNanos = 1_700_000_000_000_000_000L + spanId;
    r.endEpochNanos = r.startEpochNanos + 52_000;
  }

  private static ExportTraceServiceRequest ours(List<SpanRecord> records) throws Exception {
    ProtoWriter out = new ProtoWriter(8); // tiny on purpose: every write path has to grow it
    new OtlpTraceEncoder().encode(records.toArray(new SpanRecord[0]), records.size(), out);
    return ExportTraceServiceRequest.parseFrom(Arrays.copyOf(out.array(), out.size()));
  }

  private static ExportTraceServiceRequest sdk(List<SpanRecord> records) throws Exception {
    List<SpanData> spans = new ArrayList<>();
    for (SpanRecord r : records) {
      spans.add(r.toSpanData());
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    TraceRequestMarshaler.create(spans).writeBinaryTo(out);
    return ExportTraceServiceRequest.parseFrom(out.toByteArray());
  }

  /** Attributes sorted by key, scopes by name; span flags are compared separately by the ITs. */
  private static ExportTraceServiceRequest normalized(ExportTraceServiceRequest request) {
    ExportTraceServiceRequest.Builder b = request.toBuilder();
    for (ResourceSpans.Builder rs : b.getResourceSpansBuilderList()) {
      List<ScopeSpans> scopes = new ArrayList<>(rs.getScopeSpansList());
      scopes.sort(Comparator.comparing(s -> s.getScope().getName()));
      rs.clearScopeSpans();
      for (ScopeSpans s : scopes) {
        ScopeSpans.Builder sb = s.toBuilder();
        for (Span.Builder span : sb.getSpansBuilderList()) {
          List<KeyValue> attrs = new ArrayList<>(span.getAttributesList());
          attrs.sort(Comparator.comparing(KeyValue::getKey));
          span.clearAttributes().addAllAttributes(attrs).clearFlags();
        }
        rs.addScopeSpans(sb);
      }
    }
    return b.build();
  }
}
