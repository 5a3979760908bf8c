package io.memtrace.bench.overhead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
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

  /**
   * Five spans under three resources: three of {@code io.memtrace.lettuce}, one of a scope with no
   * name, and one of {@code io.memtrace.jedis} whose scope is written after its span (protobuf
   * allows any field order; a serializer of this library writes the scope first).
   */
  private static byte[] fiveSpans() throws IOException {
    Span span = Span.newBuilder().setName("GET").setTraceId(ByteString.copyFrom(new byte[16]))
        .setSpanId(ByteString.copyFrom(new byte[8])).build();
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder()
            .addScopeSpans(ScopeSpans.newBuilder().addSpans(span).addSpans(span).addSpans(span)
                .setScope(InstrumentationScope.newBuilder().setName("io.memtrace.lettuce").setVersion("0.1"))))
        .addResourceSpans(ResourceSpans.newBuilder()
            .addScopeSpans(ScopeSpans.newBuilder().addSpans(span)))
        .build().writeTo(request);
    ByteString scopeAfterSpan = field(2, span.toByteString()).concat(field(1,
        InstrumentationScope.newBuilder().setName("io.memtrace.jedis").build().toByteString()));
    field(1, field(2, scopeAfterSpan)).writeTo(request); // one more resource_spans: repeated fields append
    return request.toByteArray();
  }

  /** A length-delimited protobuf field. */
  private static ByteString field(int number, ByteString value) throws IOException {
    ByteString.Output out = ByteString.newOutput();
    CodedOutputStream coded = CodedOutputStream.newInstance(out);
    coded.writeBytes(number, value);
    coded.flush();
    return out.toByteString();
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
      assertThat(sink.spansByScope()).containsExactly(entry("", 3L), entry("io.memtrace.jedis", 3L),
          entry("io.memtrace.lettuce", 9L));
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
      assertThat(sink.spansByScope()).containsEntry("io.memtrace.lettuce", 6L);
    }
  }

  @Test
  void answersAMalformedTraceRequestWith400() throws Exception {
    try (DiscardSink sink = new DiscardSink()) {
      assertThat(post(sink, new byte[] {0x0a, 0x7f, 1}, false)).isEqualTo(400); // a length past the end

      assertThat(sink.spans.get()).isZero();
      assertThat(sink.spansByScope()).isEmpty();
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
