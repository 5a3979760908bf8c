package io.memtrace.agent.export;

import io.memtrace.agent.util.AgentLog;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The OTLP exporter settings shared by spans and metrics: {@code OTEL_EXPORTER_OTLP_HEADERS},
 * {@code …_COMPRESSION} and {@code …_TIMEOUT}, each also in its per-signal form
 * ({@code OTEL_EXPORTER_OTLP_TRACES_HEADERS}, …), which wins, as in the OpenTelemetry SDK.
 */
final class OtlpOptions {

  private OtlpOptions() {
  }

  /** @param signal {@code traces} or {@code metrics} */
  static Map<String, String> headers(OtelSettings settings, String signal) {
    Map<String, String> headers = new LinkedHashMap<>();
    String given = settings.get("otel.exporter.otlp." + signal + ".headers", settings.get("otel.exporter.otlp.headers"));
    if (given != null) {
      for (String pair : given.split(",")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          headers.put(decode(pair.substring(0, eq).trim()), decode(pair.substring(eq + 1).trim()));
        }
      }
    }
    return headers;
  }

  static boolean gzip(OtelSettings settings, String signal) {
    String compression = settings.get("otel.exporter.otlp." + signal + ".compression",
        settings.get("otel.exporter.otlp.compression", "none")).trim().toLowerCase(Locale.ROOT);
    if (!compression.equals("gzip") && !compression.equals("none")) {
      AgentLog.warnOnce("compression-" + signal, "OTEL_EXPORTER_OTLP_COMPRESSION=" + compression
          + " is not supported (use gzip or none); " + signal + " are sent uncompressed", null);
    }
    return compression.equals("gzip");
  }

  static Duration timeout(OtelSettings settings, String signal) {
    return Duration.ofMillis(settings.millis("otel.exporter.otlp." + signal + ".timeout",
        settings.millis("otel.exporter.otlp.timeout", 10_000)));
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
