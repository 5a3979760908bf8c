package io.memtrace.collector.view;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Redis spans the agent's retention compressed into a kept span: how many of one command in one
 * namespace, and their total duration, from one {@code memtrace.compressed} event of the span.
 */
record CompressedCount(String command, String namespace, long count, double millis) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The counts in a span's events (JSON text as stored); none when it has none or the text is not JSON. */
  static List<CompressedCount> of(String eventsJson) {
    List<CompressedCount> counts = new ArrayList<>();
    if (eventsJson == null) {
      return counts;
    }
    try {
      for (JsonNode event : JSON.readTree(eventsJson)) {
        JsonNode a = event.path("attributes");
        if (event.path("name").asText().equals("memtrace.compressed") && a.has("memtrace.compressed.count")) {
          counts.add(new CompressedCount(a.path("db.operation.name").asText("?"),
              a.hasNonNull("memory.namespace") ? a.path("memory.namespace").asText() : null,
              a.path("memtrace.compressed.count").asLong(), a.path("memtrace.compressed.duration_ms").asDouble()));
        }
      }
    } catch (IOException e) {
      return List.of();
    }
    return counts;
  }

  /** {@code +1,234 compressed GET (app:cache) 12.3 ms total}. */
  String line() {
    return String.format(Locale.ROOT, "+%,d compressed %s%s %.1f ms total", count, command,
        namespace == null ? "" : " (" + namespace + ")", millis);
  }
}
