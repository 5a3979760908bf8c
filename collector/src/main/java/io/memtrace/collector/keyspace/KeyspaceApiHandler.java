package io.memtrace.collector.keyspace;

import io.memtrace.collector.HttpAnswer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.memtrace.collector.CollectorException;
import io.memtrace.collector.reader.KeyspaceState;
import io.memtrace.collector.reader.StoreReader;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /api/keyspace}: {@code {"samples": [...], "servers": [...]}}, the latest
 * {@code keyspace} row per Redis, database and namespace and the latest {@code keyspace_server}
 * row per Redis; with {@code ?since=10m} (or an ISO time) every row since then, oldest first.
 * Behind the API token, as every {@code /api/*}.
 */
public final class KeyspaceApiHandler implements HttpHandler {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final StoreReader.Factory readers;

  /** @param readers the server's own store */
  public KeyspaceApiHandler(StoreReader.Factory readers) {
    this.readers = readers;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod())) {
        send(exchange, 405, Map.of("error", "GET only"));
        return;
      }
      Instant since;
      try {
        since = since(query(exchange).get("since"));
      } catch (IllegalArgumentException e) {
        send(exchange, 400, Map.of("error", e.getMessage()));
        return;
      }
      Map<String, Object> body = new LinkedHashMap<>();
      try (StoreReader reader = readers.open()) {
        KeyspaceState state = reader.keyspace(since);
        body.put("samples", state.samples());
        body.put("servers", state.servers());
      } catch (CollectorException e) {
        send(exchange, 500, Map.of("error", "cannot read the keyspace tables: " + e.getMessage()));
        return;
      }
      send(exchange, 200, body);
    }
  }

  /** {@code 10m}, {@code 2h}, {@code 30s}, {@code 1d} ago, or an ISO instant; null for the latest rows. */
  static Instant since(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)(s|m|h|d)").matcher(text.trim());
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      long seconds = switch (m.group(2)) {
        case "s" -> n;
        case "m" -> n * 60;
        case "h" -> n * 3600;
        default -> n * 86_400;
      };
      return Instant.now().minusSeconds(seconds);
    }
    try {
      return Instant.parse(text.trim());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("since must be a duration like 10m or an ISO time like "
          + "2026-01-02T03:04:05Z");
    }
  }

  private static Map<String, String> query(HttpExchange exchange) {
    Map<String, String> params = new LinkedHashMap<>();
    String raw = exchange.getRequestURI().getRawQuery();
    if (raw != null) {
      for (String part : raw.split("&")) {
        int eq = part.indexOf('=');
        if (eq > 0) {
          params.put(part.substring(0, eq), java.net.URLDecoder.decode(part.substring(eq + 1),
              java.nio.charset.StandardCharsets.UTF_8));
        }
      }
    }
    return params;
  }

  private static void send(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    HttpAnswer.send(exchange, status, HttpAnswer.JSON, bytes);
  }
}
