package io.memtrace.agent.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

/**
 * A minimal OTLP/HTTP endpoint for tests until the collector sidecar exists: it decodes real
 * protobuf {@code ExportTraceServiceRequest}s sent over a socket and keeps their spans.
 */
final class OtlpReceiver implements AutoCloseable {

  final List<Span> spans = new CopyOnWriteArrayList<>();
  /** The instrumentation scope of each span in {@link #spans}, at the same index. */
  final List<String> spanScopes = new CopyOnWriteArrayList<>();
  final List<String> serviceNames = new CopyOnWriteArrayList<>();
  final List<String> contentTypes = new CopyOnWriteArrayList<>();
  final java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();
  /** Names of the metrics received on {@code /v1/metrics}, one entry per metric per request. */
  final List<String> metricNames = new CopyOnWriteArrayList<>();
  final java.util.concurrent.atomic.AtomicInteger metricRequests = new java.util.concurrent.atomic.AtomicInteger();
  private final HttpServer server;
  /** When set, metric requests are answered 400, a failure the exporter does not retry. */
  private volatile boolean failMetrics;
  /** How long the first trace request is held before it is answered (one thread answers all). */
  private volatile long firstRequestStallMillis;

  OtlpReceiver() throws IOException {
    this(0);
  }

  /** A receiver on {@code port} of 127.0.0.1 (0 for a free one). */
  OtlpReceiver(int port) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    server.createContext("/v1/traces", this::traces);
    server.createContext("/v1/metrics", this::metrics);
    server.start();
  }

  /** Answers every metric request with 400 Bad Request. */
  OtlpReceiver failMetrics() {
    failMetrics = true;
    return this;
  }

  /** Holds the first trace request for {@code millis}; the ones behind it wait their turn. */
  OtlpReceiver stallFirstRequest(long millis) {
    firstRequestStallMillis = millis;
    return this;
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private void traces(HttpExchange exchange) throws IOException {
    try (InputStream raw = exchange.getRequestBody()) {
      if (requests.getAndIncrement() == 0 && firstRequestStallMillis > 0) {
        Thread.sleep(firstRequestStallMillis);
      }
      contentTypes.add(String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")));
      InputStream body = "gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))
          ? new GZIPInputStream(raw) : raw;
      ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(body);
      for (ResourceSpans rs : request.getResourceSpansList()) {
        for (KeyValue kv : rs.getResource().getAttributesList()) {
          if (kv.getKey().equals("service.name")) {
            serviceNames.add(kv.getValue().getStringValue());
          }
        }
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          for (Span span : ss.getSpansList()) { // one thread answers: the two lists stay aligned
            spanScopes.add(ss.getScope().getName());
            spans.add(span);
          }
        }
      }
      byte[] response = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
      exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
      exchange.sendResponseHeaders(200, response.length);
      exchange.getResponseBody().write(response);
    } catch (IOException | RuntimeException e) {
      exchange.sendResponseHeaders(400, -1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      exchange.sendResponseHeaders(503, -1);
    } finally {
      exchange.close();
    }
  }

  private void metrics(HttpExchange exchange) throws IOException {
    try (InputStream raw = exchange.getRequestBody()) {
      metricRequests.incrementAndGet();
      InputStream body = "gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))
          ? new GZIPInputStream(raw) : raw;
      ExportMetricsServiceRequest request = ExportMetricsServiceRequest.parseFrom(body);
      if (failMetrics) {
        exchange.sendResponseHeaders(400, -1);
        return;
      }
      for (ResourceMetrics rm : request.getResourceMetricsList()) {
        for (ScopeMetrics sm : rm.getScopeMetricsList()) {
          sm.getMetricsList().forEach(m -> metricNames.add(m.getName()));
        }
      }
      byte[] response = ExportMetricsServiceResponse.getDefaultInstance().toByteArray();
      exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
      exchange.sendResponseHeaders(200, response.length);
      exchange.getResponseBody().write(response);
    } catch (IOException | RuntimeException e) {
      exchange.sendResponseHeaders(400, -1);
    } finally {
      exchange.close();
    }
  }

  /** The spans whose instrumentation scope name satisfies {@code scope}. */
  List<Span> spansOfScope(java.util.function.Predicate<String> scope) {
    List<Span> out = new java.util.ArrayList<>();
    for (int i = 0; i < spans.size(); i++) {
      if (scope.test(spanScopes.get(i))) {
        out.add(spans.get(i));
      }
    }
    return out;
  }

  static String attribute(Span span, String key) {
    for (KeyValue kv : span.getAttributesList()) {
      if (kv.getKey().equals(key)) {
        return kv.getValue().hasIntValue() ? String.valueOf(kv.getValue().getIntValue())
            : kv.getValue().hasBoolValue() ? String.valueOf(kv.getValue().getBoolValue())
            : kv.getValue().getStringValue();
      }
    }
    return null;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
