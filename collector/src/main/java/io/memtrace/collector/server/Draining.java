package io.memtrace.collector.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Lets requests in flight finish at shutdown while new ones get 503; the server stops once they
 * are done or the grace period is over, whichever comes first.
 */
final class Draining {

  private final AtomicBoolean draining = new AtomicBoolean();
  private final AtomicInteger inFlight = new AtomicInteger();

  HttpHandler wrap(HttpHandler handler) {
    return exchange -> {
      inFlight.incrementAndGet();
      try {
        if (draining.get()) {
          refuse(exchange);
        } else {
          handler.handle(exchange);
        }
      } finally {
        inFlight.decrementAndGet();
      }
    };
  }

  /** Refuses new requests and waits (at most {@code millis}) for the ones in flight. */
  void drain(long millis) {
    draining.set(true);
    long deadline = System.currentTimeMillis() + millis;
    while (inFlight.get() > 0 && System.currentTimeMillis() < deadline) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static void refuse(HttpExchange exchange) throws IOException {
    try (exchange) {
      exchange.getResponseHeaders().add("Retry-After", "1");
      exchange.sendResponseHeaders(503, -1);
    }
  }
}
