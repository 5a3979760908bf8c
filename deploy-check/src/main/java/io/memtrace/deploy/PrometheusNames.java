package io.memtrace.deploy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The names an OTLP metric gets in Prometheus when the OTel Collector's {@code prometheus} exporter
 * serves it: the rules of the OpenTelemetry-to-Prometheus compatibility specification as the
 * collector applies them ({@code pkg/translator/prometheus}, name normalization on, its default).
 * Dots become underscores, the unit is appended in words ({@code ms} as {@code milliseconds},
 * {@code By} as {@code bytes}), a monotonic sum ends in {@code _total}, and a histogram is served
 * as {@code _bucket}, {@code _sum} and {@code _count} series.
 */
public final class PrometheusNames {

  /** How the metric is aggregated, as the OTLP data field names it. */
  public enum Kind { SUM, GAUGE, HISTOGRAM, EXPONENTIAL_HISTOGRAM, SUMMARY }

  private static final Map<String, String> UNITS = Map.ofEntries(
      Map.entry("d", "days"), Map.entry("h", "hours"), Map.entry("min", "minutes"), Map.entry("s", "seconds"),
      Map.entry("ms", "milliseconds"), Map.entry("us", "microseconds"), Map.entry("ns", "nanoseconds"),
      Map.entry("By", "bytes"), Map.entry("KiBy", "kibibytes"), Map.entry("MiBy", "mebibytes"),
      Map.entry("GiBy", "gibibytes"), Map.entry("TiBy", "tibibytes"), Map.entry("KBy", "kilobytes"),
      Map.entry("MBy", "megabytes"), Map.entry("GBy", "gigabytes"), Map.entry("TBy", "terabytes"),
      Map.entry("m", "meters"), Map.entry("V", "volts"), Map.entry("A", "amperes"), Map.entry("J", "joules"),
      Map.entry("W", "watts"), Map.entry("g", "grams"), Map.entry("Cel", "celsius"), Map.entry("Hz", "hertz"),
      Map.entry("1", ""), Map.entry("%", "percent"));

  private static final Map<String, String> PER_UNITS = Map.of(
      "s", "second", "m", "minute", "h", "hour", "d", "day", "w", "week", "mo", "month", "y", "year");

  private PrometheusNames() {
  }

  /** The metric's base name: {@code memory.operation.duration} in {@code ms} is {@code memory_operation_duration_milliseconds}. */
  public static String metricName(String name, String unit, Kind kind, boolean monotonic) {
    List<String> tokens = new ArrayList<>(Arrays.asList(tokens(name)));
    String[] units = (unit == null ? "" : unit).split("/", 2);
    String main = units[0].trim();
    if (!main.isEmpty() && !main.contains("{") && !main.contains("}")) {
      appendIfAbsent(tokens, cleanUp(UNITS.getOrDefault(main, main)));
    }
    if (units.length > 1) {
      String per = units[1].trim();
      if (!per.isEmpty() && !per.contains("{") && !per.contains("}")) {
        String perProm = cleanUp(PER_UNITS.getOrDefault(per, per));
        if (!perProm.isEmpty() && !tokens.contains(perProm)) {
          tokens.add("per");
          tokens.add(perProm);
        }
      }
    }
    if (kind == Kind.SUM && monotonic) {
      tokens.removeIf("total"::equals);
      tokens.add("total");
    }
    if ("1".equals(unit) && kind == Kind.GAUGE) {
      tokens.removeIf("ratio"::equals);
      tokens.add("ratio");
    }
    String joined = String.join("_", tokens);
    return !joined.isEmpty() && Character.isDigit(joined.charAt(0)) ? "_" + joined : joined;
  }

  /** The series Prometheus stores for the metric: the base name, or its histogram and summary parts. */
  public static List<String> seriesNames(String name, String unit, Kind kind, boolean monotonic) {
    String base = metricName(name, unit, kind, monotonic);
    switch (kind) {
      case HISTOGRAM:
      case EXPONENTIAL_HISTOGRAM:
        return List.of(base + "_bucket", base + "_sum", base + "_count");
      case SUMMARY:
        return List.of(base, base + "_sum", base + "_count");
      default:
        return List.of(base);
    }
  }

  /** An attribute key as a label name: {@code memory.namespace} is {@code memory_namespace}. */
  public static String labelName(String attributeKey) {
    if (attributeKey.isEmpty()) {
      return attributeKey;
    }
    StringBuilder label = new StringBuilder(attributeKey.length());
    attributeKey.codePoints().forEach(c -> label.appendCodePoint(Character.isLetterOrDigit(c) ? c : '_'));
    String out = label.toString();
    if (Character.isDigit(out.charAt(0))) {
      return "key_" + out;
    }
    if (out.startsWith("_") && !out.startsWith("__")) {
      return "key" + out;
    }
    return out;
  }

  private static void appendIfAbsent(List<String> tokens, String token) {
    if (!token.isEmpty() && !tokens.contains(token)) {
      tokens.add(token);
    }
  }

  private static String cleanUp(String s) {
    return String.join("_", tokens(s));
  }

  /** The runs of letters and digits, as Go's strings.FieldsFunc splits them. */
  private static String[] tokens(String s) {
    return Arrays.stream(s.split("[^\\p{L}\\p{Nd}]+")).filter(t -> !t.isEmpty()).toArray(String[]::new);
  }
}
