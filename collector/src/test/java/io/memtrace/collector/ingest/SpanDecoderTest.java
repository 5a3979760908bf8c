package io.memtrace.collector.ingest;

import static io.memtrace.collector.SpanFixtures.attr;
import static io.memtrace.collector.SpanFixtures.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import io.memtrace.collector.SpanFixtures;
import io.memtrace.collector.store.SpanRow;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The decoder against the generated parser and {@link TraceMapper}: for every body it takes, the same rows,
 * and for every body it does not, null, so that the generated parser's path repairs or refuses it.
 */
class SpanDecoderTest {

  private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";

  /** What the generated parser's path makes of {@code body}; null when it refuses it or had to repair text. */
  private static List<SpanRow> reference(byte[] body) {
    TextRepairs repairs = new TextRepairs();
    try {
      List<SpanRow> rows = TraceMapper.map(ProtobufPayload.parse(body, ExportTraceServiceRequest.parser(),
          ExportTraceServiceRequest.getDescriptor(), repairs));
      return repairs.warning() == null ? rows : null;
    } catch (PayloadException e) {
      return null;
    }
  }

  /** Why the generated parser's path refused {@code body}, or what it repaired. */
  private static String why(byte[] body) {
    TextRepairs repairs = new TextRepairs();
    try {
      TraceMapper.map(ProtobufPayload.parse(body, ExportTraceServiceRequest.parser(),
          ExportTraceServiceRequest.getDescriptor(), repairs));
      return String.valueOf(repairs.warning());
    } catch (PayloadException e) {
      return e.getMessage();
    }
  }

  private static void assertSameRows(byte[] body) {
    List<SpanRow> expected = reference(body);
    assertNotNull(expected, "the generated parser takes the body");
    List<SpanRow> rows = SpanDecoder.decode(body);
    assertNotNull(rows, "the decoder takes the body");
    assertEquals(expected, rows);
    for (int i = 0; i < rows.size(); i++) {
      // the JSON is compared as text: the order of keys is part of what is stored
      assertEquals(expected.get(i).attributesJson(), rows.get(i).attributesJson());
      assertEquals(List.copyOf(expected.get(i).attributes().keySet()), List.copyOf(rows.get(i).attributes().keySet()));
    }
  }

  @Test
  void theSeedTraceAndCompressedSpansComeOutAsTheMapperMakesThem() {
    assertSameRows(SpanFixtures.seedTrace().toByteArray());
    assertSameRows(SpanFixtures.compressedTrace().toByteArray());
  }

  @Test
  void everyKindOfValueStatusAndKind() {
    AnyValue nested = AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
        .addValues(attr("inner", "x")).addValues(KeyValue.newBuilder().setKey("list").setValue(AnyValue.newBuilder()
            .setArrayValue(ArrayValue.newBuilder().addValues(AnyValue.newBuilder().setIntValue(1))
                .addValues(AnyValue.newBuilder().setDoubleValue(2.5)).addValues(AnyValue.newBuilder())))))
        .build();
    Span span = SpanFixtures.span(TRACE, SpanFixtures.newSpanId(), "GET", 0, 3)
        .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
        .setTraceState("vendor=1")
        .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("WRONGTYPE \"quoted\"\n"))
        .addAttributes(attr("db.system.name", "redis"))
        .addAttributes(attr("server.port", 6379L))
        .addAttributes(attr("ratio", Double.NaN))
        .addAttributes(attr("huge", Double.POSITIVE_INFINITY))
        .addAttributes(attr("found", true))
        .addAttributes(attr("unicode", "héllo 😀 \u0001 tab\t"))
        .addAttributes(KeyValue.newBuilder().setKey("bytes").setValue(AnyValue.newBuilder()
            .setBytesValue(ByteString.copyFrom(new byte[] {0, 1, (byte) 0xff}))))
        .addAttributes(KeyValue.newBuilder().setKey("nested").setValue(nested))
        .addAttributes(KeyValue.newBuilder().setKey("empty"))
        .addAttributes(attr("", "no key"))
        .addAttributes(attr("long text", "x".repeat(300)))
        .addAttributes(attr("k".repeat(300), "a key longer than the shared table keeps"))
        .addEvents(Span.Event.newBuilder().setName("exception").setTimeUnixNano(SpanFixtures.T0)
            .addAttributes(attr("exception.message", "boom")))
        .build();
    Span unknownKind = SpanFixtures.span(TRACE, null, "odd", 5, 1).setKindValue(42)
        .setStatus(Status.newBuilder().setCodeValue(9)).build();
    Span endBeforeStart = SpanFixtures.span(TRACE, null, "skewed", 10, 1).setEndTimeUnixNano(SpanFixtures.T0).build();
    assertSameRows(SpanFixtures.request("svc", List.of(span, unknownKind, endBeforeStart)).toByteArray());
  }

  @Test
  void linksComeOutAsTheMapperMakesThemAndALinkWithoutIdsIsLeftOut() {
    Span span = SpanFixtures.span(TRACE, null, "chat gpt-4o", 0, 3)
        .addLinks(Span.Link.newBuilder().setTraceId(hex(TRACE)).setSpanId(SpanFixtures.newSpanId()).setTraceState("a=1")
            .addAttributes(attr("memtrace.context.source", "chat_memory")).addAttributes(attr("memtrace.context.records", 4L)))
        .addLinks(Span.Link.newBuilder().setTraceId(ByteString.copyFrom(new byte[16])).setSpanId(SpanFixtures.newSpanId()))
        .addLinks(Span.Link.newBuilder().setTraceId(hex("1af7651916cd43dd8448eb211c80319c")).setSpanId(SpanFixtures.newSpanId()))
        .build();
    Span none = SpanFixtures.span(TRACE, null, "plain", 1, 1).build();
    byte[] body = SpanFixtures.request("svc", List.of(span, none)).toByteArray();
    assertSameRows(body);
    List<SpanRow> rows = SpanDecoder.decode(body);
    assertTrue(rows.get(0).linksJson().startsWith("[{\"trace_id\":\"" + TRACE + "\",\"span_id\":\""), rows.get(0).linksJson());
    assertTrue(rows.get(0).linksJson().contains("\"memtrace.context.records\":4"), rows.get(0).linksJson());
    assertTrue(rows.get(0).linksJson().contains("1af7651916cd43dd8448eb211c80319c"), rows.get(0).linksJson());
    assertEquals(2, rows.get(0).linksJson().split("trace_id").length - 1);
    assertNull(rows.get(1).linksJson());
  }

  @Test
  void aKeySentTwiceKeepsItsPlaceAndTakesTheLastValue() {
    Span span = SpanFixtures.span(TRACE, null, "SET", 0, 1).addAttributes(attr("a", "first"))
        .addAttributes(attr("b", 2L)).addAttributes(attr("a", "second")).build();
    assertSameRows(SpanFixtures.request("svc", List.of(span)).toByteArray());
  }

  @Test
  void severalResourcesAndScopesWithAndWithoutNames() {
    Span one = SpanFixtures.span(TRACE, null, "one", 0, 1).build();
    Span two = SpanFixtures.span(TRACE, null, "two", 1, 1).build();
    ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder()
            .setResource(Resource.newBuilder().addAttributes(attr("service.name", "a")).addAttributes(attr("host", "h")))
            .addScopeSpans(ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder().setName("s1")
                .setVersion("1.0")).addSpans(one))
            .addScopeSpans(ScopeSpans.newBuilder().addSpans(two)))
        .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder().addSpans(one).addSpans(two)))
        .addResourceSpans(ResourceSpans.newBuilder().setResource(Resource.newBuilder()
            .addAttributes(attr("service.name", 7L))).addScopeSpans(ScopeSpans.newBuilder().addSpans(one)))
        .build();
    assertSameRows(request.toByteArray());
  }

  @Test
  void fieldsInAnyOrderAndUnknownFieldsSkipped() throws IOException {
    // a ResourceSpans whose scope_spans come before its resource, and a span with fields of its own after the known ones
    Span span = SpanFixtures.span(TRACE, null, "late", 0, 1).addAttributes(attr("k", "v")).build();
    ByteArrayOutputStream spanBytes = new ByteArrayOutputStream();
    CodedOutputStream s = CodedOutputStream.newInstance(spanBytes);
    s.writeString(99, "unknown text");
    s.writeUInt64(98, 12345);
    s.writeFixed32(97, 7);
    s.flush();
    spanBytes.write(span.toByteArray());
    byte[] scopeSpans = field(2, spanBytes.toByteArray());
    byte[] scope = field(1, InstrumentationScope.newBuilder().setName("sc").build().toByteArray());
    byte[] resource = field(1, Resource.newBuilder().addAttributes(attr("service.name", "backwards")).build().toByteArray());
    byte[] resourceSpans = concat(field(2, concat(scopeSpans, scope)), resource, field(3, "schema".getBytes()));
    byte[] body = field(1, resourceSpans);
    assertSameRows(body);
    List<SpanRow> rows = SpanDecoder.decode(body);
    assertEquals("backwards", rows.get(0).serviceName());
    assertEquals("sc", rows.get(0).scopeName());
  }

  @Test
  void whatTheGeneratedParserRepairsOrRefusesIsLeftToIt() throws IOException {
    Span good = SpanFixtures.span(TRACE, null, "good", 0, 1).build();
    byte[] valid = SpanFixtures.request("svc", List.of(good)).toByteArray();
    assertNotNull(SpanDecoder.decode(valid));
    // a trace id of 15 bytes, an all-zero span id, no start time, an end after 2262
    for (Span bad : List.of(good.toBuilder().setTraceId(hex("0af7651916cd43dd8448eb211c8031")).build(),
        good.toBuilder().setSpanId(ByteString.copyFrom(new byte[8])).build(),
        good.toBuilder().setParentSpanId(ByteString.copyFrom(new byte[3])).build(),
        good.toBuilder().setStartTimeUnixNano(0).build(),
        good.toBuilder().setEndTimeUnixNano(-5).build())) {
      assertNull(SpanDecoder.decode(SpanFixtures.request("svc", List.of(bad)).toByteArray()));
    }
    // a name that is not UTF-8: the generated parser's path repairs it and warns
    byte[] badText = SpanFixtures.request("svc", List.of(good.toBuilder().setName("GOODNAME").build())).toByteArray();
    int at = indexOf(badText, "GOODNAME".getBytes());
    badText[at] = (byte) 0xc3;
    badText[at + 1] = (byte) 0x28;
    assertNull(SpanDecoder.decode(badText));
    // truncated
    assertNull(SpanDecoder.decode(Arrays.copyOf(valid, valid.length - 3)));
    // a status sent twice, which protobuf merges
    byte[] status = field(15, Status.newBuilder().setMessage("m").build().toByteArray());
    byte[] twice = field(1, field(2, field(2, concat(good.toByteArray(), status, status))));
    assertNull(SpanDecoder.decode(twice));
    assertNotNull(reference(twice));
  }

  @Test
  void moreDistinctTextsThanTheSharedTableHoldsStillComeOutRight() {
    // 3,000 keys and values for a table of 1,024 slots: slots are replaced, and a key is never taken for another
    List<Span> spans = new ArrayList<>();
    for (int i = 0; i < 3_000; i++) {
      spans.add(SpanFixtures.span(TRACE, null, "op" + (i % 7), i, 1).addAttributes(attr("key." + i, "v" + (i * 7919 % 3000)))
          .addAttributes(attr("db.system.name", "redis")).build());
    }
    byte[] body = SpanFixtures.request("svc", spans).toByteArray();
    assertSameRows(body);
    assertSameRows(body);
  }

  @Test
  void anEmptyBodyIsNoSpans() {
    assertEquals(List.of(), SpanDecoder.decode(new byte[0]));
  }

  /**
   * Bodies damaged at random: whatever the decoder takes, the generated parser takes too and makes the same
   * rows of; whatever that path refuses or repairs, the decoder leaves to it.
   */
  @Test
  void damagedBodiesNeverGiveOtherRows() {
    Random random = new Random(31);
    List<byte[]> bodies = new ArrayList<>();
    bodies.add(SpanFixtures.seedTrace().toByteArray());
    bodies.add(SpanFixtures.compressedTrace().toByteArray());
    int taken = 0;
    int refused = 0;
    for (int r = 0; r < 4000; r++) {
      final int round = r;
      byte[] damaged = bodies.get(round % bodies.size()).clone();
      int changes = 1 + random.nextInt(3);
      for (int c = 0; c < changes; c++) {
        switch (random.nextInt(3)) {
          case 0 -> damaged[random.nextInt(damaged.length)] = (byte) random.nextInt(256);
          case 1 -> damaged = Arrays.copyOf(damaged, Math.max(1, damaged.length - 1 - random.nextInt(40)));
          default -> {
            int at = random.nextInt(damaged.length);
            damaged[at] ^= (byte) (1 << random.nextInt(8));
          }
        }
      }
      byte[] body = damaged;
      List<SpanRow> expected = reference(body);
      List<SpanRow> rows = SpanDecoder.decode(body);
      if (rows != null) {
        assertEquals(expected, rows, () -> "round " + round + ": " + why(body));
        taken++;
      } else {
        refused++;
      }
    }
    // both outcomes happen, or the test shows nothing
    assertTrue(taken > 100 && refused > 100, taken + " taken, " + refused + " refused");
  }

  private static byte[] field(int number, byte[] message) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CodedOutputStream c = CodedOutputStream.newInstance(out);
    c.writeByteArray(number, message);
    c.flush();
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static int indexOf(byte[] in, byte[] what) {
    for (int i = 0; i + what.length <= in.length; i++) {
      if (Arrays.equals(in, i, i + what.length, what, 0, what.length)) {
        return i;
      }
    }
    throw new AssertionError("not found");
  }
}
