package io.memtrace.collector.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memtrace.collector.SpanFixtures;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** OTLP times are unsigned; those at or past 2^63 ns are refused by name, never stored as negative times. */
class TimestampRuleTest {

  @Test
  void shouldRefuseAProtobufStartAtTwoToTheSixtyThird() {
    Span span = SpanFixtures.span(SpanFixtures.SEED_TRACE, null, "late", 0, 1)
        .setStartTimeUnixNano(Long.MIN_VALUE).setEndTimeUnixNano(Long.MIN_VALUE + 5).build();

    assertThatThrownBy(() -> TraceMapper.map(SpanFixtures.request("svc", List.of(span))))
        .isInstanceOf(PayloadException.class)
        .hasMessageContaining("spans[0].startTimeUnixNano is 9223372036854775808 ns")
        .hasMessageContaining("2262-04-11");
  }

  @Test
  void shouldRefuseAnEndOrEventTimePastTheRange() {
    Span end = SpanFixtures.span(SpanFixtures.SEED_TRACE, null, "late-end", 0, 1).setEndTimeUnixNano(-1L).build();
    assertThatThrownBy(() -> TraceMapper.map(SpanFixtures.request("svc", List.of(end))))
        .hasMessageContaining("endTimeUnixNano is 18446744073709551615 ns");

    Span event = SpanFixtures.span(SpanFixtures.SEED_TRACE, null, "late-event", 0, 1)
        .addEvents(Span.Event.newBuilder().setName("e").setTimeUnixNano(-2L)).build();
    assertThatThrownBy(() -> TraceMapper.map(SpanFixtures.request("svc", List.of(event))))
        .hasMessageContaining("events[0].timeUnixNano is 18446744073709551614 ns");
  }

  @Test
  void shouldReadUnsignedJsonNumbersAndApplyTheSameRule() {
    for (String start : List.of("\"9223372036854775808\"", "9223372036854775808", "18446744073709551615")) {
      String json = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6\","
          + "\"spanId\":\"1234567890abcdef\",\"name\":\"n\",\"startTimeUnixNano\":" + start + "}]}]}]}";
      assertThatThrownBy(() -> TraceMapper.map(OtlpJson.merge(json.getBytes(StandardCharsets.UTF_8),
          ExportTraceServiceRequest.newBuilder()).build()))
          .as(start).isInstanceOf(PayloadException.class).hasMessageContaining("startTimeUnixNano is ");
    }
  }

  @Test
  void shouldKeepAnEndBeforeTheStartAsNoDuration() throws Exception {
    Span span = SpanFixtures.span(SpanFixtures.SEED_TRACE, null, "skewed", 10, 1)
        .setEndTimeUnixNano(SpanFixtures.T0).build();

    assertThat(TraceMapper.map(SpanFixtures.request("svc", List.of(span))).get(0).durationMillis()).isZero();
  }
}
