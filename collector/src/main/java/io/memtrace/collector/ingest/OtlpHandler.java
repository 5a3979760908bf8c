package io.memtrace.collector.ingest;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.memtrace.collector.forward.Forwarder;
import io.memtrace.collector.server.http.HttpFront;
import io.memtrace.collector.store.SpanWriter;
import java.io.IOException;
import java.io.OutputStream;

/**
 * {@code POST /v1/traces} and {@code /v1/metrics}. The answer is 200 only after the rows are
 * committed; anything the request contains is decoded and checked before a single row is handed
 * to the store, so a refused request leaves the store as it was.
 */
public final class OtlpHandler implements HttpHandler {

  /** Which OTLP signal a path receives. */
  public enum Signal { TRACES, METRICS }

  private final Signal signal;
  private final OtlpIngest ingest;
  private final long limit;
  private final Forwarder forwarder;
  private final IngestStats stats;

  public OtlpHandler(Signal signal, SpanWriter writer, long limit, Forwarder forwarder,
      IngestListener listener, IngestStats stats) {
    this.signal = signal;
    this.ingest = new OtlpIngest(signal, writer, listener, stats);
    this.limit = limit;
    this.forwarder = forwarder;
    this.stats = stats;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    // not try-with-resources: the exchange must still be open in the catch blocks that answer
    try {
      answer(exchange);
    } catch (IOException clientGone) {
      // it closed the connection before its answer was out, say after its own timeout; what was
      // committed stays, and when the client sends it again the repeat is not stored twice
      return;
    } finally {
      exchange.close();
    }
    // the answer is written (or queued behind what the client has not read yet)
    if (signal == Signal.TRACES && exchange.getResponseCode() == 200
        && exchange.getAttribute(HttpFront.RECEIVED_NANOS) instanceof Long received) {
      stats.ackLatency.record(System.nanoTime() - received);
    }
  }

  private void answer(HttpExchange exchange) throws IOException {
    PayloadFormat format = PayloadFormat.JSON;
    try {
      stats.requests.incrementAndGet();
      if (!"POST".equals(exchange.getRequestMethod())) {
        exchange.getResponseHeaders().add("Allow", "POST");
        respond(exchange, 405, format, OtlpResponses.failure(format, OtlpResponses.INVALID_ARGUMENT,
            "use POST for " + exchange.getRequestURI().getPath()));
        return;
      }
      format = PayloadFormat.of(exchange.getRequestHeaders().getFirst("Content-Type"));
      String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
      String length = exchange.getRequestHeaders().getFirst("Content-Length");
      RequestBody.Body body = RequestBody.read(exchange.getRequestBody(),
          length == null ? -1 : parseLength(length), encoding, limit);
      String warning = ingest.store(format, body.content());
      if (forwarder != null) {
        if (signal == Signal.TRACES) {
          ValueForwarding.offer(forwarder, exchange.getRequestURI().getPath(), format, encoding, body.raw(),
              body.content());
        } else {
          forwarder.offer(exchange.getRequestURI().getPath(), format.contentType(), encoding, body.raw());
        }
      }
      respond(exchange, 200, format, OtlpResponses.success(format, signal, warning));
    } catch (PayloadException e) {
      stats.rejected.incrementAndGet();
      if (e.status() == PayloadException.TOO_LARGE) {
        // most clients read no answer while they are still sending; take a modest excess off the wire
        RequestBody.discard(exchange.getRequestBody(), 4 * limit);
      }
      respond(exchange, e.status(), format, OtlpResponses.failure(format, OtlpResponses.INVALID_ARGUMENT, e.getMessage()));
    } catch (OtlpIngest.StoreUnavailable e) {
      stats.storeFailures.incrementAndGet();
      exchange.getResponseHeaders().add("Retry-After", "1");
      respond(exchange, 503, format, OtlpResponses.failure(format, OtlpResponses.UNAVAILABLE, e.getMessage()));
    }
  }

  private static long parseLength(String header) throws PayloadException {
    try {
      return Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      throw PayloadException.bad("bad Content-Length '" + header + "'");
    }
  }

  private static void respond(HttpExchange exchange, int status, PayloadFormat format, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", format.contentType());
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }
}
