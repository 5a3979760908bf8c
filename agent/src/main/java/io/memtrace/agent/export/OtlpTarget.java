package io.memtrace.agent.export;

import io.memtrace.agent.config.MemtraceConfig;
import io.memtrace.agent.config.OtelSettings;
import io.memtrace.agent.config.OtelSettings.Signal;
import io.memtrace.agent.config.Setting;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where and how one signal goes over OTLP/HTTP: the URL, headers, compression and timeout from the
 * general settings and their per-signal forms. The one place that applies memtrace's protocol
 * rule to every signal alike: memtrace ships {@code http/protobuf} only, so a {@code grpc} signal
 * is sent over {@code http/protobuf}, an endpoint on the gRPC port 4317 moved to 4318.
 */
public final class OtlpTarget {

  static final int GRPC_PORT = 4317;
  static final int HTTP_PORT = 4318;

  public final Signal signal;
  public final String endpoint;
  public final Map<String, String> headers;
  public final boolean gzip;
  public final Duration timeout;

  private OtlpTarget(Signal signal, String endpoint, Map<String, String> headers, boolean gzip,
      Duration timeout) {
    this.signal = signal;
    this.endpoint = endpoint;
    this.headers = headers;
    this.gzip = gzip;
    this.timeout = timeout;
  }

  /** The target of {@code signal}. */
  public static OtlpTarget of(MemtraceConfig config, Signal signal) {
    Setting<String> full = OtelSettings.endpoint(signal);
    String endpoint = config.get(full);
    // MEMTRACE_EXPORTER_OTLP_ENDPOINT outranks OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: it was written for memtrace alone
    if (endpoint == null || config.givenForMemtraceOnly(OtelSettings.ENDPOINT)
        && !config.givenForMemtraceOnly(full)) {
      String base = config.get(OtelSettings.ENDPOINT);
      while (base.endsWith("/")) {
        base = base.substring(0, base.length() - 1);
      }
      endpoint = base + "/v1/" + signal.path;
    }
    if (asksForGrpc(config, signal)) {
      endpoint = grpcPortToHttp(endpoint);
    }
    return new OtlpTarget(signal, endpoint, config.get(OtelSettings.headers(signal)),
        config.get(OtelSettings.compression(signal)).equals("gzip"),
        Duration.ofMillis(config.get(OtelSettings.timeout(signal))));
  }

  /**
   * What to say once at start when a signal exported over OTLP asks for gRPC, naming where each
   * such signal goes instead; {@code null} when none does.
   */
  public static String protocolNotice(MemtraceConfig config) {
    List<String> moved = new ArrayList<>();
    Setting<String> asked = null;
    for (Signal signal : Signal.values()) {
      List<String> exporters = config.get(signal == Signal.TRACES ? OtelSettings.TRACES_EXPORTER
          : OtelSettings.METRICS_EXPORTER);
      if (exporters.contains("otlp") && asksForGrpc(config, signal)) {
        moved.add(signal.path + " to " + of(config, signal).endpoint);
        asked = asked != null ? asked : OtelSettings.protocol(signal);
      }
    }
    if (asked == null) {
      return null;
    }
    // named as the user gave it: the OpenTelemetry form, or memtrace's twin (MEMTRACE_EXPORTER_OTLP_PROTOCOL)
    String protocol = config.givenAs(asked) != null ? config.givenAs(asked) : asked.environmentName();
    boolean twin = config.givenForMemtraceOnly(asked);
    String endpoint = twin ? OtelSettings.ENDPOINT.twinEnvironmentName() : OtelSettings.ENDPOINT.environmentName();
    return protocol + "=grpc is not available in memtrace (the gRPC stack would "
        + "triple the agent's size); exporting with http/protobuf instead: " + String.join(", ", moved)
        + ". Point " + endpoint + " at the collector's OTLP/HTTP port (" + HTTP_PORT
        + ") and set " + protocol + "=http/protobuf to silence this message.";
  }

  private static boolean asksForGrpc(MemtraceConfig config, Signal signal) {
    return "grpc".equals(config.get(OtelSettings.protocol(signal)));
  }

  /** A gRPC endpoint on the conventional 4317 is moved to the conventional HTTP port 4318. */
  static String grpcPortToHttp(String endpoint) {
    try {
      URI uri = URI.create(endpoint);
      if (uri.getPort() == GRPC_PORT) {
        return new URI(uri.getScheme(), uri.getUserInfo(), uri.getHost(), HTTP_PORT, uri.getPath(),
            uri.getQuery(), uri.getFragment()).toString();
      }
    } catch (Exception e) {
      // the endpoint was validated as a URL; keep it as given if it still cannot be rebuilt
    }
    return endpoint;
  }

  @Override
  public String toString() {
    return signal.path + " to " + endpoint;
  }
}
