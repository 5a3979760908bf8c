package io.memtrace.collector.query;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The answer to one {@code /api/query} request, and the way the {@link QueryWatchdog} finds out
 * that its client left: the HTTP server tells a handler nothing about a closed connection until
 * it writes to it. So once a query has run for {@link #FIRST_BEAT_MILLIS}, the 200 header goes
 * out with a chunked body and a space is written every {@link #BEAT_MILLIS} (JSON allows leading
 * white space); a write that fails means the client is gone and the query is stopped. An error
 * that comes after the header is sent is the JSON body {@code {"error": ...}} of that 200.
 */
final class QueryResponse implements RunningQuery.Client {

  static final long FIRST_BEAT_MILLIS = 1000;
  static final long BEAT_MILLIS = 1000;

  private final HttpExchange exchange;
  private final long started = System.nanoTime();
  private long lastBeat;
  private OutputStream body;
  private boolean gone;
  private boolean finished;

  QueryResponse(HttpExchange exchange) {
    this.exchange = exchange;
  }

  @Override
  public synchronized boolean stillThere() {
    if (gone || finished) {
      return !gone;
    }
    long now = System.nanoTime();
    if (now - started < FIRST_BEAT_MILLIS * 1_000_000 || body != null && now - lastBeat < BEAT_MILLIS * 1_000_000) {
      return true;
    }
    try {
      if (body == null) {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, 0);
        body = exchange.getResponseBody();
      }
      body.write(' ');
      body.flush();
      lastBeat = now;
      return true;
    } catch (IOException e) {
      gone = true;
      return false;
    }
  }

  /** Sends the answer: with this status if nothing was sent yet, else as the rest of the 200 body. */
  synchronized void finish(int status, byte[] json) throws IOException {
    finished = true;
    if (gone) {
      return;
    }
    if (body == null) {
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, json.length);
      body = exchange.getResponseBody();
    }
    try (OutputStream out = body) {
      out.write(json);
    }
  }
}
