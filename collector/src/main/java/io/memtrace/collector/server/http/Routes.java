package io.memtrace.collector.server.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.memtrace.collector.Failures;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/** Where the {@link HttpFront} sends a complete request: by the longest matching path prefix, to a handler on a lane. */
final class Routes {

  /** A path prefix and where its requests go. */
  record Route(String prefix, HttpHandler handler, Executor lane, long maxBody, FrontContext context) {
  }

  private final List<Route> routes = new ArrayList<>();

  synchronized void add(String prefix, HttpHandler handler, Executor lane, long maxBody) {
    routes.add(new Route(prefix, handler, lane, maxBody, new FrontContext(prefix, handler)));
    routes.sort(Comparator.comparingInt((Route r) -> r.prefix().length()).reversed());
  }

  synchronized Route find(String path) {
    for (Route r : routes) {
      if (path.startsWith(r.prefix())) {
        return r;
      }
    }
    return null;
  }

  /**
   * Runs the exchange on its route's lane; false when the lane is full. Whatever the handler
   * throws fails that request only ({@link Failures#inRequest}); the exchange is always closed,
   * with a 500 if nothing was answered.
   */
  static boolean submit(Route route, HttpExchange exchange) {
    try {
      route.lane().execute(() -> {
        try {
          route.handler().handle(exchange);
        } catch (Throwable t) {
          Failures.inRequest(exchange, t);
        } finally {
          try {
            exchange.close();
          } catch (Throwable t) {
            // out of memory even to answer: the connection was closed without one; the process carries on
          }
        }
      });
      return true;
    } catch (RejectedExecutionException full) {
      return false;
    }
  }
}
