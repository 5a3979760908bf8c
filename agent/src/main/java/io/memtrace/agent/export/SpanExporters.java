package io.memtrace.agent.export;

import io.memtrace.agent.config.MemtraceConfig;
import io.memtrace.agent.config.OtelSettings;
import io.memtrace.agent.config.Settings;
import io.memtrace.agent.util.AgentLog;
import io.opentelemetry.exporter.logging.LoggingSpanExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the span exporters the settings ask for: {@code OTEL_TRACES_EXPORTER} (otlp, console,
 * none) plus the OTLP-JSON file of {@code MEMTRACE_TRACES_FILE}, whatever the former says.
 */
public final class SpanExporters {

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

  /** The exporters {@code OTEL_TRACES_EXPORTER} and {@code MEMTRACE_TRACES_FILE} ask for. */
  public static List<Named> create(MemtraceConfig config) {
    List<Named> exporters = new ArrayList<>();
    for (String kind : config.get(OtelSettings.TRACES_EXPORTER)) {
      switch (kind) {
        case "otlp":
          OtlpTarget target = OtlpTarget.of(config, OtelSettings.Signal.TRACES);
          exporters.add(new Named("otlp", new OtlpHttpTraceExporter(target.endpoint, target.headers,
              target.gzip, target.timeout, config.get(Settings.EXPORT_MAX_IN_FLIGHT))));
          break;
        case "console":
        case "logging":
          exporters.add(new Named("console", LoggingSpanExporter.create()));
          break;
        default: // none
          break;
      }
    }
    String file = config.get(Settings.TRACES_FILE);
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
}
