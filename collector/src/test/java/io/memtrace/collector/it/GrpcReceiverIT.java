package io.memtrace.collector.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.memtrace.collector.SpanFixtures;
import io.memtrace.collector.ingest.OtlpGrpcService;
import io.memtrace.testsupport.ForkedJvm;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code serve}'s OTLP/gRPC receiver, asked by grpc-java's own client over a real socket. */
class GrpcReceiverIT {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  /** The trace service's Export with the request as raw bytes: what a broken or hostile sender can put on the wire. */
  private static final MethodDescriptor<byte[], byte[]> RAW_EXPORT = TraceServiceGrpc.getExportMethod()
      .toBuilder(OtlpGrpcService.RAW, OtlpGrpcService.RAW).build();

  @RegisterExtension
  static final ServedCollector SERVED = new ServedCollector("grpc-it", "--max-body", "1MiB");
  static ManagedChannel channel;

  @BeforeAll
  static void start() throws Exception {
    channel = NettyChannelBuilder.forAddress("127.0.0.1", SERVED.process().grpcPort()).usePlaintext().build();
  }

  @AfterAll
  static void stop() throws Exception {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void shouldStoreTracesExportedOverGrpcBeforeAnsweringOk() throws Exception {
    TraceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS).export(SpanFixtures.seedTrace());
    assertThat(count("spans", "trace_id = '" + SpanFixtures.SEED_TRACE + "'")).as("stored when acknowledged")
        .isEqualTo(12);

    // gzip, as exporters send it by default
    ExportTraceServiceRequest other = SpanFixtures.storeTrace("grpc", "0000000000000000000000000000abcd", 3);
    TraceServiceGrpc.newBlockingStub(channel).withCompression("gzip").export(other);
    assertThat(count("spans", "trace_id = '0000000000000000000000000000abcd'")).isEqualTo(3);
  }

  @Test
  void shouldStoreMetricsExportedOverGrpc() throws Exception {
    Metric gauge = Metric.newBuilder().setName("memtrace.grpc.it").setGauge(Gauge.newBuilder().addDataPoints(
        NumberDataPoint.newBuilder().setTimeUnixNano(SpanFixtures.T0).setAsInt(7))).build();
    MetricsServiceGrpc.newBlockingStub(channel).export(ExportMetricsServiceRequest.newBuilder().addResourceMetrics(
        ResourceMetrics.newBuilder().addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(gauge))).build());
    assertThat(count("metrics", "name = 'memtrace.grpc.it'")).isEqualTo(1);
  }

  @Test
  void shouldRefuseAMalformedMessageWithInvalidArgumentAndKeepServing() throws Exception {
    long before = count("spans", "true");
    byte[] garbage = "not a protobuf message at all \u00ff\u00fe".getBytes(StandardCharsets.ISO_8859_1);
    assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, RAW_EXPORT, CallOptions.DEFAULT, garbage))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription()).contains("malformed protobuf");
        });
    assertThat(count("spans", "true")).as("nothing stored, nothing lost").isEqualTo(before);

    ExportTraceServiceRequest after = SpanFixtures.storeTrace("grpc", "0000000000000000000000000000beef", 2);
    TraceServiceGrpc.newBlockingStub(channel).export(after);
    assertThat(count("spans", "trace_id = '0000000000000000000000000000beef'")).isEqualTo(2);
  }

  @Test
  void shouldRefuseAMessageOverTheBodyLimitWithResourceExhausted() throws Exception {
    byte[] big = new byte[2 << 20];
    assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, RAW_EXPORT, CallOptions.DEFAULT, big))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
  }

  @Test
  void shouldSayWhichPortIsInUseAndExit() throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      ForkedJvm.Result result = CollectorProcess.run("serve", "--port", "0", "--grpc-port",
          String.valueOf(taken.getLocalPort()), "--data", SERVED.dir().resolve("busy").toString());
      assertThat(result.exitCode).as(result.toString()).isNotZero();
      assertThat(result.stderr).contains("OTLP/gRPC port " + taken.getLocalPort()).contains("in use")
          .contains("--grpc-port");
    }
  }

  private static long count(String table, String where) throws Exception {
    HttpResponse<String> response = SERVED.process().post("/api/query", "application/sql", null,
        ("SELECT count(*) AS n FROM " + table + " WHERE " + where).getBytes(StandardCharsets.UTF_8));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return MAPPER.readTree(response.body()).at("/rows/0/0").asLong();
  }
}
