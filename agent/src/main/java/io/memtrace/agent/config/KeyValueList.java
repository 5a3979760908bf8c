package io.memtrace.agent.config;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one parser of {@code k1=v1,k2=v2} lists, as {@code OTEL_RESOURCE_ATTRIBUTES} and
 * {@code OTEL_EXPORTER_OTLP_HEADERS} write them: entries split on commas, key and value split on
 * the first {@code =}, both trimmed and percent-decoded as the OpenTelemetry specification says.
 */
public final class KeyValueList {

  private final Map<String, String> entries;
  private final List<String> rejected;

  private KeyValueList(Map<String, String> entries, List<String> rejected) {
    this.entries = entries;
    this.rejected = rejected;
  }

  /** Parses {@code text}; an entry without a key and {@code =} is kept aside in {@link #rejected}. */
  public static KeyValueList parse(String text) {
    Map<String, String> entries = new LinkedHashMap<>();
    List<String> rejected = new ArrayList<>();
    for (String entry : text.split(",")) {
      if (entry.trim().isEmpty()) {
        continue;
      }
      int eq = entry.indexOf('=');
      String key = eq < 0 ? "" : decode(entry.substring(0, eq).trim());
      if (key == null || key.isEmpty()) {
        rejected.add(entry.trim());
        continue;
      }
      String value = decode(entry.substring(eq + 1).trim());
      if (value == null) {
        rejected.add(entry.trim());
        continue;
      }
      entries.put(key, value);
    }
    return new KeyValueList(entries, rejected);
  }

  /** The valid entries, in the order written. */
  public Map<String, String> entries() {
    return Collections.unmodifiableMap(entries);
  }

  /** Entries that are not {@code key=value} or not validly percent-encoded. */
  public List<String> rejected() {
    return List.copyOf(rejected);
  }

  private static String decode(String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null; // a stray '%' that is not an escape
    }
  }
}
