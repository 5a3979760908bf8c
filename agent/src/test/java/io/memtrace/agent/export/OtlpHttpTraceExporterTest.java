package io.memtrace.agent.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.memtrace.agent.span.SpanRecord;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** memtrace's OTLP/HTTP trace exporter against a real HTTP server on loopback. */
class OtlpHttpTraceExporterTest {

  private HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();
  private final List<ExportTraceServiceRequest> received = new CopyOnWriteArrayList<>();
  private final List<String> headers = new CopyOnWriteArrayList<>();

  /** Answers the n-th request (1-based) with {@code statuses[n-1]}, then 200. */
  private String serve(int... statuses) throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v1/traces", exchange -> {
      int n = requests.incrementAndGet();
      headers.add(exchange.getRequestHeaders().getFirst("Content-Type") + "|"
          + exchange.getRequestHeaders().getFirst("Content-Encoding") + "|"
          + exchange.getRequestHeaders().getFirst("X-Tenant"));
      try (InputStream raw = exchange.getRequestBody()) {
        InputStream body = "gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))
            ? new GZIPInputStream(raw) : raw;
        received.add(ExportTraceServiceRequest.parseFrom(body));
      }
      int status = n <= statuses.length ? statuses[n - 1] : 200;
      byte[] answer = status == 200 ? new byte[0] : "try later".getBytes();
      exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
      if (answer.length > 0) {
        exchange.getResponseBody().write(answer);
      }
      exchange.close();
    });
    server.start();
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces";
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void shouldRetryAnUnavailableEndpointAndThenSucceed() throws Exception {
    OtlpHttpTraceExporter exporter = new OtlpHttpTraceExporter(serve(503), Map.of(), false, Duration.ofSeconds(5), 4);
    CompletableResultCode result = exporter.export(SpanRecordFixture.spans(3), 3);
    assertThat(result.join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(requests.get()).isEqualTo(2);
    assertThat(received.get(1).getResourceSpans(0).getScopeSpans(0).getSpansCount()).isEqualTo(3);
    exporter.shutdown();
  }

  @Test
  void shouldFailAtOnceWhenTheEndpointRefusesThePayload() throws Exception {
    OtlpHttpTraceExporter exporter = new OtlpHttpTraceExporter(serve(400), Map.of(), false, Duration.ofSeconds(5), 4);
    CompletableResultCode result = exporter.export(SpanRecordFixture.spans(1), 1);
    assertThat(result.join(10, TimeUnit.SECONDS).isSuccess()).isFalse();
    assertThat(result.getFailureThrowable()).hasMessageContaining("HTTP 400").hasMessageContaining("try later");
    assertThat(requests.get()).isEqualTo(1);
    exporter.shutdown();
  }

  @Test
  void shouldSendGzipAndTheConfiguredHeaders() throws Exception {
    OtlpHttpTraceExporter exporter = new OtlpHttpTraceExporter(serve(), Map.of("X-Tenant", "acme"), true,
        Duration.ofSeconds(5), 4);
    assertThat(exporter.export(SpanRecordFixture.spans(2), 2).join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(headers).containsExactly("application/x-protobuf|gzip|acme");
    assertThat(received.get(0).getResourceSpans(0).getScopeSpans(0).getSpansCount()).isEqualTo(2);
    exporter.shutdown();
  }

  @Test
  void shouldReportAnEndpointThatIsNotThereAfterItsRetries() throws Exception {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    OtlpHttpTraceExporter exporter = new OtlpHttpTraceExporter("http://127.0.0.1:" + port + "/v1/traces",
        Map.of(), false, Duration.ofSeconds(2), 4);
    CompletableResultCode result = exporter.export(SpanRecordFixture.spans(1), 1);
    assertThat(result.join(30, TimeUnit.SECONDS).isSuccess()).isFalse();
    assertThat(result.getFailureThrowable()).hasMessageContaining("127.0.0.1:" + port)
        .hasMessageContaining("after 5 attempt(s)").hasCauseInstanceOf(java.net.ConnectException.class);
    exporter.shutdown();
  }

  /** Builds records through the pipeline package's own factory for tests. */
  static final class SpanRecordFixture {
    static SpanRecord[] spans(int n) {
      return io.memtrace.agent.pipeline.SpanRecords.sample(n);
    }
  }
}
