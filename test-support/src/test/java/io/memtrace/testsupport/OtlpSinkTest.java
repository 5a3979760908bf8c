package io.memtrace.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class OtlpSinkTest {

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void shouldDecodeProtobufTraceRequestsPlainAndGzipped() throws Exception {
    try (OtlpSink sink = new OtlpSink()) {
      assertThat(post(sink, "/v1/traces", "application/x-protobuf", null,
          traces("checkout", "io.memtrace.jedis", span("GET", "db.query.text", "GET user:?"))).statusCode()).isEqualTo(200);
      assertThat(post(sink, "/v1/traces", "application/x-protobuf", "gzip",
          gzip(traces("billing", "io.opentelemetry.jedis-4.0", span("SET", "memory.found", true)))).statusCode())
          .isEqualTo(200);

      assertThat(sink.spans()).extracting(Span::getName).containsExactly("GET", "SET");
      assertThat(sink.spansOfScope(s -> s.startsWith("io.memtrace"))).extracting(Span::getName).containsExactly("GET");
      assertThat(sink.serviceNames()).containsExactly("checkout", "billing");
      assertThat(OtlpProtobuf.attribute(sink.spans().get(0), "db.query.text")).isEqualTo("GET user:?");
      assertThat(OtlpProtobuf.attribute(sink.spans().get(1), "memory.found")).isEqualTo("true");
      assertThat(OtlpProtobuf.attribute(sink.spans().get(1), "absent")).isNull();
      assertThat(OtlpProtobuf.hex(sink.spans().get(0).getTraceId())).isEqualTo("0102030405060708090a0b0c0d0e0f10");
      assertThat(sink.requests()).extracting(r -> r.header("content-encoding")).containsExactly(null, "gzip");
    }
  }

  @Test
  void shouldKeepJsonAndMetricRequestsAndForgetOnClear() throws Exception {
    try (OtlpSink sink = new OtlpSink()) {
      post(sink, "/v1/metrics", "application/x-protobuf", null, ExportMetricsServiceRequest.newBuilder()
          .addResourceMetrics(ResourceMetrics.newBuilder().addScopeMetrics(ScopeMetrics.newBuilder()
              .addMetrics(Metric.newBuilder().setName("memory.operations"))
              .addMetrics(Metric.newBuilder().setName("memtrace.events.dropped")))).build().toByteArray());
      post(sink, "/v1/metrics", "application/json", null, "{\"resourceMetrics\":[]}".getBytes());

      assertThat(sink.metricNames()).containsExactly("memory.operations", "memtrace.events.dropped");
      assertThat(sink.requests("/v1/metrics")).hasSize(2);
      assertThat(sink.requests("/v1/metrics").get(1).text()).isEqualTo("{\"resourceMetrics\":[]}");
      assertThat(sink.requests("/v1/traces")).isEmpty();

      sink.clear();
      assertThat(sink.requests()).isEmpty();
    }
  }

  @Test
  void shouldAnswerAsScriptedAndNoteTheStatus() throws Exception {
    AtomicInteger failures = new AtomicInteger(2);
    try (OtlpSink sink = new OtlpSink().replying(r -> failures.getAndDecrement() > 0
        ? OtlpSink.Reply.status(503).header("Retry-After", "1").body("try later") : OtlpSink.Reply.ok())) {
      HttpResponse<String> first = post(sink, "/v1/traces", "application/x-protobuf", null, new byte[] {1, 2, 3});
      post(sink, "/v1/traces", "application/x-protobuf", null, new byte[] {4});
      HttpResponse<String> third = post(sink, "/v1/traces", "application/x-protobuf", null, new byte[] {5});

      assertThat(first.statusCode()).isEqualTo(503);
      assertThat(first.headers().firstValue("Retry-After")).contains("1");
      assertThat(first.body()).isEqualTo("try later");
      assertThat(third.statusCode()).isEqualTo(200);
      assertThat(sink.requests()).extracting(r -> r.status).containsExactly(503, 503, 200);
      assertThat(sink.requests()).extracting(r -> r.number).containsExactly(1, 2, 3);
      assertThat(sink.requests().get(0).body).containsExactly(1, 2, 3);
    }
  }

  private HttpResponse<String> post(OtlpSink sink, String path, String type, String encoding, byte[] body)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(sink.endpoint() + path)).header("Content-Type", type)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (encoding != null) {
      request.header("Content-Encoding", encoding);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static byte[] traces(String service, String scope, Span span) {
    return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name")
            .setValue(AnyValue.newBuilder().setStringValue(service))))
        .addScopeSpans(ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder().setName(scope))
            .addSpans(span))).build().toByteArray();
  }

  private static Span span(String name, String key, Object value) {
    AnyValue.Builder v = AnyValue.newBuilder();
    if (value instanceof Boolean) {
      v.setBoolValue((Boolean) value);
    } else {
      v.setStringValue(String.valueOf(value));
    }
    byte[] traceId = new byte[16];
    for (int i = 0; i < 16; i++) {
      traceId[i] = (byte) (i + 1);
    }
    return Span.newBuilder().setName(name).setTraceId(ByteString.copyFrom(traceId))
        .addAttributes(KeyValue.newBuilder().setKey(key).setValue(v)).build();
  }

  private static byte[] gzip(byte[] bytes) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    }
    return out.toByteArray();
  }

}
