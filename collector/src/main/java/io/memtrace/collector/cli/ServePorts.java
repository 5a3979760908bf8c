package io.memtrace.collector.cli;

import io.memtrace.collector.CollectorException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The two ports {@code serve} listens on. OTLP's own, 4318 and 4317, are the defaults only while neither is named:
 * whoever moves OTLP/HTTP off 4318 is running this serve beside something else (another serve, an OpenTelemetry
 * Collector), and gRPC left on 4317 would collide with it. So {@code --port} alone puts gRPC on a free port, and the
 * start-up line says which.
 */
final class ServePorts {

  private static final String OTLP_HTTP_PORT = "4318";
  private static final int OTLP_GRPC_PORT = 4317;

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  @Option(names = "--port", paramLabel = "PORT", defaultValue = OTLP_HTTP_PORT,
      description = "Port of OTLP/HTTP, the API (/api/*) and the web view (default: ${DEFAULT-VALUE}, the OTLP/HTTP port).")
  int http;

  @Option(names = "--grpc-port", paramLabel = "PORT|off",
      description = "OTLP/gRPC port; 0 picks a free one, `off` turns the gRPC receiver off. Default: "
          + OTLP_GRPC_PORT + ", the OTLP/gRPC port, when --port is not given either; with --port, a free port, so "
          + "that two serves, or a serve and an OpenTelemetry Collector, never meet on " + OTLP_GRPC_PORT
          + ". The start-up line names the port.")
  String grpc;

  int http() {
    return http;
  }

  /** The OTLP/gRPC port to bind (0: any free one), or null for no receiver. */
  Integer grpc() {
    if (grpc == null) {
      return httpGiven() ? 0 : OTLP_GRPC_PORT;
    }
    if (grpc.equalsIgnoreCase("off")) {
      return null;
    }
    try {
      int n = Integer.parseInt(grpc.trim());
      if (n >= 0 && n <= 65535) {
        return n;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new CollectorException("--grpc-port must be a port number (0 to 65535) or off, got '" + grpc + "'");
  }

  /** The start-up line's words on OTLP/gRPC, once {@code bound} (-1: none). */
  String describeGrpc(String bind, int bound) {
    if (bound < 0) {
      return "; no OTLP/gRPC (--grpc-port off)";
    }
    String chosen = "";
    if (grpc == null && httpGiven()) {
      chosen = " (a free port: --port was given without --grpc-port)";
    } else if (grpc != null && grpc.trim().equals("0")) {
      chosen = " (a free port)";
    }
    return " and OTLP/gRPC on " + bind + ":" + bound + chosen;
  }

  private boolean httpGiven() {
    return command.commandLine().getParseResult().hasMatchedOption("--port");
  }
}
