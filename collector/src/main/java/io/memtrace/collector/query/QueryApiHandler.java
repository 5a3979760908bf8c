package io.memtrace.collector.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.memtrace.collector.CollectorException;
import io.memtrace.collector.Log;
import io.memtrace.collector.UrlQuery;
import io.memtrace.collector.store.SpanStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code POST /api/query}: read-only SQL on the running server's store, which other processes
 * cannot open while the server holds it. The body is {@code {"sql": "..."}} as
 * {@code application/json}, or the bare SQL as {@code application/sql}: a web page can send
 * neither without the browser asking the server first (CORS), and this server never says yes.
 * Each query gets its own connection, at most {@link #MAX_CONCURRENT} run at once, and each is
 * bounded by the {@link QueryLimits} and stopped when its client disconnects.
 *
 * <p>A query reads its own writes: it first waits, up to {@link SpanStore#LOAD_WAIT_MILLIS}, for the spans
 * acknowledged before it to be loaded from the ingest log, since a script that sends spans and then counts them
 * expects to find them. {@code ?wait=false} reads what is loaded now instead, as the web view and the
 * {@code traces} and {@code report} commands do, so that a backlog never holds them up. Either way the answer
 * counts the spans it may lack ({@link ResultJson#PENDING_SPANS}).
 */
public final class QueryApiHandler implements HttpHandler {

  /** Queries running at once; more wait a little, then get 503. Each may hold its result bytes. */
  public static final int MAX_CONCURRENT = 4;

  private static final int MAX_SQL_BYTES = 1 << 20;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Answers answers;
  private final Semaphore slots = new Semaphore(MAX_CONCURRENT);
  private final AtomicInteger running = new AtomicInteger();

  /** Where a query runs, and what it may lack. */
  @FunctionalInterface
  public interface Answers {

    /** The rows of {@code sql}, and the spans acknowledged and not loaded that they may lack. */
    Answer answer(String sql, boolean wait, boolean values, RunningQuery.Client response) throws SQLException;
  }

  /** @param pending the spans acknowledged and not yet loaded when the query ran */
  public record Answer(ResultTable result, long pending) {
  }

  /** The server's own store, each query on a connection of its own, within {@code limits}. */
  public QueryApiHandler(SpanStore store, QueryLimits limits) {
    this((sql, wait, values, response) -> {
      long pending = wait ? store.awaitLoaded() : store.pendingSpans();
      try (Connection connection = store.newConnection()) {
        return new Answer(QueryRunner.run(connection, sql, limits, response, values), pending);
      }
    });
  }

  /** A store read through its {@link io.memtrace.collector.reader.StoreReader} (ClickHouse), one reader a query. */
  public QueryApiHandler(io.memtrace.collector.reader.StoreReader.Factory readers) {
    this((sql, wait, values, response) -> {
      try (io.memtrace.collector.reader.StoreReader reader = readers.open()) {
        return new Answer(values ? reader.queryWithValues(sql) : reader.query(sql), reader.pendingSpans());
      }
    });
  }

  public QueryApiHandler(Answers answers) {
    this.answers = answers;
  }

  /** Queries running now, for {@code /api/status}. */
  public int running() {
    return running.get();
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"POST".equals(exchange.getRequestMethod())) {
        exchange.getResponseHeaders().set("Allow", "POST");
        error(exchange, 405, "use POST with {\"sql\": \"...\"} as application/json");
        return;
      }
      String sql;
      boolean wait;
      boolean values;
      try {
        wait = waits(exchange);
        values = flag(exchange, "values");
        sql = sql(exchange);
      } catch (Refused e) {
        error(exchange, e.status, e.getMessage());
        return;
      }
      if (!slots.tryAcquire(5, TimeUnit.SECONDS)) {
        exchange.getResponseHeaders().set("Retry-After", "5");
        error(exchange, 503, MAX_CONCURRENT + " queries are running already; try again when one has finished");
        return;
      }
      try {
        answer(exchange, sql, wait, values);
      } finally {
        slots.release();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void answer(HttpExchange exchange, String sql, boolean wait, boolean values) throws IOException {
    QueryResponse response = new QueryResponse(exchange);
    long started = System.nanoTime();
    running.incrementAndGet();
    try {
      Answer answer = answers.answer(sql, wait, values, response);
      response.finish(200, ResultJson.write(answer.result(), answer.pending()));
    } catch (CollectorException e) {
      if (e instanceof QueryStopped stopped) {
        logStopped(stopped, started, sql);
      }
      response.finish(400, errorJson(e.getMessage()));
    } catch (SQLException e) {
      response.finish(503, errorJson("the store is not available: " + e.getMessage()));
    } finally {
      running.decrementAndGet();
    }
  }

  /**
   * The client reads why its query was stopped in its answer (a 200's body once the heartbeat began); the log says it
   * too, so that an operator sees what the limit stops without asking every client. Not the query's text: a query may
   * name keys or values, which the log keeps no copy of.
   */
  private static void logStopped(QueryStopped e, long startedNanos, String sql) {
    String line = "/api/query: " + e.getMessage() + " after " + (System.nanoTime() - startedNanos) / 1_000_000
        + " ms (a query of " + sql.length() + " characters)";
    if (e.clientGone()) {
      Log.info(line);
    } else {
      Log.warn(line + " (raise serve --query-timeout, or narrow the query)");
    }
  }

  /** Whether the query waits for the spans acknowledged before it ({@code wait=true}, the default). */
  private static boolean waits(HttpExchange exchange) throws Refused {
    String wait = UrlQuery.parameter(exchange.getRequestURI().getRawQuery(), "wait");
    if (wait == null || wait.equals("true")) {
      return true;
    }
    if (wait.equals("false")) {
      return false;
    }
    throw new Refused(400, "wait is true (the default: wait up to " + SpanStore.LOAD_WAIT_MILLIS / 1000 + " s for "
        + "the spans acknowledged before the query to be loaded) or false (read what is loaded now), not " + wait);
  }

  /**
   * Whether {@code ?name=true}: {@code values=true} lets the query read the captured values ({@code key_value}),
   * which it reads only when asked.
   */
  private static boolean flag(HttpExchange exchange, String name) throws Refused {
    String v = UrlQuery.parameter(exchange.getRequestURI().getRawQuery(), name);
    if (v == null || v.equals("false")) {
      return false;
    }
    if (v.equals("true")) {
      return true;
    }
    throw new Refused(400, name + " is true or false, not " + v);
  }

  /** The SQL of the request, from JSON or bare; anything a browser form could send is refused. */
  private static String sql(HttpExchange exchange) throws IOException, Refused {
    String type = String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type"));
    String media = type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (!media.equals("application/json") && !media.equals("application/sql")) {
      throw new Refused(415, "send the query as {\"sql\": \"...\"} with Content-Type: application/json "
          + "(or the bare SQL as application/sql), not " + (type.equals("null") ? "without a Content-Type" : type)
          + "; form and text/plain bodies are refused so that no web page can run SQL here");
    }
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readNBytes(MAX_SQL_BYTES + 1);
    }
    if (body.length > MAX_SQL_BYTES) {
      throw new Refused(413, "the query is longer than " + MAX_SQL_BYTES + " bytes");
    }
    if (media.equals("application/sql")) {
      return new String(body, StandardCharsets.UTF_8);
    }
    JsonNode request;
    try {
      request = JSON.readTree(body);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new Refused(400, "the body is not JSON: " + e.getOriginalMessage());
    }
    if (request == null || !request.path("sql").isTextual()) {
      throw new Refused(400, "the body must be a JSON object with the SQL text in \"sql\"");
    }
    return request.get("sql").textValue();
  }

  private static void error(HttpExchange exchange, int status, String message) throws IOException {
    new QueryResponse(exchange).finish(status, errorJson(message));
  }

  static byte[] errorJson(String message) throws IOException {
    return JSON.writeValueAsBytes(Map.of("error", message));
  }

  /** A request refused before any SQL ran. */
  private static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;
    final int status;

    Refused(int status, String message) {
      super(message);
      this.status = status;
    }
  }
}
