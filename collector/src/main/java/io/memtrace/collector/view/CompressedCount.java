package io.memtrace.collector.view;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Redis spans the agent's retention compressed into a kept span: how many of one command in one
 * namespace, and their total duration, from one {@code memtrace.compressed} event of the span. The
 * commands of the count that also went out as key events ({@code memtrace.compressed.key_events}) are
 * stored as spans of their own and shown as such, so a count is only those that were not.
 */
record CompressedCount(String command, String namespace, long count, double millis, long stored) {

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
          long all = a.path("memtrace.compressed.count").asLong();
          long stored = Math.min(all, Math.max(0, a.path("memtrace.compressed.key_events").asLong()));
          if (stored < all) {
            counts.add(new CompressedCount(a.path("db.operation.name").asText("?"),
                a.hasNonNull("memory.namespace") ? a.path("memory.namespace").asText() : null,
                all - stored, a.path("memtrace.compressed.duration_ms").asDouble(), stored));
          }
        }
      }
    } catch (IOException e) {
      return List.of();
    }
    return counts;
  }

  /**
   * {@code +1,234 compressed GET (app:cache) 12.3 ms total}; when some of them are shown from their key events, the
   * total is theirs too, so it gives way to {@code +2 compressed GET (app:cache), 3 more shown from their key events}.
   */
  String line() {
    String what = String.format(Locale.ROOT, "+%,d compressed %s%s", count, command,
        namespace == null ? "" : " (" + namespace + ")");
    return stored == 0 ? String.format(Locale.ROOT, "%s %.1f ms total", what, millis)
        : String.format(Locale.ROOT, "%s, %,d more shown from their key events", what, stored);
  }
}
