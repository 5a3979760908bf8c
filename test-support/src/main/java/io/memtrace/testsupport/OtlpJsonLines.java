package io.memtrace.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The agent's OTLP-JSON files ({@code MEMTRACE_TRACES_FILE}, {@code MEMTRACE_METRICS_FILE}): one export a line. */
final class OtlpJsonLines {

  private static final ObjectMapper JSON = new ObjectMapper();

  private OtlpJsonLines() {
  }

  /**
   * Each finished line of {@code file}, parsed; none when there is no file yet. The agent may be writing while
   * this reads: every finished line ends in '\n', so an unterminated last line is one still being written, and
   * waits for the next read.
   */
  static List<JsonNode> read(Path file) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    if (!Files.exists(file)) {
      return out;
    }
    byte[] bytes = Files.readAllBytes(file);
    int complete = bytes.length;
    while (complete > 0 && bytes[complete - 1] != '\n') {
      complete--;
    }
    for (String line : new String(bytes, 0, complete, StandardCharsets.UTF_8).split("\n")) {
      if (!line.isBlank()) {
        out.add(JSON.readTree(line));
      }
    }
    return out;
  }

  /** OTLP/JSON attributes as a map: strings, longs (intValue is a JSON string), booleans, doubles, else the JSON. */
  static Map<String, Object> attributes(JsonNode list) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (JsonNode a : list) {
      JsonNode v = a.path("value");
      Object value;
      if (v.has("stringValue")) {
        value = v.get("stringValue").asText();
      } else if (v.has("intValue")) {
        value = Long.parseLong(v.get("intValue").asText());
      } else if (v.has("boolValue")) {
        value = v.get("boolValue").asBoolean();
      } else if (v.has("doubleValue")) {
        value = v.get("doubleValue").asDouble();
      } else {
        value = v.toString();
      }
      out.put(a.path("key").asText(), value);
    }
    return out;
  }
}
