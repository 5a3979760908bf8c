package io.memtrace.collector.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memtrace.collector.CollectorException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A running {@code serve}, asked over its {@code POST /api/query} with the API token. A 200 body
 * may still be an error: a query that outlived the first second gets its header early (see
 * {@code QueryResponse}) and its error, if any, as {@code {"error": ...}}. Each query either waits for the spans
 * the server acknowledged before it or reads what is loaded now ({@code ?wait=}); see {@link QueryApiHandler}.
 */
public final class RemoteSqlSource implements SqlSource {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration CONNECT = Duration.ofSeconds(3);
  /** A query's own limit is the server's; this only stops a command whose server went silent. */
  private static final Duration QUERY = Duration.ofMinutes(5);

  private final URI server;
  private final String token;
  private final String tokenHint;
  private final boolean waitLoaded;
  /** The first answer's count of spans acknowledged and not loaded; -1 before it. */
  private long pendingSpans = -1;
  /** The answers of the statements asked ahead ({@link #askAhead}), by statement. */
  private final Map<String, ResultTable> ahead = new HashMap<>();

  /**
   * @param token     the API token, or null when none was found
   * @param tokenHint where the token came from, or how to give one, for the message on a 401
   * @param waitLoaded whether each query waits for the spans acknowledged before it to be loaded
   */
  public RemoteSqlSource(URI server, String token, String tokenHint, boolean waitLoaded) {
    this.server = server;
    this.token = token;
    this.tokenHint = tokenHint;
    this.waitLoaded = waitLoaded;
  }

  @Override
  public ResultTable query(String sql) {
    return query(sql, false);
  }

  @Override
  public ResultTable queryWithValues(String sql) {
    return query(sql, true);
  }

  /** The collector's own statements (a reader's captured values among them) go with the API token, values allowed. */
  @Override
  public ResultTable queryOwn(String sql) {
    return query(sql, true);
  }

  /**
   * One {@code GET /api/answers/QUESTION} for the statements of the question; an answer other than a 200 (an older
   * server has no such endpoint) leaves each statement to {@code /api/query}, which says what is wrong as before.
   */
  @Override
  public void askAhead(String question, Map<String, String> params) {
    StringBuilder path = new StringBuilder("/api/answers/").append(question).append("?wait=").append(waitLoaded);
    params.forEach((name, value) -> {
      if (value != null) {
        path.append('&').append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
      }
    });
    try {
      ServerHttp.Answer response = ServerHttp.get(server.resolve(path.toString()), token == null ? Map.of()
          : Map.of("Authorization", "Bearer " + token), CONNECT, QUERY);
      if (response.status() != 200) {
        return;
      }
      JsonNode body = JSON.readTree(response.body());
      ahead.putAll(AnswerRecorder.read(body));
      if (pendingSpans < 0) {
        pendingSpans = ResultJson.pendingSpans(body);
      }
    } catch (IOException e) {
      // each statement is asked alone, and says why the server cannot be reached
    }
  }

  private ResultTable query(String sql, boolean values) {
    ResultTable answered = ahead.get(sql);
    if (answered != null) {
      return answered;
    }
    Map<String, String> headers = token == null ? Map.of("Content-Type", "application/json")
        : Map.of("Content-Type", "application/json", "Authorization", "Bearer " + token);
    ServerHttp.Answer response;
    try {
      response = ServerHttp.post(server.resolve("/api/query?wait=" + waitLoaded + (values ? "&values=true" : "")),
          headers, JSON.writeValueAsBytes(Map.of("sql", sql)), CONNECT, QUERY);
    } catch (IOException e) {
      throw new CollectorException("cannot reach the collector at " + server + ": "
          + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
    }
    JsonNode body;
    try {
      body = JSON.readTree(response.body());
    } catch (IOException e) {
      throw new CollectorException("the collector at " + server + " answered HTTP " + response.status()
          + " with a body that is not JSON", e);
    }
    String error = body == null ? null : body.path("error").asText(null);
    if (response.status() == 401) {
      throw new CollectorException("the collector at " + server + " refused the API token (HTTP 401: " + error
          + "); " + tokenHint);
    }
    if (response.status() != 200 || error != null) {
      throw new CollectorException(error != null ? error : "HTTP " + response.status() + " from " + server);
    }
    if (pendingSpans < 0) {
      pendingSpans = ResultJson.pendingSpans(body);
    }
    try {
      return ResultJson.read(body);
    } catch (IOException e) {
      throw new CollectorException("the collector at " + server + " answered a result that cannot be read", e);
    }
  }

  /** As the server counted them when it answered the first query of this source. */
  @Override
  public long pendingSpans() {
    return Math.max(0, pendingSpans);
  }

  @Override
  public String describe() {
    return "collector at " + server;
  }

  @Override
  public void close() {
    // a connection left in the JDK's keep-alive cache closes with the process or after its idle time
  }
}
