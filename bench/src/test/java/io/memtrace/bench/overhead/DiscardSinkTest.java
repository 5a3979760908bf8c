package io.memtrace.bench.overhead;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** The sink over real sockets: whatever way a client frames a request, every span is counted. */
class DiscardSinkTest {

  /** Five spans: three in one scope, two in another, under two resources. */
  private static byte[] fiveSpans() {
    Span span = Span.newBuilder().setName("GET").setTraceId(ByteString.copyFrom(new byte[16]))
        .setSpanId(ByteString.copyFrom(new byte[8])).build();
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder()
            .addScopeSpans(ScopeSpans.newBuilder().addSpans(span).addSpans(span).addSpans(span))
            .addScopeSpans(ScopeSpans.newBuilder().addSpans(span)))
        .addResourceSpans(ResourceSpans.newBuilder()
            .addScopeSpans(ScopeSpans.newBuilder().addSpans(span)))
        .build().toByteArray();
  }

  @Test
  void countsSpansSentWithContentLengthOverOneKeptAliveConnection() throws Exception {
    try (DiscardSink sink = new DiscardSink()) {
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      for (int i = 0; i < 3; i++) {
        HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(URI.create(sink.endpoint() + "/v1/traces"))
            .header("Content-Type", "application/x-protobuf")
            .POST(HttpRequest.BodyPublishers.ofByteArray(fiveSpans())).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEmpty();
      }
      client.send(HttpRequest.newBuilder(URI.create(sink.endpoint() + "/v1/metrics"))
          .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {1, 2, 3})).build(), HttpResponse.BodyHandlers.discarding());

      assertThat(sink.spans.get()).isEqualTo(15);
      assertThat(sink.traceRequests.get()).isEqualTo(3);
      assertThat(sink.metricRequests.get()).isEqualTo(1);
      assertThat(sink.bytes.get()).isEqualTo(3L * fiveSpans().length + 3);
    }
  }

  @Test
  void countsSpansOfChunkedAndGzippedBodies() throws Exception {
    try (DiscardSink sink = new DiscardSink()) {
      ByteArrayOutputStream zipped = new ByteArrayOutputStream();
      try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
        gzip.write(fiveSpans());
      }

      assertThat(post(sink, fiveSpans(), false)).isEqualTo(200);
      assertThat(post(sink, zipped.toByteArray(), true)).isEqualTo(200);

      assertThat(sink.spans.get()).isEqualTo(10);
    }
  }

  @Test
  void answersAMalformedTraceRequestWith400() throws Exception {
    try (DiscardSink sink = new DiscardSink()) {
      assertThat(post(sink, new byte[] {0x0a, 0x7f, 1}, false)).isEqualTo(400); // a length past the end

      assertThat(sink.spans.get()).isZero();
    }
  }

  /** POSTs {@code body} to /v1/traces in chunks of 7 bytes; returns the status. */
  private static int post(DiscardSink sink, byte[] body, boolean gzip) throws Exception {
    HttpURLConnection connection = (HttpURLConnection) new URL(sink.endpoint() + "/v1/traces").openConnection();
    connection.setDoOutput(true);
    connection.setRequestMethod("POST");
    connection.setChunkedStreamingMode(7);
    connection.setRequestProperty("Content-Type", "application/x-protobuf");
    if (gzip) {
      connection.setRequestProperty("Content-Encoding", "gzip");
    }
    try (OutputStream out = connection.getOutputStream()) {
      out.write(body);
    }
    int status = connection.getResponseCode();
    connection.disconnect();
    return status;
  }
}
