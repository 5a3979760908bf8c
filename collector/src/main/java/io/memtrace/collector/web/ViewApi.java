package io.memtrace.collector.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.memtrace.collector.CollectorException;
import io.memtrace.collector.UrlQuery;
import io.memtrace.collector.query.ResultJson;
import io.memtrace.collector.reader.StoreReader;
import io.memtrace.collector.reader.StoreUnavailableException;
import io.memtrace.collector.reader.ViewAnswer;
import io.memtrace.collector.reader.ViewQuestion;
import java.io.IOException;

/**
 * {@code GET /api/view/NAME?PARAMS}: one of the web view's questions ({@link ViewQuestion.Kind}), answered by the
 * store's own reader in its own SQL, as {@code /api/query}'s JSON ({@code columns}, {@code rows}, ...) plus
 * {@code "sql"}, the statements the store ran. So the pages work on any store: they ask questions, never SQL.
 */
public final class ViewApi extends JsonApi {

  static final String PREFIX = "/api/view/";
  private static final ObjectMapper JSON = new ObjectMapper();

  public ViewApi(StoreReader.Factory readers) {
    super(readers, JSON);
  }

  @Override
  protected byte[] answer(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    if (!exchange.getRequestMethod().equals("GET")) {
      throw new CollectorException("a view question is asked with GET");
    }
    ViewQuestion question = new ViewQuestion(ViewQuestion.Kind.of(path.substring(PREFIX.length())),
        UrlQuery.parameters(exchange.getRequestURI().getRawQuery()));
    try (StoreReader reader = readers.open()) {
      ViewAnswer answer = reader.view(question);
      ObjectNode root = (ObjectNode) JSON.readTree(ResultJson.write(answer.table(), reader.pendingSpans()));
      root.putPOJO("sql", answer.statements());
      return JSON.writeValueAsBytes(root);
    }
  }

  @Override
  protected String unavailable(StoreUnavailableException e) {
    return "the store is not available: " + e.getMessage();
  }
}
