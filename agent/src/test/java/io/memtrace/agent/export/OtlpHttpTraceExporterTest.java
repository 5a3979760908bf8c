package io.memtrace.agent.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.agent.span.SpanRecord;
import io.memtrace.testsupport.OtlpSink;
import io.memtrace.testsupport.Ports;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** memtrace's OTLP/HTTP trace exporter against a real HTTP server on loopback. */
class OtlpHttpTraceExporterTest {

  private OtlpSink server;
  private OtlpHttpTraceExporter exporter;

  /** Answers the n-th request (1-based) with {@code statuses[n-1]}, then 200. */
  private String serve(int... statuses) throws Exception {
    server = new OtlpSink().replying(request -> request.number <= statuses.length && statuses[request.number - 1] != 200
        ? OtlpSink.Reply.status(statuses[request.number - 1]).body("try later") : OtlpSink.Reply.ok());
    return server.endpoint() + "/v1/traces";
  }

  /** The spans of the n-th request (0-based) in its one resource and scope. */
  private int spansIn(int request) throws Exception {
    return ExportTraceServiceRequest.parseFrom(server.requests().get(request).decodedBody()).getResourceSpans(0)
        .getScopeSpans(0).getSpansCount();
  }

  /** Exports {@code spans} spans to {@link #serve}'s endpoint answering {@code statuses}: the result, within 10 s. */
  private CompletableResultCode exportedTo(int spans, int... statuses) throws Exception {
    exporter = new OtlpHttpTraceExporter(serve(statuses), Map.of(), false, Duration.ofSeconds(5), 4);
    return exporter.export(SpanRecordFixture.spans(spans), spans).join(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() {
    if (exporter != null) {
      exporter.shutdown();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void shouldRetryAnUnavailableEndpointAndThenSucceed() throws Exception {
    assertThat(exportedTo(3, 503).isSuccess()).isTrue();
    assertThat(server.requests()).hasSize(2);
    assertThat(spansIn(1)).isEqualTo(3);
  }

  @Test
  void shouldFailAtOnceWhenTheEndpointRefusesThePayload() throws Exception {
    CompletableResultCode result = exportedTo(1, 400);
    assertThat(result.isSuccess()).isFalse();
    assertThat(result.getFailureThrowable()).hasMessageContaining("HTTP 400").hasMessageContaining("try later");
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void shouldSendGzipAndTheConfiguredHeaders() throws Exception {
    OtlpHttpTraceExporter exporter = new OtlpHttpTraceExporter(serve(), Map.of("X-Tenant", "acme"), true,
        Duration.ofSeconds(5), 4);
    assertThat(exporter.export(SpanRecordFixture.spans(2), 2).join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(server.requests()).extracting(r -> r.contentType + "|" + r.header("Content-Encoding") + "|"
        + r.header("X-Tenant")).containsExactly("application/x-protobuf|gzip|acme");
    assertThat(spansIn(0)).isEqualTo(2);
    exporter.shutdown();
  }

  @Test
  void shouldReportAnEndpointThatIsNotThereAfterItsRetries() throws Exception {
    try (Ports.Refusing nothing = Ports.refusing()) {
      int port = nothing.port();
      OtlpHttpTraceExporter exporter = new OtlpHttpTraceExporter("http://127.0.0.1:" + port + "/v1/traces",
          Map.of(), false, Duration.ofSeconds(2), 4);
      CompletableResultCode result = exporter.export(SpanRecordFixture.spans(1), 1);
      assertThat(result.join(30, TimeUnit.SECONDS).isSuccess()).isFalse();
      assertThat(result.getFailureThrowable()).hasMessageContaining("127.0.0.1:" + port)
          .hasMessageContaining("after 5 attempt(s)").hasCauseInstanceOf(java.net.ConnectException.class);
      exporter.shutdown();
    }
  }

  /** Builds records through the pipeline package's own factory for tests. */
  static final class SpanRecordFixture {
    static SpanRecord[] spans(int n) {
      return io.memtrace.agent.pipeline.SpanRecords.sample(n);
    }
  }
}
