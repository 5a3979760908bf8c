package io.memtrace.collector.truth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memtrace.collector.it.CollectorProcess;
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

  /** The events of {@code key}'s timeline that are spans, by span id. */
  Map<String, JsonNode> timeline(String key) throws Exception {
    HttpResponse<String> response = serve.get("/api/keys/" + URLEncoder.encode(key, StandardCharsets.UTF_8)
        + "/timeline?limit=1000");
    if (response.statusCode() == 404) {
      return Map.of();
    }
    if (response.statusCode() != 200) {
      throw new AssertionError("the timeline of " + key + ": " + response.statusCode() + " " + response.body());
    }
    Map<String, JsonNode> bySpan = new HashMap<>();
    for (JsonNode e : JSON.readTree(response.body()).path("events")) {
      if (e.hasNonNull("span_id")) {
        bySpan.put(e.path("span_id").asText(), e);
      }
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

  private JsonNode answer(String sql) throws Exception {
    HttpResponse<String> response = serve.post("/api/query", "application/sql", null,
        sql.getBytes(StandardCharsets.UTF_8));
    if (response.statusCode() != 200) {
      throw new AssertionError(sql + ": " + response.statusCode() + " " + response.body());
    }
    return JSON.readTree(response.body());
  }

  private static String text(JsonNode node) {
    return node == null || node.isNull() ? null : node.asText();
  }
}
