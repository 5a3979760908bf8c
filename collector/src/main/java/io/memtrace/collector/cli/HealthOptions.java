package io.memtrace.collector.cli;

import java.net.URI;
import picocli.CommandLine.Option;

/**
 * The options of {@code serve} for the memory health gauges, which it measures off the ingest path: from its own
 * store, or with {@code --clickhouse} from the fleet's ClickHouse.
 */
final class HealthOptions {

  @Option(names = "--health-interval", paramLabel = "DURATION", defaultValue = "5m",
      description = "How often the memory health gauges (memory.health.*, memory.ttl.missing) are measured and "
          + "exported, off the ingest path; at least 1s, 0 for never (default: ${DEFAULT-VALUE}).")
  String interval;

  @Option(names = "--health-to", paramLabel = "URL",
      description = "Send the memory health gauges to this OTLP/HTTP endpoint rather than to --forward (with "
          + "--clickhouse too), and keep "
          + "them only there: for a serve that is the sink of an OpenTelemetry Collector (the Compose stack), where "
          + "--forward would send every payload round again and the gauges come back through the Collector's metrics "
          + "pipeline, to be stored once.")
  URI to;

  @Option(names = "--health-window", paramLabel = "DURATION", defaultValue = "1h",
      description = "The memory calls each health measurement reads: those that started this long before it, which "
          + "bounds its cost (default: ${DEFAULT-VALUE}).")
  String window;

  /** Refuses an endpoint the gauges cannot be sent to, before anything starts. */
  void check() {
    Units.requireHttp("--health-to", to);
  }

  /** Milliseconds between measurements; 0 or less: never measured. */
  long intervalMillis() {
    return Units.duration("--health-interval", interval).toMillis();
  }

  /** The period between measurements, for a meter: at least a second. */
  long periodMillis() {
    return Math.max(1_000, intervalMillis());
  }

  long windowMillis() {
    return Units.duration("--health-window", window).toMillis();
  }
}
