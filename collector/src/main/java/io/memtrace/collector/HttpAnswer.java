package io.memtrace.collector;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;

/** An HTTP answer whose body is known whole, as every handler of the collector's own endpoints writes it. */
public final class HttpAnswer {

  /** The type of the API's answers. */
  public static final String JSON = "application/json";

  private HttpAnswer() {
  }

  /** Sends {@code status} with {@code body} of {@code contentType}, its length told up front. */
  public static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    send(exchange, status, body);
  }

  /** Sends {@code status} with {@code body}, whose headers (its type among them) are set already. */
  public static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
