package io.memtrace.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memtrace.deploy.PrometheusNames.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The metrics of an OTLP-JSON file ({@code MEMTRACE_METRICS_FILE}: one {@code {"resourceMetrics":[...]}}
 * per line), as OTLP names them and as Prometheus will: each series name with the label names its
 * points carry.
 */
public final class ExportedMetrics {

  private static final Map<String, Kind> KINDS = Map.of("sum", Kind.SUM, "gauge", Kind.GAUGE,
      "histogram", Kind.HISTOGRAM, "exponentialHistogram", Kind.EXPONENTIAL_HISTOGRAM, "summary", Kind.SUMMARY);

  private final Map<String, Set<String>> otlpAttributes = new TreeMap<>();
  private final Map<String, List<Double>> otlpBounds = new TreeMap<>();
  private final Map<String, Set<String>> seriesLabels = new TreeMap<>();
  private final Map<String, String> seriesToOtlp = new TreeMap<>();

  private ExportedMetrics() {
  }

  public static ExportedMetrics read(Path file) throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    ExportedMetrics out = new ExportedMetrics();
    for (String line : Files.readAllLines(file)) {
      if (line.isBlank()) {
        continue;
      }
      for (JsonNode rm : mapper.readTree(line).path("resourceMetrics")) {
        for (JsonNode sm : rm.path("scopeMetrics")) {
          for (JsonNode m : sm.path("metrics")) {
            out.add(m);
          }
        }
      }
    }
    return out;
  }

  private void add(JsonNode metric) {
    String name = metric.path("name").asText();
    String unit = metric.path("unit").asText("");
    KINDS.forEach((field, kind) -> {
      JsonNode data = metric.path(field);
      if (data.isMissingNode()) {
        return;
      }
      Set<String> attributes = otlpAttributes.computeIfAbsent(name, k -> new TreeSet<>());
      for (JsonNode point : data.path("dataPoints")) {
        point.path("attributes").forEach(a -> attributes.add(a.path("key").asText()));
        if (point.has("explicitBounds")) {
          List<Double> bounds = new ArrayList<>();
          point.path("explicitBounds").forEach(b -> bounds.add(b.asDouble()));
          otlpBounds.put(name, bounds);
        }
      }
      boolean monotonic = data.path("isMonotonic").asBoolean(false);
      for (String series : PrometheusNames.seriesNames(name, unit, kind, monotonic)) {
        Set<String> labels = seriesLabels.computeIfAbsent(series, k -> new TreeSet<>());
        attributes.forEach(a -> labels.add(PrometheusNames.labelName(a)));
        if (series.endsWith("_bucket") && kind == Kind.HISTOGRAM) {
          labels.add("le");
        }
        if (kind == Kind.SUMMARY && !series.endsWith("_sum") && !series.endsWith("_count")) {
          labels.add("quantile");
        }
        seriesToOtlp.put(series, name);
      }
    });
  }

  /** Every OTLP metric name in the file, with the attribute keys its points carry. */
  public Map<String, Set<String>> otlpMetrics() {
    return Collections.unmodifiableMap(otlpAttributes);
  }

  /** The explicit bucket bounds of a histogram, empty for anything else. */
  public List<Double> bucketBounds(String otlpName) {
    return otlpBounds.getOrDefault(otlpName, List.of());
  }

  /** Every Prometheus series name, with its label names (attributes translated, {@code le} on buckets). */
  public Map<String, Set<String>> prometheusSeries() {
    return Collections.unmodifiableMap(seriesLabels);
  }

  /** The OTLP metric a Prometheus series name comes from, or null. */
  public String otlpNameOf(String series) {
    return seriesToOtlp.get(series);
  }
}
