package io.memtrace.collector.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memtrace.collector.SpanFixtures;
import io.memtrace.collector.store.MetricRow;
import io.memtrace.collector.store.SpanRow;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Text that is not valid Unicode is stored with U+FFFD in place of the bad characters, wherever it arrives. */
class InvalidTextTest {

  static final String LONE = "x\\ud800y";
  static final String SPAN_JSON = "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\","
      + "\"value\":{\"stringValue\":\"svc\"}},{\"key\":\"host\",\"value\":{\"stringValue\":\"%5$s\"}}]},"
      + "\"scopeSpans\":[{\"scope\":{\"name\":\"s\"},\"spans\":[{\"traceId\":\"a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6\","
      + "\"spanId\":\"1234567890abcdef\",\"name\":\"%1$s\",\"startTimeUnixNano\":\"1732089600000000000\","
      + "\"endTimeUnixNano\":\"1732089600012000000\",\"attributes\":[{\"key\":\"%2$s\",\"value\":{\"stringValue\":\"%3$s\"}}],"
      + "\"events\":[{\"name\":\"e\",\"timeUnixNano\":\"1732089600000000000\",\"attributes\":[{\"key\":\"k\","
      + "\"value\":{\"stringValue\":\"%4$s\"}}]}]}]}]}]}";

  @Test
  void shouldKeepValidTextAsTheSameInstance() {
    String s = "pair \ud83d\ude00 and plain";
    assertThat(ValidText.of(s, null)).isSameAs(s);
  }

  @Test
  void shouldReplaceEachLoneSurrogateAndKeepPairs() {
    TextRepairs repairs = new TextRepairs();
    assertThat(ValidText.of("a\ud800b\udc00c\ud83d\ude00\udc00\ud800", repairs))
        .isEqualTo("a\ufffdb\ufffdc\ud83d\ude00\ufffd\ufffd");
    assertThat(repairs.strings()).isEqualTo(1);
  }

  @Test
  void shouldRepairALoneSurrogateInEveryPlaceOfAJsonSpan() throws Exception {
    String[] places = {"name", "attribute key", "attribute value", "event attribute", "resource attribute"};
    for (int place = 0; place < places.length; place++) {
      Object[] values = {"n", "k", "v", "ev", "host"};
      values[place] = LONE;
      TextRepairs repairs = new TextRepairs();
      byte[] json = String.format(SPAN_JSON, values).getBytes(StandardCharsets.UTF_8);

      SpanRow row = TraceMapper.map(OtlpJson.merge(json, ExportTraceServiceRequest.newBuilder(), repairs).build()).get(0);

      String stored = row.name() + row.attributesJson() + row.eventsJson() + row.resourceJson();
      assertThat(stored).as(places[place]).contains("x\ufffdy").doesNotContain("\\ud800").doesNotContain("\ud800");
      assertThat(repairs.strings()).as(places[place]).isEqualTo(1);
      assertThat(repairs.warning()).contains("1 string was not valid Unicode");
    }
  }

  @Test
  void shouldRepairALoneSurrogateInAMetricAttribute() throws Exception {
    String json = "{\"resourceMetrics\":[{\"scopeMetrics\":[{\"metrics\":[{\"name\":\"g\",\"gauge\":{\"dataPoints\":[{"
        + "\"timeUnixNano\":\"1732089600000000000\",\"asDouble\":1.5,\"attributes\":[{\"key\":\"k\",\"value\":"
        + "{\"stringValue\":\"" + LONE + "\"}}]}]}}]}]}]}";

    List<MetricRow> rows = MetricMapper.map(OtlpJson.merge(json.getBytes(StandardCharsets.UTF_8),
        ExportMetricsServiceRequest.newBuilder(), new TextRepairs()).build());

    assertThat(rows.get(0).attributesJson()).isEqualTo("{\"k\":\"x\ufffdy\"}");
  }

  @Test
  void shouldRepairInvalidUtf8BytesInAJsonBody() throws Exception {
    byte[] json = String.format(SPAN_JSON, "nAme", "k", "v", "ev", "host").getBytes(StandardCharsets.UTF_8);
    json = replace(json, "nAme", (byte) 0xff);
    TextRepairs repairs = new TextRepairs();

    SpanRow row = TraceMapper.map(OtlpJson.merge(json, ExportTraceServiceRequest.newBuilder(), repairs).build()).get(0);

    assertThat(row.name()).isEqualTo("n\ufffdme");
    assertThat(repairs.strings()).isEqualTo(1);
  }

  @Test
  void shouldRepairInvalidUtf8InProtobufStringsAndKeepTheRest() throws Exception {
    Span span = SpanFixtures.span(SpanFixtures.SEED_TRACE, null, "nAme", 0, 5)
        .addAttributes(SpanFixtures.attr("kEy", "vAlue")).addAttributes(SpanFixtures.attr("size", 42L)).build();
    byte[] body = SpanFixtures.request("svc", List.of(span)).toByteArray();
    for (String marker : List.of("nAme", "kEy", "vAlue")) {
      body = replace(body, marker, (byte) 0xc3);
    }
    TextRepairs repairs = new TextRepairs();

    ExportTraceServiceRequest request = ProtobufPayload.parse(body, ExportTraceServiceRequest.parser(),
        ExportTraceServiceRequest.getDescriptor(), repairs);

    SpanRow row = TraceMapper.map(request).get(0);
    assertThat(row.name()).isEqualTo("n\ufffdme");
    assertThat(row.attributes()).containsEntry("k\ufffdy", "v\ufffdlue").containsEntry("size", 42L);
    assertThat(repairs.strings()).isEqualTo(3);
  }

  @Test
  void shouldStillRefuseProtobufThatIsMalformedOtherwise() {
    byte[] body = SpanFixtures.seedTrace().toByteArray();
    byte[] truncated = java.util.Arrays.copyOf(body, body.length - 5);

    assertThatThrownBy(() -> ProtobufPayload.parse(truncated, ExportTraceServiceRequest.parser(),
        ExportTraceServiceRequest.getDescriptor(), new TextRepairs()))
        .isInstanceOf(PayloadException.class).hasMessageStartingWith("malformed protobuf: ");
  }

  /** Overwrites the second byte of the (only) occurrence of {@code marker}, keeping the length. */
  static byte[] replace(byte[] data, String marker, byte with) {
    String hex = HexFormat.of().formatHex(data);
    String m = HexFormat.of().formatHex(marker.getBytes(StandardCharsets.UTF_8));
    int at = hex.indexOf(m);
    assertThat(at).as(marker).isGreaterThanOrEqualTo(0).isEven();
    byte[] out = data.clone();
    out[at / 2 + 1] = with;
    return out;
  }
}
