package io.memtrace.collector.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.memtrace.collector.SpanFixtures;
import io.memtrace.collector.forward.Forwarder;
import io.memtrace.collector.values.ValueEventFixtures;
import io.memtrace.testsupport.OtlpSink;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What {@code serve --forward} sends of a trace request with captured values, with and without --forward-values. */
class ValueForwardingTest {

  private OtlpSink upstream;

  @BeforeEach
  void start() throws Exception {
    upstream = new OtlpSink();
  }

  @AfterEach
  void stop() {
    upstream.close();
  }

  private List<OtlpSink.Request> forward(boolean forwardValues, PayloadFormat format, byte[] body) {
    try (Forwarder forwarder = new Forwarder(URI.create(upstream.endpoint()), 10, forwardValues)) {
      ValueForwarding.offer(forwarder, "/v1/traces", format, null, body, body);
      await().atMost(Duration.ofSeconds(120)).until(() -> upstream.requests().size() == 1);
    }
    return upstream.requests();
  }

  @Test
  void shouldTakeTheValueEventsOutAndKeepEveryOtherEvent() throws Exception {
    OtlpSink.Request sent = forward(false, PayloadFormat.PROTOBUF, ValueEventFixtures.session().toByteArray()).get(0);
    assertThat(sent.contentType).isEqualTo("application/x-protobuf");
    assertThat(new String(sent.body, StandardCharsets.ISO_8859_1)).doesNotContain("memory.value")
        .doesNotContain("secret-alice");
    ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(sent.body);
    List<Span> spans = request.getResourceSpans(0).getScopeSpans(0).getSpansList();
    assertThat(spans).hasSize(4);
    assertThat(spans.get(0).getEventsList()).extracting(Span.Event::getName).containsExactly("memory.set.started");
  }

  @Test
  void shouldForwardARequestWithoutValuesAsItCame() {
    byte[] body = SpanFixtures.seedTrace().toByteArray();
    OtlpSink.Request sent = forward(false, PayloadFormat.PROTOBUF, body).get(0);
    assertThat(sent.body).isEqualTo(body);
  }

  @Test
  void shouldForwardTheValuesWhenAsked() {
    byte[] body = ValueEventFixtures.session().toByteArray();
    OtlpSink.Request sent = forward(true, PayloadFormat.PROTOBUF, body).get(0);
    assertThat(sent.body).isEqualTo(body);
    assertThat(new String(sent.body, StandardCharsets.ISO_8859_1)).contains("secret-alice");
  }
}
