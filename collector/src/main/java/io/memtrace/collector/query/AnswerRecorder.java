package io.memtrace.collector.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A source that keeps each statement run through it with its answer, so that a server can answer a whole question
 * of a reading command in one request ({@code /api/answers/...}): the command runs its own code again over these
 * answers ({@link RemoteSqlSource#askAhead}), statement by statement, and prints what it would have printed had it
 * sent each statement over {@code /api/query}. Each kind of statement goes on as it came (the collector's own
 * unchecked). Unlike other forwarding sources it owns its source and closes it.
 */
public final class AnswerRecorder extends ForwardingSqlSource {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** The field of the wire form that holds the statements and their answers, in the order they were asked. */
  static final String ANSWERS = "answers";

  private final Map<String, ResultTable> answers = new LinkedHashMap<>();

  public AnswerRecorder(SqlSource source) {
    super(source);
  }

  @Override
  public ResultTable query(String sql) {
    return keep(sql, source.query(sql));
  }

  @Override
  public ResultTable queryWithValues(String sql) {
    return keep(sql, source.queryWithValues(sql));
  }

  @Override
  public ResultTable queryOwn(String sql) {
    return keep(sql, source.queryOwn(sql));
  }

  private ResultTable keep(String sql, ResultTable answer) {
    answers.put(sql, answer);
    return answer;
  }

  /** The statements and answers so far: {@code {"answers": [{"sql", "result"}], "pending_spans"}}. */
  public byte[] json(long pendingSpans) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode list = root.putArray(ANSWERS);
    answers.forEach((sql, table) -> list.addObject().put("sql", sql).set("result", ResultJson.tree(table)));
    root.put(ResultJson.PENDING_SPANS, pendingSpans);
    return JSON.writeValueAsBytes(root);
  }

  /** The answers of {@link #json}, by statement. */
  static Map<String, ResultTable> read(JsonNode root) throws IOException {
    Map<String, ResultTable> read = new LinkedHashMap<>();
    for (JsonNode answer : root.path(ANSWERS)) {
      read.put(answer.path("sql").asText(), ResultJson.read(answer.path("result")));
    }
    return read;
  }

  @Override
  public void close() {
    source.close();
  }
}
