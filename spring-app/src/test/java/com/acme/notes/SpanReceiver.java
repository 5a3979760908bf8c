package com.acme.notes;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

/**
 * Where both agents send their spans in the tests: OTLP over HTTP (protobuf), each span kept with
 * the name of the instrumentation scope that made it, which tells memtrace's ({@code io.memtrace.*})
 * from the OpenTelemetry agent's. Metrics and logs are accepted and dropped.
 */
final class SpanReceiver implements AutoCloseable {

  /** A received span and the scope it came in. */
  static final class Received {
    final String scope;
    final Span span;

    Received(String scope, Span span) {
      this.scope = scope;
      this.span = span;
    }

    String name() {
      return span.getName();
    }

    /** An attribute's value as text ({@code "5"} for the integer 5), or {@code null} when absent. */
    String attribute(String key) {
      return span.getAttributesList().stream().filter(kv -> kv.getKey().equals(key))
          .map(kv -> text(kv.getValue())).findFirst().orElse(null);
    }

    private static String text(AnyValue value) {
      switch (value.getValueCase()) {
        case INT_VALUE:
          return Long.toString(value.getIntValue());
        case BOOL_VALUE:
          return Boolean.toString(value.getBoolValue());
        case DOUBLE_VALUE:
          return Double.toString(value.getDoubleValue());
        default:
          return value.getStringValue();
      }
    }

    @Override
    public String toString() {
      return scope + " " + span.getName() + " " + attribute("db.query.text");
    }
  }

  private final List<Received> spans = new CopyOnWriteArrayList<>();
  private final HttpServer server;

  SpanReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v1/traces", this::traces);
    server.createContext("/", exchange -> answer(exchange, new byte[0]));
    server.start();
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The spans received so far from scopes whose name starts with {@code scopePrefix}. */
  List<Received> from(String scopePrefix) {
    return spans.stream().filter(s -> s.scope.startsWith(scopePrefix)).collect(Collectors.toList());
  }

  /** Every span received so far. */
  List<Received> spans() {
    return List.copyOf(spans);
  }

  void clear() {
    spans.clear();
  }

  private void traces(HttpExchange exchange) throws IOException {
    try (InputStream raw = exchange.getRequestBody()) {
      InputStream body = "gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))
          ? new GZIPInputStream(raw) : raw;
      for (ResourceSpans rs : ExportTraceServiceRequest.parseFrom(body).getResourceSpansList()) {
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          ss.getSpansList().forEach(span -> spans.add(new Received(ss.getScope().getName(), span)));
        }
      }
    }
    answer(exchange, ExportTraceServiceResponse.getDefaultInstance().toByteArray());
  }

  private static void answer(HttpExchange exchange, byte[] body) throws IOException {
    exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
    exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
