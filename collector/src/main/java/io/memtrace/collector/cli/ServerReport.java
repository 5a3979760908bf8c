package io.memtrace.collector.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.ServerHttp;
import io.memtrace.collector.reader.Layer;
import io.memtrace.collector.reader.Section;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code report} against a running {@code serve}, asked as one {@code GET /api/report}: the server builds the report
 * on its own warm store in one go, where asking each section's statements over {@code /api/query} cost a round trip,
 * a check of each statement and a JSON result apiece. The sections come back as the report's JSON and are rendered
 * here as the command renders its own. Empty when the server does not take the request as asked (an older collector
 * does not echo {@code windows} and applies its own tenant rule): then the command asks statement by statement.
 */
final class ServerReport {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the server answered: the sections, the analysed layer as a phrase, and the spans it had not loaded. */
  record Answer(List<Section> sections, String layer, long pendingSpans) {
  }

  private ServerReport() {
  }

  /** @param sinceSeconds only spans of the last this many seconds; null for all */
  static Optional<Answer> ask(SourceOptions.Server server, Long sinceSeconds, int windows, Layer layer) {
    StringBuilder query = new StringBuilder("/api/report?fresh=true&tenant=none&windows=").append(windows);
    if (sinceSeconds != null) {
      query.append("&since=").append(sinceSeconds);
    }
    if (layer != null) {
      query.append("&layer=").append(layer.name().toLowerCase(Locale.ROOT));
    }
    Map<String, String> headers = server.token().value() == null ? Map.of()
        : Map.of("Authorization", "Bearer " + server.token().value());
    JsonNode root;
    try {
      ServerHttp.Answer response = ServerHttp.get(server.url().resolve(URI.create(query.toString())), headers,
          Duration.ofSeconds(3), Duration.ofMinutes(5));
      if (response.status() != 200) {
        return Optional.empty(); // the statements' own path says what is wrong, as it always has
      }
      root = JSON.readTree(response.body());
    } catch (IOException e) {
      return Optional.empty();
    }
    if (root.path("windows").asInt(-1) != windows || root.path("tenant_rule").asBoolean(true)
        || !root.path("layer").isTextual()) {
      return Optional.empty();
    }
    return Optional.of(new Answer(sections(root.path("sections")), root.path("layer").asText(),
        root.path("pending_spans").asLong(0)));
  }

  /** The sections of the report's JSON ({@code ReportRenderer#json}): title, note, totals, and rows by column name. */
  static List<Section> sections(JsonNode all) {
    List<Section> sections = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = all.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      JsonNode section = entry.getValue();
      Map<String, Object> totals = new LinkedHashMap<>();
      List<ResultTable.Column> columns = new ArrayList<>();
      List<List<Object>> rows = new ArrayList<>();
      for (Iterator<Map.Entry<String, JsonNode>> f = section.fields(); f.hasNext(); ) {
        Map.Entry<String, JsonNode> field = f.next();
        if (field.getKey().equals("rows")) {
          for (JsonNode row : field.getValue()) {
            if (columns.isEmpty()) {
              row.fieldNames().forEachRemaining(name -> columns.add(new ResultTable.Column(name, "JSON")));
            }
            List<Object> values = new ArrayList<>();
            row.fields().forEachRemaining(value -> values.add(JSON.convertValue(value.getValue(), Object.class)));
            rows.add(values);
          }
        } else if (!field.getKey().equals("title") && !field.getKey().equals("note")) {
          totals.put(field.getKey(), JSON.convertValue(field.getValue(), Object.class));
        }
      }
      sections.add(new Section(entry.getKey(), section.path("title").asText(), section.path("note").asText(null),
          new ResultTable(columns, rows, false), totals));
    }
    return sections;
  }
}
