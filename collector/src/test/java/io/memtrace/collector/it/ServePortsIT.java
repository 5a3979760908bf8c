package io.memtrace.collector.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.memtrace.collector.SpanFixtures;
import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.Ports;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.io.Closeable;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two {@code serve}s on one host, each given only its own --port, while something else (a local OpenTelemetry
 * Collector, say) holds 4317: both start, each names a gRPC port of its own, and each stores what was sent to it.
 */
class ServePortsIT {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void shouldRunTwoServesSideBySideEachReceivingItsOwnSpansOverHttpAndGrpc() throws Exception {
    Path dir = Files.createDirectories(BuildPaths.IT_WORK.resolve("serve-ports-" + System.nanoTime()));
    try (Closeable otlpGrpcTaken = Ports.taken(4317);
        CollectorProcess first = CollectorProcess.serve(dir.resolve("first"));
        CollectorProcess second = CollectorProcess.serve(dir.resolve("second"))) {
      int firstGrpc = first.grpcPort();
      int secondGrpc = second.grpcPort();
      assertThat(firstGrpc).isNotIn(4317, secondGrpc, first.port, second.port);
      assertThat(secondGrpc).isNotIn(4317, first.port, second.port);
      assertThat(first.stderr()).contains("OTLP/gRPC on 127.0.0.1:" + firstGrpc
          + " (a free port: --port was given without --grpc-port)");

      send(first, firstGrpc, "00000000000000000000000000000a01", "00000000000000000000000000000a02");
      send(second, secondGrpc, "00000000000000000000000000000b01", "00000000000000000000000000000b02");

      assertThat(spansByTrace(first)).containsExactly(
          Map.entry("00000000000000000000000000000a01", 2L), Map.entry("00000000000000000000000000000a02", 3L));
      assertThat(spansByTrace(second)).containsExactly(
          Map.entry("00000000000000000000000000000b01", 2L), Map.entry("00000000000000000000000000000b02", 3L));
    }
  }

  /** Two spans over OTLP/HTTP on serve's --port, three over OTLP/gRPC on the port its start-up line named. */
  private static void send(CollectorProcess serve, int grpcPort, String overHttp, String overGrpc) throws Exception {
    HttpResponse<String> http = serve.post("/v1/traces", "application/x-protobuf", null,
        SpanFixtures.storeTrace("side-by-side", overHttp, 2).toByteArray());
    assertThat(http.statusCode()).as(http.body()).isEqualTo(200);
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
    try {
      ExportTraceServiceRequest request = SpanFixtures.storeTrace("side-by-side", overGrpc, 3);
      TraceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS).export(request);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static Map<String, Long> spansByTrace(CollectorProcess serve) throws Exception {
    HttpResponse<String> response = serve.post("/api/query", "application/sql", null,
        "SELECT trace_id, count(*) FROM spans GROUP BY trace_id ORDER BY trace_id".getBytes(StandardCharsets.UTF_8));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    Map<String, Long> counts = new LinkedHashMap<>();
    for (JsonNode row : MAPPER.readTree(response.body()).path("rows")) {
      counts.put(row.get(0).asText(), row.get(1).asLong());
    }
    return counts;
  }
}
