package io.memtrace.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Which attribute keys each metric of an agent's {@code MEMTRACE_METRICS_FILE} carried: its cardinality's shape. */
public final class MetricAttributeKeys {

  private MetricAttributeKeys() {
  }

  /** Metric name to the attribute keys seen on its points (sums, histograms, gauges), over every export in the file. */
  public static Map<String, Set<String>> read(Path file) throws IOException {
    Map<String, Set<String>> out = new LinkedHashMap<>();
    for (JsonNode line : OtlpJsonLines.read(file)) {
      for (JsonNode rm : line.path("resourceMetrics")) {
        for (JsonNode sm : rm.path("scopeMetrics")) {
          for (JsonNode m : sm.path("metrics")) {
            Set<String> keys = out.computeIfAbsent(m.path("name").asText(), k -> new TreeSet<>());
            for (String kind : List.of("sum", "histogram", "gauge")) {
              for (JsonNode p : m.path(kind).path("dataPoints")) {
                p.path("attributes").forEach(a -> keys.add(a.path("key").asText()));
              }
            }
          }
        }
      }
    }
    return out;
  }
}
