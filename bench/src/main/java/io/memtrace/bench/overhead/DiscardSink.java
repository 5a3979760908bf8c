package io.memtrace.bench.overhead;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;

/**
 * The OTLP/HTTP endpoint every agent variant exports to: it reads each request whole, answers 200
 * with an empty (valid) protobuf response, and keeps nothing. For {@code /v1/traces} in protobuf it
 * counts the spans by walking the wire format (no objects built), so the harness can check that a
 * variant really traced every command instead of silently doing nothing.
 */
final class DiscardSink implements AutoCloseable {

  final AtomicLong traceRequests = new AtomicLong();
  final AtomicLong spans = new AtomicLong();
  final AtomicLong metricRequests = new AtomicLong();
  final AtomicLong otherRequests = new AtomicLong();
  final AtomicLong bytes = new AtomicLong();
  private final HttpServer server;
  private final ExecutorService executor;

  DiscardSink() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    executor = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "discard-sink");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body;
      try (InputStream raw = exchange.getRequestBody()) {
        body = raw.readAllBytes();
      }
      bytes.addAndGet(body.length);
      String path = exchange.getRequestURI().getPath();
      if (path.endsWith("/v1/traces")) {
        traceRequests.incrementAndGet();
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        if (type == null || type.contains("protobuf")) {
          if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
            try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(body))) {
              body = in.readAllBytes();
            }
          }
          spans.addAndGet(countSpans(body));
        }
      } else if (path.endsWith("/v1/metrics")) {
        metricRequests.incrementAndGet();
      } else {
        otherRequests.incrementAndGet();
      }
      exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
      exchange.sendResponseHeaders(200, -1);
    } catch (RuntimeException e) {
      exchange.sendResponseHeaders(400, -1);
    }
  }

  /** Spans in an ExportTraceServiceRequest: resource_spans(1) → scope_spans(2) → spans(2). */
  static long countSpans(byte[] body) {
    long count = 0;
    Wire request = new Wire(body, 0, body.length);
    while (request.next()) {
      if (request.field == 1 && request.isLength()) {
        Wire resource = request.nested();
        while (resource.next()) {
          if (resource.field == 2 && resource.isLength()) {
            Wire scope = resource.nested();
            while (scope.next()) {
              if (scope.field == 2 && scope.isLength()) {
                count++;
              }
              scope.skip();
            }
          }
          resource.skip();
        }
      }
      request.skip();
    }
    return count;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  /** A cursor over one protobuf message's fields. */
  private static final class Wire {
    private final byte[] buf;
    private int pos;
    private final int end;
    int field;
    private int wireType;
    private int valueStart;
    private int valueLength;

    Wire(byte[] buf, int start, int end) {
      this.buf = buf;
      this.pos = start;
      this.end = end;
    }

    boolean next() {
      if (pos >= end) {
        return false;
      }
      long tag = varint();
      field = (int) (tag >>> 3);
      wireType = (int) (tag & 7);
      switch (wireType) {
        case 0:
          varint();
          valueLength = 0;
          break;
        case 1:
          pos += 8;
          break;
        case 2:
          valueLength = (int) varint();
          valueStart = pos;
          break;
        case 5:
          pos += 4;
          break;
        default:
          throw new IllegalArgumentException("unsupported wire type " + wireType);
      }
      if (pos > end) {
        throw new IllegalArgumentException("truncated message");
      }
      return true;
    }

    boolean isLength() {
      return wireType == 2;
    }

    Wire nested() {
      return new Wire(buf, valueStart, valueStart + valueLength);
    }

    void skip() {
      if (wireType == 2) {
        pos = valueStart + valueLength;
        if (pos > end) {
          throw new IllegalArgumentException("truncated message");
        }
      }
    }

    private long varint() {
      long value = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (pos >= end) {
          throw new IllegalArgumentException("truncated varint");
        }
        byte b = buf[pos++];
        value |= (long) (b & 0x7f) << shift;
        if (b >= 0) {
          return value;
        }
      }
      throw new IllegalArgumentException("varint too long");
    }
  }
}
