package io.memtrace.collector.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.memtrace.collector.CollectorException;
import io.memtrace.collector.store.SpanStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

/**
 * {@code POST /api/query}: read-only SQL on the running server's store, which other processes
 * cannot open while the server holds it. Each query gets its own connection.
 */
public final class QueryApiHandler implements HttpHandler {

  private static final int MAX_SQL_BYTES = 1 << 20;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SpanStore store;

  public QueryApiHandler(SpanStore store) {
    this.store = store;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"POST".equals(exchange.getRequestMethod())) {
        error(exchange, 405, "use POST with the SQL as the body");
        return;
      }
      String sql;
      try (InputStream in = exchange.getRequestBody()) {
        byte[] body = in.readNBytes(MAX_SQL_BYTES + 1);
        if (body.length > MAX_SQL_BYTES) {
          error(exchange, 413, "the query is longer than " + MAX_SQL_BYTES + " bytes");
          return;
        }
        sql = new String(body, StandardCharsets.UTF_8);
      }
      ResultTable result;
      try (Connection connection = store.newConnection()) {
        result = QueryRunner.run(connection, sql);
      } catch (CollectorException e) {
        error(exchange, 400, e.getMessage());
        return;
      } catch (SQLException e) {
        error(exchange, 503, "the store is not available: " + e.getMessage());
        return;
      }
      send(exchange, 200, ResultJson.write(result));
    }
  }

  private static void error(HttpExchange exchange, int status, String message) throws IOException {
    send(exchange, status, JSON.writeValueAsBytes(Map.of("error", message)));
  }

  private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
