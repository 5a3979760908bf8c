package io.memtrace.agent.export;

import io.memtrace.agent.util.AgentLog;
import io.opentelemetry.exporter.logging.LoggingSpanExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.URI;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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

    /** An SDK exporter under a name (also how tests put a stand-in exporter behind the dispatcher). */
    public Named(String name, SpanExporter exporter) {
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
    return new OtlpHttpTraceExporter(endpoint, OtlpOptions.headers(settings, "traces"),
        OtlpOptions.gzip(settings, "traces"), OtlpOptions.timeout(settings, "traces"));
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
}
