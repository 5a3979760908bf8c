package io.memtrace.collector.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import io.memtrace.collector.CollectorException;
import io.memtrace.collector.UrlQuery;
import io.memtrace.collector.embedded.ServerReaders;
import io.memtrace.collector.query.AnswerRecorder;
import io.memtrace.collector.reader.StoreReader;
import io.memtrace.collector.reader.TimelineRequest;
import io.memtrace.collector.reader.TraceRequest;
import io.memtrace.collector.view.TraceSpan;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/answers/traces?trace=ID} (or {@code last=N&service=NAME}) and
 * {@code GET /api/answers/timeline?key=KEY&namespace=NS&redis=HOST:PORT&limit=N}, each with {@code wait=true|false}
 * as {@code /api/query}: a reading command's whole question in one request, answered by the server's own reader
 * from one snapshot, its statements run as the collector's own. The answer is each statement the reader ran with
 * its rows ({@link AnswerRecorder}), which the {@code traces} and {@code timeline} commands read again with their
 * own code ({@code SqlSource#askAhead}) and so print as if they had sent each statement over {@code /api/query},
 * where each would be checked as a user's and cost a round trip. The request names an id or a key, never SQL.
 */
public final class AnswersApi extends JsonApi {

  public static final String PREFIX = "/api/answers/";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ServerReaders store;

  public AnswersApi(ServerReaders store) {
    super(store, JSON);
    this.store = store;
  }

  @Override
  protected byte[] answer(HttpExchange exchange) throws IOException {
    if (!exchange.getRequestMethod().equals("GET")) {
      throw new Refusal(405, "answers are read with GET");
    }
    String question = exchange.getRequestURI().getPath().substring(PREFIX.length());
    String query = exchange.getRequestURI().getRawQuery();
    String wait = UrlQuery.parameter(query, "wait");
    if (wait != null && !wait.equals("true") && !wait.equals("false")) {
      throw new CollectorException("wait is true or false, not " + wait);
    }
    AnswerRecorder[] recorder = new AnswerRecorder[1];
    try (StoreReader reader = store.open(!"false".equals(wait), source -> recorder[0] = new AnswerRecorder(source))) {
      switch (question) {
        case "traces" -> traces(reader, query);
        case "timeline" -> reader.timeline(new TimelineRequest(UrlQuery.parameter(query, "key"),
            UrlQuery.parameter(query, "namespace"), UrlQuery.parameter(query, "redis"),
            number(query, "limit", TimelineRequest.DEFAULT_LIMIT)));
        default -> throw new Refusal(404, "the questions at " + PREFIX + " are traces and timeline");
      }
      return recorder[0].json(reader.pendingSpans());
    }
  }

  /** What {@code traces} asks: the traces with their lineage and model calls, then each one's keyspace at its start. */
  private static void traces(StoreReader reader, String query) {
    Map<String, List<TraceSpan>> traces = reader.traces(new TraceRequest(UrlQuery.parameter(query, "trace"),
        number(query, "last", 5), UrlQuery.parameter(query, "service")));
    for (List<TraceSpan> spans : traces.values()) {
      if (!spans.isEmpty()) {
        reader.keyspaceAtStart(spans);
      }
    }
  }

  private static int number(String query, String name, int absent) {
    String v = UrlQuery.parameter(query, name);
    try {
      return v == null || v.isEmpty() ? absent : Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new CollectorException(name + " is a whole number, not " + v);
    }
  }
}
