package io.memtrace.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

/**
 * An OTLP/HTTP endpoint on loopback for tests (the JDK's HTTP server, a real socket): it keeps every request
 * as it came, path, headers and body, and answers 200 unless {@link #replying} scripts otherwise. One thread
 * answers them all, in order, so a reply that waits holds the requests behind it. {@link #spans()},
 * {@link #serviceNames()} and {@link #metricNames()} decode the protobuf ones (with opentelemetry-proto on
 * the class path); JSON ones are there as text ({@link Request#text()}).
 */
public final class OtlpSink implements AutoCloseable {

  /** How the sink answers a request; it may wait (on a latch, a sleep) before it does. */
  public interface Replies {
    Reply to(Request request) throws Exception;
  }

  private final HttpServer server;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private volatile Replies replies = request -> Reply.ok();

  /** A sink on a free port. */
  public OtlpSink() throws IOException {
    this(0);
  }

  /** A sink on {@code port} of 127.0.0.1 (0 for a free one). */
  public OtlpSink(int port) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Answers each request as {@code replies} says. */
  public OtlpSink replying(Replies replies) {
    this.replies = replies;
    return this;
  }

  /** {@code http://127.0.0.1:PORT}, the base an OTLP exporter appends {@code /v1/traces} to. */
  public String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** Every request so far, in the order they came. */
  public List<Request> requests() {
    return Collections.unmodifiableList(requests);
  }

  /** The requests to {@code path} ({@code /v1/traces}, {@code /v1/metrics}, ...). */
  public List<Request> requests(String path) {
    return requests.stream().filter(r -> r.path.equals(path)).collect(Collectors.toList());
  }

  /** The spans of every protobuf trace request, in order. */
  public List<Span> spans() {
    return spansOfScope(scope -> true);
  }

  /** The spans whose instrumentation scope name satisfies {@code scope}. */
  public List<Span> spansOfScope(Predicate<String> scope) {
    return OtlpProtobuf.spans(protobuf("/v1/traces"), scope);
  }

  /** The {@code service.name} of each resource in the trace requests. */
  public List<String> serviceNames() {
    return OtlpProtobuf.serviceNames(protobuf("/v1/traces"));
  }

  /** The name of each metric in the metric requests, once per request that carried it. */
  public List<String> metricNames() {
    return OtlpProtobuf.metricNames(protobuf("/v1/metrics"));
  }

  /** Forgets what was received. */
  public void clear() {
    requests.clear();
  }

  private List<byte[]> protobuf(String path) {
    return requests(path).stream().filter(r -> r.contentType.startsWith("application/x-protobuf"))
        .map(Request::decodedBody).collect(Collectors.toList());
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, values.get(0)));
      Request request = new Request(requests.size() + 1, exchange.getRequestURI().getPath(), headers,
          exchange.getRequestBody().readAllBytes());
      requests.add(request);
      Reply reply;
      try {
        reply = replies.to(request);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        reply = Reply.status(503);
      } catch (Exception e) {
        reply = Reply.status(500).body(e.toString());
      }
      request.status = reply.status;
      reply.headers.forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
      if (!reply.headers.containsKey("Content-Type")) {
        exchange.getResponseHeaders().add("Content-Type", request.contentType.isEmpty() ? "text/plain" : request.contentType);
      }
      exchange.sendResponseHeaders(reply.status, reply.body.length == 0 ? -1 : reply.body.length);
      if (reply.body.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(reply.body);
        }
      }
    } finally {
      exchange.close();
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }

  /** One request as the sink received it. */
  public static final class Request {
    /** Its place among all the sink's requests, from 1. */
    public final int number;
    public final String path;
    /** Its Content-Type, or "" without one. */
    public final String contentType;
    /** The body as sent (still gzip-compressed when it was). */
    public final byte[] body;
    private final Map<String, String> headers;
    /** The status it was answered with; 0 while its reply is being made. */
    public volatile int status;

    Request(int number, String path, Map<String, String> headers, byte[] body) {
      this.number = number;
      this.path = path;
      this.headers = headers;
      this.contentType = headers.getOrDefault("Content-Type", "");
      this.body = body;
    }

    /** A header's (first) value, or null. */
    public String header(String name) {
      return headers.get(name);
    }

    /** The body, gunzipped when its Content-Encoding says gzip. */
    public byte[] decodedBody() {
      if (!"gzip".equals(header("Content-Encoding"))) {
        return body;
      }
      try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
        return in.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException("a gzip body that does not gunzip", e);
      }
    }

    /** The decoded body as UTF-8 text (an OTLP/JSON request, say). */
    public String text() {
      return new String(decodedBody(), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      return number + " " + path + " " + contentType + " " + body.length + " bytes, answered " + status;
    }
  }

  /** What the sink answers: a status, headers, a body. */
  public static final class Reply {
    final int status;
    final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    byte[] body = new byte[0];

    private Reply(int status) {
      this.status = status;
    }

    /** 200 with an empty body: a full success for OTLP/HTTP in either encoding. */
    public static Reply ok() {
      return new Reply(200);
    }

    public static Reply status(int status) {
      return new Reply(status);
    }

    public Reply header(String name, String value) {
      headers.put(name, value);
      return this;
    }

    public Reply body(String text) {
      body = text.getBytes(StandardCharsets.UTF_8);
      return this;
    }
  }
}
