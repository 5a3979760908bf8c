package io.memtrace.agent.config;

import static io.memtrace.agent.config.NumberTypes.integer;
import static io.memtrace.agent.config.NumberTypes.millis;
import static io.memtrace.agent.config.ValueTypes.choice;
import static io.memtrace.agent.config.ValueTypes.choices;
import static io.memtrace.agent.config.ValueTypes.keyValues;
import static io.memtrace.agent.config.ValueTypes.text;
import static io.memtrace.agent.config.ValueTypes.url;

import java.util.List;
import java.util.Map;

/**
 * The standard OpenTelemetry settings memtrace reads, as users know them: each an environment
 * variable ({@code OTEL_TRACES_EXPORTER}) or its system property ({@code -Dotel.traces.exporter},
 * which wins), and each with a memtrace-only twin above both ({@code MEMTRACE_TRACES_EXPORTER},
 * {@code -Dmemtrace.traces.exporter}) that the OpenTelemetry agent never reads. A bad value never
 * switches memtrace off: it is reported, naming the variable and the value, and the default (or
 * the nearest allowed value) is used.
 */
public final class OtelSettings {

  private OtelSettings() {
  }

  /** Traces and metrics, the signals with per-signal OTLP settings. */
  public enum Signal {
    TRACES("traces"), METRICS("metrics");

    /** The path segment of the signal: {@code /v1/traces}. */
    public final String path;

    Signal(String path) {
      this.path = path;
    }
  }

  public static final Setting<String> SERVICE_NAME = Setting.otel("otel.service.name", text("a name"),
      null, "`service.name` of every span and metric; else the one in `OTEL_RESOURCE_ATTRIBUTES`, "
          + "else `unknown_service:java` (the twins first).");

  public static final Setting<Map<String, String>> RESOURCE_ATTRIBUTES = Setting.otel(
      "otel.resource.attributes", keyValues(), "", "Resource attributes, percent-decoded.");

  public static final Setting<List<String>> TRACES_EXPORTER = Setting.otel("otel.traces.exporter",
      choices("otlp", "console", "logging", "none"), "otlp",
      "`console` (or `logging`) prints spans on stderr with the SDK's logging exporter.");

  public static final Setting<List<String>> METRICS_EXPORTER = Setting.otel("otel.metrics.exporter",
      choices("otlp", "console", "logging", "none"), "otlp", "As `OTEL_TRACES_EXPORTER`, for metrics.");

  public static final Setting<Long> METRIC_EXPORT_INTERVAL = Setting.otel("otel.metric.export.interval",
      millis(100, 86_400_000), "60000", "How often metrics are exported.");

  public static final Setting<String> ENDPOINT = Setting.otel("otel.exporter.otlp.endpoint", url(),
      "http://localhost:4318", "`/v1/traces` and `/v1/metrics` are appended.");

  public static final Setting<String> TRACES_ENDPOINT = Setting.otel(
      "otel.exporter.otlp.traces.endpoint", url(), null, "The full traces URL, used as given.");

  public static final Setting<String> METRICS_ENDPOINT = Setting.otel(
      "otel.exporter.otlp.metrics.endpoint", url(), null, "The full metrics URL, used as given.");

  public static final Setting<String> PROTOCOL = Setting.otel("otel.exporter.otlp.protocol",
      choice("http/protobuf", "grpc"), "http/protobuf",
      "memtrace ships `http/protobuf` only: with `grpc` it says so once at start and exports every "
          + "signal over `http/protobuf`, moving an endpoint on port 4317 to 4318.");

  public static final Setting<String> TRACES_PROTOCOL = Setting.otel(
      "otel.exporter.otlp.traces.protocol", choice("http/protobuf", "grpc"), null,
      "As `OTEL_EXPORTER_OTLP_PROTOCOL`, for traces.").inheriting(PROTOCOL);

  public static final Setting<String> METRICS_PROTOCOL = Setting.otel(
      "otel.exporter.otlp.metrics.protocol", choice("http/protobuf", "grpc"), null,
      "As `OTEL_EXPORTER_OTLP_PROTOCOL`, for metrics.").inheriting(PROTOCOL);

  public static final Setting<Map<String, String>> HEADERS = Setting.otel("otel.exporter.otlp.headers",
      keyValues(), "", "HTTP headers of every OTLP request, percent-decoded.");

  public static final Setting<Map<String, String>> TRACES_HEADERS = Setting.otel(
      "otel.exporter.otlp.traces.headers", keyValues(), null,
      "As `OTEL_EXPORTER_OTLP_HEADERS`, for traces.").inheriting(HEADERS);

  public static final Setting<Map<String, String>> METRICS_HEADERS = Setting.otel(
      "otel.exporter.otlp.metrics.headers", keyValues(), null,
      "As `OTEL_EXPORTER_OTLP_HEADERS`, for metrics.").inheriting(HEADERS);

  public static final Setting<String> COMPRESSION = Setting.otel("otel.exporter.otlp.compression",
      choice("gzip", "none"), "none", "Compression of OTLP requests.");

  public static final Setting<String> TRACES_COMPRESSION = Setting.otel(
      "otel.exporter.otlp.traces.compression", choice("gzip", "none"), null,
      "As `OTEL_EXPORTER_OTLP_COMPRESSION`, for traces.").inheriting(COMPRESSION);

  public static final Setting<String> METRICS_COMPRESSION = Setting.otel(
      "otel.exporter.otlp.metrics.compression", choice("gzip", "none"), null,
      "As `OTEL_EXPORTER_OTLP_COMPRESSION`, for metrics.").inheriting(COMPRESSION);

  public static final Setting<Long> TIMEOUT = Setting.otel("otel.exporter.otlp.timeout",
      millis(1, 600_000), "10000", "How long one OTLP request may take.");

  public static final Setting<Long> TRACES_TIMEOUT = Setting.otel("otel.exporter.otlp.traces.timeout",
      millis(1, 600_000), null, "As `OTEL_EXPORTER_OTLP_TIMEOUT`, for traces.").inheriting(TIMEOUT);

  public static final Setting<Long> METRICS_TIMEOUT = Setting.otel("otel.exporter.otlp.metrics.timeout",
      millis(1, 600_000), null, "As `OTEL_EXPORTER_OTLP_TIMEOUT`, for metrics.").inheriting(TIMEOUT);

  public static final Setting<Long> BSP_SCHEDULE_DELAY = Setting.otel("otel.bsp.schedule.delay",
      millis(0, 600_000), "1000", "How long a span may wait for its batch.");

  // the consumer keeps this many span records for good, and up to 8x as many once a batch has
  // grown: the cap keeps a typo from pre-allocating millions of them in the application's heap
  public static final Setting<Integer> BSP_MAX_EXPORT_BATCH_SIZE = Setting.otel(
      "otel.bsp.max.export.batch.size", integer(1, 8192), "512",
      "Spans per export while memtrace keeps up; while it is behind, a batch grows up to 8× this "
          + "(at most 8192). The consumer keeps that many span records.");

  static final List<Setting<?>> ALL = List.of(SERVICE_NAME, RESOURCE_ATTRIBUTES, TRACES_EXPORTER,
      METRICS_EXPORTER, METRIC_EXPORT_INTERVAL, ENDPOINT, TRACES_ENDPOINT, METRICS_ENDPOINT, PROTOCOL,
      TRACES_PROTOCOL, METRICS_PROTOCOL, HEADERS, TRACES_HEADERS, METRICS_HEADERS, COMPRESSION,
      TRACES_COMPRESSION, METRICS_COMPRESSION, TIMEOUT, TRACES_TIMEOUT, METRICS_TIMEOUT,
      BSP_SCHEDULE_DELAY, BSP_MAX_EXPORT_BATCH_SIZE);

  /** The per-signal form of {@link #PROTOCOL}. */
  public static Setting<String> protocol(Signal signal) {
    return signal == Signal.TRACES ? TRACES_PROTOCOL : METRICS_PROTOCOL;
  }

  /** The per-signal full URL, {@code null} unless given. */
  public static Setting<String> endpoint(Signal signal) {
    return signal == Signal.TRACES ? TRACES_ENDPOINT : METRICS_ENDPOINT;
  }

  public static Setting<Map<String, String>> headers(Signal signal) {
    return signal == Signal.TRACES ? TRACES_HEADERS : METRICS_HEADERS;
  }

  public static Setting<String> compression(Signal signal) {
    return signal == Signal.TRACES ? TRACES_COMPRESSION : METRICS_COMPRESSION;
  }

  public static Setting<Long> timeout(Signal signal) {
    return signal == Signal.TRACES ? TRACES_TIMEOUT : METRICS_TIMEOUT;
  }
}
