package io.memtrace.collector.ingest;

import com.google.protobuf.Message;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.memtrace.collector.forward.Forwarder;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;

/**
 * OTLP/gRPC's {@code TraceService/Export} and {@code MetricsService/Export}, on the same ingest path as
 * OTLP/HTTP ({@link OtlpIngest}): the answer is OK only after the store committed. The request is taken
 * as raw bytes, not through the generated message parser, so that it is decoded exactly as an HTTP body
 * is, invalid UTF-8 repaired and all. Work runs on the ingest lane; a full lane answers
 * RESOURCE_EXHAUSTED at once, which OTLP exporters retry, as HTTP's 503.
 */
public final class OtlpGrpcService {

  /** A message as its bytes, as they came (after gzip, if any): how the services take their requests. */
  public static final MethodDescriptor.Marshaller<byte[]> RAW = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new java.io.ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };

  private final Executor lane;
  private final Forwarder forwarder;

  public OtlpGrpcService(Executor lane, Forwarder forwarder) {
    this.lane = lane;
    this.forwarder = forwarder;
  }

  public ServerServiceDefinition traces(OtlpIngest ingest) {
    return service(TraceServiceGrpc.SERVICE_NAME, TraceServiceGrpc.getExportMethod(),
        ExportTraceServiceResponse.getDefaultInstance(), ingest, "/v1/traces",
        warning -> ExportTraceServiceResponse.newBuilder().setPartialSuccess(
            ExportTracePartialSuccess.newBuilder().setErrorMessage(warning)).build());
  }

  public ServerServiceDefinition metrics(OtlpIngest ingest) {
    return service(MetricsServiceGrpc.SERVICE_NAME, MetricsServiceGrpc.getExportMethod(),
        ExportMetricsServiceResponse.getDefaultInstance(), ingest, "/v1/metrics",
        warning -> ExportMetricsServiceResponse.newBuilder().setPartialSuccess(
            ExportMetricsPartialSuccess.newBuilder().setErrorMessage(warning)).build());
  }

  /** The generated method's name and response type, with the request taken {@link #RAW}. */
  private <R extends Message> ServerServiceDefinition service(String name, MethodDescriptor<?, R> generated, R ok,
      OtlpIngest ingest, String path, Function<String, R> partial) {
    MethodDescriptor<byte[], R> export = generated.toBuilder(RAW, ProtoUtils.marshaller(ok)).build();
    Function<String, R> answer = warning -> warning == null ? ok : partial.apply(warning);
    return ServerServiceDefinition.builder(name)
        .addMethod(export, ServerCalls.asyncUnaryCall((bytes, reply) -> submit(ingest, path, bytes, reply, answer)))
        .build();
  }

  private <R extends Message> void submit(OtlpIngest ingest, String path, byte[] bytes, StreamObserver<R> reply,
      Function<String, R> answer) {
    long received = System.nanoTime();
    try {
      lane.execute(() -> export(ingest, path, bytes, reply, answer, received));
    } catch (RejectedExecutionException full) {
      ingest.stats().requests.incrementAndGet();
      reply.onError(Status.RESOURCE_EXHAUSTED.withDescription("the collector is busy with other requests; retry")
          .asRuntimeException());
    }
  }

  private <R extends Message> void export(OtlpIngest ingest, String path, byte[] bytes, StreamObserver<R> reply,
      Function<String, R> answer, long received) {
    IngestStats stats = ingest.stats();
    stats.requests.incrementAndGet();
    try {
      String warning = ingest.store(PayloadFormat.PROTOBUF, bytes);
      if (forwarder != null) {
        if (ingest.signal() == OtlpHandler.Signal.TRACES) {
          ValueForwarding.offer(forwarder, path, PayloadFormat.PROTOBUF, null, bytes, bytes);
        } else {
          forwarder.offer(path, PayloadFormat.PROTOBUF.contentType(), null, bytes);
        }
      }
      reply.onNext(answer.apply(warning));
      reply.onCompleted();
      if (ingest.signal() == OtlpHandler.Signal.TRACES) {
        stats.ackLatency.record(System.nanoTime() - received);
      }
    } catch (PayloadException e) {
      stats.rejected.incrementAndGet();
      reply.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
    } catch (OtlpIngest.StoreUnavailable e) {
      stats.storeFailures.incrementAndGet();
      reply.onError(Status.UNAVAILABLE.withDescription(e.getMessage()).asRuntimeException());
    } catch (RuntimeException | Error e) {
      reply.onError(Status.INTERNAL.withDescription("the collector failed on this request: " + e).asRuntimeException());
      throw e;
    }
  }
}
