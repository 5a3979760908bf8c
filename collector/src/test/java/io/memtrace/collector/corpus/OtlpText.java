package io.memtrace.collector.corpus;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * OTLP JSON written by hand for the corpus, so that it can hold what no encoder writes: escapes
 * of lone surrogates, raw bytes that are not UTF-8, numbers past 64 bits. Arguments are JSON
 * fragments, inserted as they are.
 */
final class OtlpText {

  static final String START = "\"1732089600000000000\"";
  static final String END = "\"1732089600012000000\"";

  private OtlpText() {
  }

  static String str(String escapedText) {
    return "{\"stringValue\":\"" + escapedText + "\"}";
  }

  static String kv(String escapedKey, String value) {
    return "{\"key\":\"" + escapedKey + "\",\"value\":" + value + "}";
  }

  /** A span of trace {@code trace}; {@code fields} are more JSON members, such as attributes or events. */
  static String span(String trace, String name, String start, String end, String fields) {
    return "{\"traceId\":\"" + trace + "\",\"spanId\":\"" + (trace.length() == 32 ? trace.substring(16) : "")
        + "\",\"name\":\"" + name + "\""
        + (start == null ? "" : ",\"startTimeUnixNano\":" + start) + (end == null ? "" : ",\"endTimeUnixNano\":" + end)
        + (fields.isEmpty() ? "" : "," + fields) + "}";
  }

  static String span(String trace, String name, String fields) {
    return span(trace, name, START, END, fields);
  }

  static String attributes(String... kvs) {
    return "\"attributes\":[" + String.join(",", kvs) + "]";
  }

  static String tracesWith(String resourceAttributes, String scope, String... spans) {
    return "{\"resourceSpans\":[{\"resource\":{\"attributes\":[" + resourceAttributes + "]},\"scopeSpans\":[{\"scope\":"
        + "{\"name\":\"" + scope + "\"},\"spans\":[" + String.join(",", spans) + "]}]}]}";
  }

  static String traces(String... spans) {
    return tracesWith(kv("service.name", str("corpus")), "corpus", spans);
  }

  /** A gauge of one point; {@code point} holds more members of the data point. */
  static String gauge(String resourceAttributes, String name, String fields, String point) {
    return "{\"resourceMetrics\":[{\"resource\":{\"attributes\":[" + resourceAttributes + "]},\"scopeMetrics\":[{"
        + "\"scope\":{\"name\":\"corpus\"},\"metrics\":[{\"name\":\"" + name + "\"" + (fields.isEmpty() ? "" : "," + fields)
        + ",\"gauge\":{\"dataPoints\":[{\"asDouble\":1.5" + (point.isEmpty() ? "" : "," + point) + "}]}}]}]}]}";
  }

  static String gauge(String name, String point) {
    return gauge(kv("service.name", str("corpus")), name, "", "\"timeUnixNano\":" + START
        + (point.isEmpty() ? "" : "," + point));
  }

  static byte[] utf8(String json) {
    return json.getBytes(StandardCharsets.UTF_8);
  }

  /** {@code data} with the bytes of the (only) occurrence of {@code marker} replaced by {@code hex}, same length. */
  static byte[] patch(byte[] data, String marker, String hex) {
    HexFormat h = HexFormat.of();
    String all = h.formatHex(data);
    String m = h.formatHex(marker.getBytes(StandardCharsets.UTF_8));
    int at = all.indexOf(m);
    if (at < 0 || at % 2 != 0 || all.indexOf(m, at + 1) >= 0 || hex.length() != m.length()) {
      throw new IllegalArgumentException("marker " + marker + " not found once, or the patch changes the length");
    }
    return h.parseHex(all.substring(0, at) + hex + all.substring(at + m.length()));
  }
}
