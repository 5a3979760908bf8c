package io.memtrace.collector.web;

import io.memtrace.collector.HttpAnswer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.memtrace.collector.CollectorException;
import io.memtrace.collector.query.ResultJson;
import io.memtrace.collector.reader.StoreReader;
import io.memtrace.collector.reader.StoreUnavailableException;
import io.memtrace.collector.reader.ViewAnswer;
import io.memtrace.collector.reader.ViewQuestion;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /api/view/NAME?PARAMS}: one of the web view's questions ({@link ViewQuestion.Kind}), answered by the
 * store's own reader in its own SQL, as {@code /api/query}'s JSON ({@code columns}, {@code rows}, ...) plus
 * {@code "sql"}, the statements the store ran. So the pages work on any store: they ask questions, never SQL.
 */
public final class ViewApi implements HttpHandler {

  static final String PREFIX = "/api/view/";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final StoreReader.Factory readers;

  public ViewApi(StoreReader.Factory readers) {
    this.readers = readers;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      int status = 200;
      byte[] body;
      try {
        String path = exchange.getRequestURI().getPath();
        if (!exchange.getRequestMethod().equals("GET")) {
          throw new CollectorException("a view question is asked with GET");
        }
        ViewQuestion question = new ViewQuestion(ViewQuestion.Kind.of(path.substring(PREFIX.length())),
            parameters(exchange.getRequestURI().getRawQuery()));
        try (StoreReader reader = readers.open()) {
          ViewAnswer answer = reader.view(question);
          ObjectNode root = (ObjectNode) JSON.readTree(ResultJson.write(answer.table(), reader.pendingSpans()));
          root.putPOJO("sql", answer.statements());
          body = JSON.writeValueAsBytes(root);
        }
      } catch (StoreUnavailableException e) {
        status = 503;
        body = JSON.writeValueAsBytes(Map.of("error", "the store is not available: " + e.getMessage()));
      } catch (CollectorException e) {
        status = 400;
        body = JSON.writeValueAsBytes(Map.of("error", String.valueOf(e.getMessage())));
      }
      HttpAnswer.send(exchange, status, HttpAnswer.JSON, body);
    }
  }

  /** Every parameter of a raw query string, decoded; the first of a repeated name. */
  static Map<String, String> parameters(String rawQuery) {
    Map<String, String> params = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return params;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      try {
        params.putIfAbsent(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value,
            StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw new CollectorException("the parameter " + name + " is not URL-encoded");
      }
    }
    return params;
  }
}
