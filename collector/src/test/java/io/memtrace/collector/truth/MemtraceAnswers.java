package io.memtrace.collector.truth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memtrace.collector.it.CollectorProcess;
import io.memtrace.collector.query.ResultJson;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What memtrace answers about the traced service's reads, asked of the running {@code serve} as a user would: the
 * {@code lineage} view through {@code /api/query} (what {@code traces} and the web view's trace page show under each
 * read), and each key's timeline through {@code /api/keys/{key}/timeline} (what {@code timeline --key} prints).
 */
final class MemtraceAnswers {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One lineage row: the read's writer as the view names it. */
  record Lineage(boolean found, String writer, String writeSpan, String writeAccess, String miss) {
    @Override
    public String toString() {
      String write = writeSpan != null ? " " + writeAccess + " span " + writeSpan : writeAccess == null ? ""
          : " " + writeAccess;
      return (found ? "found" : "found nothing") + ", writer " + writer + write + (miss == null ? "" : ", miss " + miss);
    }
  }

  private final CollectorProcess serve;

  MemtraceAnswers(CollectorProcess serve) {
    this.serve = serve;
  }

  /**
   * The span ids of the service, in the order they began, with their names, keys and databases; a compressed
   * command stored from its key event is among them, and retention's own spans ({@code memtrace.*}) are not.
   */
  List<String[]> spans(String service) throws Exception {
    List<String[]> spans = new ArrayList<>();
    for (JsonNode row : rows("SELECT span_id, name, attributes['memory.key'], attributes['db.namespace'] FROM spans "
        + "WHERE service_name = '" + service + "' AND name NOT LIKE 'memtrace.%' ORDER BY start_time, end_time")) {
      spans.add(new String[] {row.get(0).asText(), row.get(1).asText(), text(row.get(2)), text(row.get(3))});
    }
    return spans;
  }

  /** The lineage of the service's Redis reads, by read span. */
  Map<String, Lineage> lineage(String service) throws Exception {
    Map<String, Lineage> bySpan = new HashMap<>();
    for (JsonNode r : rows("SELECT read_span_id, found, writer, write_span_id, write_access, miss FROM lineage "
        + "WHERE read_layer = 'redis' AND read_service = '" + service + "'")) {
      bySpan.put(r.get(0).asText(), new Lineage(r.get(1).asBoolean(), text(r.get(2)), text(r.get(3)), text(r.get(4)),
          text(r.get(5))));
    }
    return bySpan;
  }

  /** The trace id and start (µs) of each of the service's spans, by span id: what the web view asks a read by. */
  Map<String, String[]> traceOfSpan(String service) throws Exception {
    Map<String, String[]> bySpan = new HashMap<>();
    for (JsonNode r : rows("SELECT span_id, trace_id, epoch_us(start_time) FROM spans WHERE service_name = '" + service
        + "'")) {
      bySpan.put(r.get(0).asText(), new String[] {r.get(1).asText(), r.get(2).asText()});
    }
    return bySpan;
  }

  /**
   * The web view's answer about each read ({@code GET /api/view/read_lineage}, what the trace page shows under a read
   * and {@code traces} prints), three asked at a time, by read span id; {@code ids} each span's trace id and start.
   */
  Map<String, Lineage> readLineage(java.util.Collection<String> spans, Map<String, String[]> ids) throws Exception {
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
    try {
      Map<String, java.util.concurrent.Future<Lineage>> asked = new HashMap<>();
      for (String span : spans) {
        String[] id = ids.get(span);
        if (id != null) {
          asked.put(span, pool.submit(() -> readLineage(id[0], span, id[1])));
        }
      }
      Map<String, Lineage> bySpan = new HashMap<>();
      for (Map.Entry<String, java.util.concurrent.Future<Lineage>> e : asked.entrySet()) {
        Lineage l = e.getValue().get();
        if (l != null) {
          bySpan.put(e.getKey(), l);
        }
      }
      return bySpan;
    } finally {
      pool.shutdownNow();
    }
  }

  private Lineage readLineage(String trace, String span, String start) throws Exception {
    HttpResponse<String> response = serve.get("/api/view/read_lineage?trace=" + trace + "&span=" + span + "&start="
        + start);
    if (response.statusCode() != 200) {
      throw new AssertionError("the read_lineage of " + span + ": " + response.statusCode() + " " + response.body());
    }
    JsonNode answer = JSON.readTree(response.body());
    JsonNode columns = answer.path("columns");
    JsonNode rows = answer.path("rows");
    if (rows.size() == 0) {
      return null;
    }
    Map<String, JsonNode> row = new HashMap<>();
    for (int i = 0; i < columns.size(); i++) {
      row.put(columns.get(i).path("name").asText(), rows.get(0).get(i));
    }
    return new Lineage(row.get("found").asBoolean(), text(row.get("writer")), text(row.get("write_span_id")),
        text(row.get("write_access")), text(row.get("miss")));
  }

  /**
   * The timelines of {@code keys}, three asked at a time: each costs serve a scan of the kept key events, and most of
   * the wait is the HTTP round trip and that scan, not this side.
   */
  Map<String, Map<String, JsonNode>> timelines(List<String> keys) throws Exception {
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
    try {
      Map<String, java.util.concurrent.Future<Map<String, JsonNode>>> asked = new HashMap<>();
      for (String key : keys) {
        asked.put(key, pool.submit(() -> timeline(key)));
      }
      Map<String, Map<String, JsonNode>> timelines = new HashMap<>();
      for (Map.Entry<String, java.util.concurrent.Future<Map<String, JsonNode>>> e : asked.entrySet()) {
        timelines.put(e.getKey(), e.getValue().get());
      }
      return timelines;
    } finally {
      pool.shutdownNow();
    }
  }

  /** The newest events a key's timeline is asked for. */
  static final int TIMELINE_LIMIT = 1000;

  /**
   * The events of {@code key}'s timeline that are spans, by span id; with {@code -Dtruth.dump=DIR}, each timeline as
   * the API sent it is kept in {@code DIR} too, to read a replayed seed's notifications and spans.
   */
  Map<String, JsonNode> timeline(String key) throws Exception {
    HttpResponse<String> response = serve.get("/api/keys/" + URLEncoder.encode(key, StandardCharsets.UTF_8)
        + "/timeline?limit=" + TIMELINE_LIMIT);
    if (response.statusCode() == 404) {
      return Map.of();
    }
    if (response.statusCode() != 200) {
      throw new AssertionError("the timeline of " + key + ": " + response.statusCode() + " " + response.body());
    }
    String dump = System.getProperty("truth.dump");
    if (dump != null) {
      java.nio.file.Files.createDirectories(java.nio.file.Path.of(dump));
      java.nio.file.Files.writeString(java.nio.file.Path.of(dump, key.replace(':', '_') + ".json"), response.body());
    }
    return bySpan(response.body());
  }

  /** The events of a timeline (its JSON, as the API sends it) that are spans, by span id. */
  static Map<String, JsonNode> bySpan(String timeline) throws java.io.IOException {
    Map<String, JsonNode> bySpan = new HashMap<>();
    for (JsonNode e : JSON.readTree(timeline).path("events")) {
      if (e.hasNonNull("span_id")) {
        bySpan.put(e.path("span_id").asText(), e);
      }
    }
    return bySpan;
  }

  /** Lineage rows (the {@code lineage} view's columns) as answers, by read span id. */
  static Map<String, Lineage> lineage(io.memtrace.collector.query.ResultTable rows) {
    Map<String, Lineage> bySpan = new HashMap<>();
    for (int i = 0; i < rows.size(); i++) {
      Object found = rows.value(i, "found");
      bySpan.put(rows.text(i, "read_span_id"), new Lineage(found instanceof Number n ? n.intValue() != 0
          : Boolean.TRUE.equals(rows.bool(i, "found")), rows.text(i, "writer"), rows.text(i, "write_span_id"),
          rows.text(i, "write_access"), rows.text(i, "miss")));
    }
    return bySpan;
  }

  /** How many keyspace notifications of the suite's keys the store holds. */
  long notifications() throws Exception {
    return rows("SELECT count(*) FROM key_notification WHERE key LIKE 't%:%'").get(0).get(0).asLong();
  }

  long spanCount(String service) throws Exception {
    return rows("SELECT count(*) FROM spans WHERE service_name = '" + service + "'").get(0).get(0).asLong();
  }

  /** The rows of {@code sql} on the store, each an object of its columns' names. */
  List<JsonNode> objects(String sql) throws Exception {
    JsonNode answer = answer(sql);
    List<JsonNode> objects = new ArrayList<>();
    for (JsonNode row : answer.path("rows")) {
      com.fasterxml.jackson.databind.node.ObjectNode object = JSON.createObjectNode();
      for (int i = 0; i < row.size(); i++) {
        object.set(answer.path("columns").get(i).path("name").asText(), row.get(i));
      }
      objects.add(object);
    }
    return objects;
  }

  /** The rows of {@code sql} on the store, as {@code /api/query} gives them. */
  List<JsonNode> rows(String sql) throws Exception {
    List<JsonNode> rows = new ArrayList<>();
    answer(sql).path("rows").forEach(rows::add);
    return rows;
  }

  /** How long a question waits for spans serve acknowledged and had not loaded when it answered. */
  static final long PENDING_WAIT_MILLIS = 300_000;

  private JsonNode answer(String sql) throws Exception {
    long deadline = System.currentTimeMillis() + PENDING_WAIT_MILLIS;
    JsonNode answer = ask(sql);
    // serve waits up to 30 s for the spans acknowledged before a query, then answers without the rest and counts them
    // (pending_spans): such an answer may lack rows, which would count as reads with no answer; ask again
    while (ResultJson.pendingSpans(answer) > 0 && System.currentTimeMillis() < deadline) {
      Thread.sleep(2_000);
      answer = ask(sql);
    }
    if (ResultJson.pendingSpans(answer) > 0) {
      throw new AssertionError(sql + ": answered without " + ResultJson.pendingSpans(answer) + " spans serve had "
          + "acknowledged and not loaded after " + PENDING_WAIT_MILLIS / 1000 + " s");
    }
    return answer;
  }

  private JsonNode ask(String sql) throws Exception {
    HttpResponse<String> response = serve.post("/api/query", "application/sql", null,
        sql.getBytes(StandardCharsets.UTF_8));
    return checked(sql, response.statusCode(), response.body());
  }

  /**
   * The answer {@code /api/query} gave to {@code sql} with {@code status} and {@code body}, or an AssertionError when
   * it holds no rows to read. A query that runs past a second has had its 200 header and a space a second sent
   * ({@code QueryResponse}), so an error after that, serve's query timeout above all, comes as the body
   * {@code {"error": ...}} of a 200: read for its rows, it had none, and every read counted "no lineage row" (the
   * third run of seeds 34000-35499 on 2026-12-01, and two runs of 2026-12-02 at load 10-20, where the view's question
   * ran past serve's 30 s). A cut answer is no answer either: its missing rows would count as reads without a row.
   */
  static JsonNode checked(String sql, int status, String body) throws java.io.IOException {
    if (status != 200) {
      throw new AssertionError(sql + ": " + status + " " + body);
    }
    JsonNode answer = JSON.readTree(body);
    if (answer.hasNonNull("error")) {
      throw new AssertionError(sql + ": serve answered 200 with the error " + answer.path("error").asText());
    }
    if (answer.path("truncated").asBoolean()) {
      throw new AssertionError(sql + ": the answer was cut, " + answer.path("truncation").asText());
    }
    return answer;
  }

  private static String text(JsonNode node) {
    return node == null || node.isNull() ? null : node.asText();
  }
}
