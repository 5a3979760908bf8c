package io.memtrace.collector.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memtrace.collector.store.MetricRow;
import io.memtrace.collector.store.SpanRow;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** OTLP JSON as the OpenTelemetry file exporter and the agent's MEMTRACE_TRACES_FILE write it. */
class OtlpJsonTest {

  static final String TRACE_LINE = "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\","
      + "\"value\":{\"stringValue\":\"fleet\"}}]},\"scopeSpans\":[{\"scope\":{\"name\":\"io.memtrace\"},\"spans\":[{"
      + "\"traceId\":\"a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6\",\"spanId\":\"1234567890abcdef\",\"parentSpanId\":\"\","
      + "\"name\":\"aqe.memory.store\",\"kind\":1,\"startTimeUnixNano\":\"1732089600000000000\","
      + "\"endTimeUnixNano\":\"1732089600012000000\",\"attributes\":["
      + "{\"key\":\"memory.key\",\"value\":{\"stringValue\":\"test-plan-user-service\"}},"
      + "{\"key\":\"memory.value_size\",\"value\":{\"intValue\":\"387\"}},"
      + "{\"key\":\"memory.found\",\"value\":{\"boolValue\":true}},"
      + "{\"key\":\"memory.operation_duration_ms\",\"value\":{\"doubleValue\":12.5}},"
      + "{\"key\":\"tags\",\"value\":{\"arrayValue\":{\"values\":[{\"stringValue\":\"a\"},{\"intValue\":2}]}}}],"
      + "\"events\":[{\"timeUnixNano\":\"1732089600000000000\",\"name\":\"memory.store.started\"}],"
      + "\"status\":{\"code\":\"STATUS_CODE_OK\"}}]}]}]}";

  @Test
  void shouldReadHexIdsStringIntegersAndEnumsInEitherForm() throws Exception {
    ExportTraceServiceRequest request = OtlpJson.merge(TRACE_LINE.getBytes(StandardCharsets.UTF_8),
        ExportTraceServiceRequest.newBuilder()).build();
    List<SpanRow> rows = TraceMapper.map(request);

    assertThat(rows).hasSize(1);
    SpanRow row = rows.get(0);
    assertThat(row.traceId()).isEqualTo("a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6");
    assertThat(row.spanId()).isEqualTo("1234567890abcdef");
    assertThat(row.parentSpanId()).isNull();
    assertThat(row.kind()).isEqualTo("INTERNAL");
    assertThat(row.statusCode()).isEqualTo("OK");
    assertThat(row.serviceName()).isEqualTo("fleet");
    assertThat(row.durationMillis()).isEqualTo(12.0);
    assertThat(row.attributes()).containsEntry("memory.value_size", 387L).containsEntry("memory.found", true)
        .containsEntry("memory.operation_duration_ms", 12.5).containsEntry("tags", List.of("a", 2L));
    assertThat(row.attributesJson()).contains("\"memory.value_size\":387").contains("\"memory.operation_duration_ms\":12.5");
    assertThat(row.eventsJson()).contains("memory.store.started");
  }

  @Test
  void shouldReadSpanLinksWithHexIdsAndTheirAttributes() throws Exception {
    String line = TRACE_LINE.replace("\"events\":[", "\"links\":[{\"traceId\":\"b1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6\","
        + "\"spanId\":\"0000000000000abc\",\"attributes\":[{\"key\":\"memtrace.context.source\","
        + "\"value\":{\"stringValue\":\"retrieval\"}}]}],\"events\":[");
    List<SpanRow> rows = TraceMapper.map(OtlpJson.merge(line.getBytes(StandardCharsets.UTF_8),
        ExportTraceServiceRequest.newBuilder()).build());
    assertThat(rows.get(0).linksJson()).isEqualTo("[{\"trace_id\":\"b1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6\","
        + "\"span_id\":\"0000000000000abc\",\"trace_state\":\"\",\"attributes\":{\"memtrace.context.source\":\"retrieval\"}}]");
    assertThat(TraceMapper.map(OtlpJson.merge(TRACE_LINE.getBytes(StandardCharsets.UTF_8),
        ExportTraceServiceRequest.newBuilder()).build()).get(0).linksJson()).isNull();
  }

  @Test
  void shouldReadMetricsOfEveryKind() throws Exception {
    String json = "{\"resourceMetrics\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\"fleet\"}}]},"
        + "\"scopeMetrics\":[{\"metrics\":["
        + "{\"name\":\"memtrace.events.dropped\",\"sum\":{\"aggregationTemporality\":2,\"isMonotonic\":true,"
        + "\"dataPoints\":[{\"timeUnixNano\":\"1732089600000000000\",\"asInt\":\"3\"}]}},"
        + "{\"name\":\"memory.operation.duration\",\"unit\":\"ms\",\"histogram\":{\"aggregationTemporality\":\"AGGREGATION_TEMPORALITY_CUMULATIVE\","
        + "\"dataPoints\":[{\"timeUnixNano\":\"1732089600000000000\",\"count\":\"4\",\"sum\":29,\"min\":4,\"max\":12,"
        + "\"explicitBounds\":[5,10],\"bucketCounts\":[\"2\",\"1\",\"1\"],"
        + "\"attributes\":[{\"key\":\"memory.operation\",\"value\":{\"stringValue\":\"store\"}}]}]}}]}]}]}";
    List<MetricRow> rows = MetricMapper.map(OtlpJson.merge(json.getBytes(StandardCharsets.UTF_8),
        ExportMetricsServiceRequest.newBuilder()).build());

    assertThat(rows).hasSize(2);
    assertThat(rows.get(0).type()).isEqualTo("sum");
    assertThat(rows.get(0).temporality()).isEqualTo("cumulative");
    assertThat(rows.get(0).value()).isEqualTo(3.0);
    assertThat(rows.get(1).type()).isEqualTo("histogram");
    assertThat(rows.get(1).count()).isEqualTo(4L);
    assertThat(rows.get(1).bucketCounts()).containsExactly(2, 1, 1);
    assertThat(rows.get(1).explicitBounds()).containsExactly(5.0, 10.0);
    assertThat(rows.get(1).attributesJson()).isEqualTo("{\"memory.operation\":\"store\"}");
  }

  @Test
  void shouldNameTheWrongPartOfABadPayload() {
    assertThatThrownBy(() -> decode("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"zz\"}]}]}]}"))
        .hasMessageContaining("$.resourceSpans[0].scopeSpans[0].spans[0].traceId: not valid hex");
    assertThatThrownBy(() -> decode("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"startTimeUnixNano\":\"soon\"}]}]}]}"))
        .hasMessageContaining("startTimeUnixNano: expected an integer");
    assertThatThrownBy(() -> decode("{\"resourceSpans\": {}}")).hasMessageContaining("$.resourceSpans: expected an array");
    assertThatThrownBy(() -> decode("{\"resourceSpans\": [")).hasMessageContaining("malformed JSON");
    assertThatThrownBy(() -> decode("{\"resourceSpans\": [{}")).as("Jackson's own location dropped whole")
        .hasMessageNotContaining("start marker").hasMessageNotContaining("])").hasMessageEndingWith("at line 1, column 22");
    assertThatThrownBy(() -> decode("[]")).hasMessageContaining("expected a JSON object");
    assertThatThrownBy(() -> TraceMapper.map(OtlpJson.merge(TRACE_LINE.replace("1234567890abcdef", "12345678")
        .getBytes(StandardCharsets.UTF_8), ExportTraceServiceRequest.newBuilder()).build()))
        .hasMessageContaining("spanId has 4 bytes; OTLP requires 8");
  }

  private static void decode(String json) throws PayloadException {
    OtlpJson.merge(json.getBytes(StandardCharsets.UTF_8), ExportTraceServiceRequest.newBuilder());
  }
}
