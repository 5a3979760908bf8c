package io.memtrace.collector.keyspace;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import io.memtrace.collector.CollectorException;
import io.memtrace.collector.UrlQuery;
import io.memtrace.collector.reader.KeyspaceState;
import io.memtrace.collector.reader.StoreReader;
import io.memtrace.collector.web.JsonApi;
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
public final class KeyspaceApiHandler extends JsonApi {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** @param readers the server's own store */
  public KeyspaceApiHandler(StoreReader.Factory readers) {
    super(readers, JSON);
  }

  @Override
  protected byte[] answer(HttpExchange exchange) throws IOException {
    if (!"GET".equals(exchange.getRequestMethod())) {
      throw new Refusal(405, "GET only");
    }
    Instant since = since(UrlQuery.parameters(exchange.getRequestURI().getRawQuery()).get("since"));
    Map<String, Object> body = new LinkedHashMap<>();
    try (StoreReader reader = readers.open()) {
      KeyspaceState state = reader.keyspace(since);
      body.put("samples", state.samples());
      body.put("servers", state.servers());
    } catch (CollectorException e) {
      throw new Refusal(500, "cannot read the keyspace tables: " + e.getMessage());
    }
    return JSON.writeValueAsBytes(body);
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
}
