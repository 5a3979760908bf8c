package io.memtrace.agent.export;

import io.memtrace.agent.util.AgentLog;
import io.opentelemetry.exporter.logging.LoggingSpanExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the span exporters the settings ask for: {@code OTEL_TRACES_EXPORTER} (otlp, console,
 * none) plus the OTLP-JSON file of {@code MEMTRACE_TRACES_FILE}, whatever the former says.
 */
public final class SpanExporters {

  static final String DEFAULT_ENDPOINT = "http://localhost:4318";

  private SpanExporters() {
  }

  /**
   * A named exporter, so messages and counters can say which one failed: either memtrace's own
   * OTLP exporter, which encodes the consumer's records directly, or an SDK exporter that takes
   * {@code SpanData} (console, file).
   */
  public static final class Named {
    public final String name;
    public final SpanExporter exporter;
    public final OtlpHttpTraceExporter otlp;

    Named(String name, SpanExporter exporter) {
      this.name = name;
      this.exporter = exporter;
      this.otlp = null;
    }

    Named(String name, OtlpHttpTraceExporter otlp) {
      this.name = name;
      this.exporter = null;
      this.otlp = otlp;
    }
  }

  public static List<Named> create(OtelSettings settings) {
    List<Named> exporters = new ArrayList<>();
    String kinds = settings.get("otel.traces.exporter", "otlp");
    for (String raw : kinds.split(",")) {
      String kind = raw.trim().toLowerCase(Locale.ROOT);
      switch (kind) {
        case "otlp":
          exporters.add(new Named("otlp", otlp(settings)));
          break;
        case "console":
        case "logging":
          exporters.add(new Named("console", LoggingSpanExporter.create()));
          break;
        case "none":
        case "":
          break;
        default:
          AgentLog.warn("OTEL_TRACES_EXPORTER '" + kind + "' is not supported by memtrace "
              + "(use otlp, console or none); it is ignored");
      }
    }
    String file = settings.memtrace("MEMTRACE_TRACES_FILE");
    if (file != null) {
      try {
        exporters.add(new Named("file", new OtlpJsonFileSpanExporter(Paths.get(file))));
      } catch (Exception e) {
        AgentLog.warn("MEMTRACE_TRACES_FILE '" + file + "' cannot be opened for appending (" + e
            + "); spans are not written to a file");
      }
    }
    return exporters;
  }

  private static OtlpHttpTraceExporter otlp(OtelSettings settings) {
    String protocol = settings.get("otel.exporter.otlp.traces.protocol",
        settings.get("otel.exporter.otlp.protocol", "http/protobuf"));
    String endpoint = tracesEndpoint(settings);
    if (!protocol.equals("http/protobuf")) {
      if (protocol.equals("grpc")) {
        endpoint = grpcPortToHttp(endpoint);
        AgentLog.warn("OTEL_EXPORTER_OTLP_PROTOCOL=grpc is not available in memtrace (the gRPC "
            + "stack would triple the agent's size); exporting with http/protobuf to " + endpoint
            + " instead. Point OTEL_EXPORTER_OTLP_ENDPOINT at the collector's OTLP/HTTP port "
            + "(4318) and set OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf to silence this message.");
      } else {
        AgentLog.warn("OTEL_EXPORTER_OTLP_PROTOCOL=" + protocol + " is not supported by memtrace; "
            + "exporting with http/protobuf to " + endpoint);
      }
    }
    long timeout = settings.millis("otel.exporter.otlp.traces.timeout",
        settings.millis("otel.exporter.otlp.timeout", 10_000));
    String compression = settings.get("otel.exporter.otlp.traces.compression",
        settings.get("otel.exporter.otlp.compression", "none")).trim().toLowerCase(Locale.ROOT);
    if (!compression.equals("gzip") && !compression.equals("none")) {
      AgentLog.warn("OTEL_EXPORTER_OTLP_COMPRESSION=" + compression + " is not supported (use gzip or none); "
          + "spans are sent uncompressed");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    String given = settings.get("otel.exporter.otlp.traces.headers",
        settings.get("otel.exporter.otlp.headers"));
    if (given != null) {
      for (String pair : given.split(",")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          headers.put(decode(pair.substring(0, eq).trim()), decode(pair.substring(eq + 1).trim()));
        }
      }
    }
    return new OtlpHttpTraceExporter(endpoint, headers, compression.equals("gzip"), Duration.ofMillis(timeout));
  }

  /** The full traces URL: the signal-specific endpoint as given, or the base plus {@code /v1/traces}. */
  static String tracesEndpoint(OtelSettings settings) {
    String specific = settings.get("otel.exporter.otlp.traces.endpoint");
    if (specific != null) {
      return specific;
    }
    String base = settings.get("otel.exporter.otlp.endpoint", DEFAULT_ENDPOINT);
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return base + "/v1/traces";
  }

  /** A gRPC endpoint on the conventional 4317 is moved to the conventional HTTP port 4318. */
  static String grpcPortToHttp(String endpoint) {
    try {
      URI uri = URI.create(endpoint);
      if (uri.getPort() == 4317) {
        return new URI(uri.getScheme(), uri.getUserInfo(), uri.getHost(), 4318, uri.getPath(),
            uri.getQuery(), uri.getFragment()).toString();
      }
    } catch (Exception e) {
      // keep the endpoint as given; the exporter will report it
    }
    return endpoint;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
