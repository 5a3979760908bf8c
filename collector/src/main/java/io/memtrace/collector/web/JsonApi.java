package io.memtrace.collector.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.memtrace.collector.CollectorException;
import io.memtrace.collector.HttpAnswer;
import io.memtrace.collector.reader.StoreReader;
import io.memtrace.collector.reader.StoreUnavailableException;
import java.io.IOException;
import java.util.Map;

/**
 * An endpoint of the API that answers a question of the store in JSON: its body with 200, or {@code {"error": ...}}
 * with the status that says what went wrong. One place maps the errors, so that every endpoint answers them alike:
 * a {@link Refusal} with its own status, a store that is not available with 503, a question the store or the endpoint
 * refuses ({@link CollectorException}, {@link IllegalArgumentException}) with 400.
 */
public abstract class JsonApi implements HttpHandler {

  /** The server's store, opened once per request. */
  protected final StoreReader.Factory readers;
  private final ObjectMapper json;

  /** @param json writes the answers and their errors */
  protected JsonApi(StoreReader.Factory readers, ObjectMapper json) {
    this.readers = readers;
    this.json = json;
  }

  /** The body of the answer to the request, for a 200. */
  protected abstract byte[] answer(HttpExchange exchange) throws IOException;

  /** The error message of a 503. */
  protected String unavailable(StoreUnavailableException e) {
    return e.getMessage();
  }

  /** The error message of a 400 for a parameter the endpoint could not read. */
  protected String unreadable(IllegalArgumentException e) {
    return e.getMessage();
  }

  /** Sends the answer or the error; the content type is JSON. */
  protected void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    HttpAnswer.send(exchange, status, HttpAnswer.JSON, body);
  }

  @Override
  public final void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      int status = 200;
      byte[] body;
      try {
        body = answer(exchange);
      } catch (Refusal e) {
        status = e.status;
        body = error(e.getMessage());
      } catch (StoreUnavailableException e) {
        status = 503;
        body = error(unavailable(e));
      } catch (CollectorException e) {
        status = 400;
        body = error(e.getMessage());
      } catch (IllegalArgumentException e) {
        status = 400;
        body = error(unreadable(e));
      }
      send(exchange, status, body);
    }
  }

  private byte[] error(String message) throws IOException {
    return json.writeValueAsBytes(Map.of("error", String.valueOf(message)));
  }

  /** A request the endpoint answers with an error of its own status (404, 405, 500), before or instead of a body. */
  public static final class Refusal extends RuntimeException {

    private final int status;

    public Refusal(int status, String message) {
      super(message);
      this.status = status;
    }
  }
}
