package io.memtrace.collector.ingest;

import com.google.protobuf.CodedOutputStream;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Response bodies in the encoding of the request. A failure carries a {@code google.rpc.Status}
 * as OTLP/HTTP asks, so exporters can log the message; it is encoded by hand because the OTLP
 * proto artifact does not ship that type.
 */
final class OtlpResponses {

  /** google.rpc.Code values used here. */
  static final int INVALID_ARGUMENT = 3;
  static final int UNAVAILABLE = 14;

  private OtlpResponses() {
  }

  /**
   * An Export*ServiceResponse: empty for a full success, or with a partial success that rejects
   * nothing and carries {@code warning}, which OTLP provides for exactly that.
   */
  static byte[] success(PayloadFormat format, OtlpHandler.Signal signal, String warning) {
    if (warning == null) {
      return format == PayloadFormat.JSON ? "{}".getBytes(StandardCharsets.UTF_8) : new byte[0];
    }
    if (format == PayloadFormat.JSON) {
      StringBuilder json = new StringBuilder("{\"partialSuccess\":{\"errorMessage\":");
      AttributeValues.writeString(json, warning);
      return json.append("}}").toString().getBytes(StandardCharsets.UTF_8);
    }
    return signal == OtlpHandler.Signal.TRACES
        ? ExportTraceServiceResponse.newBuilder().setPartialSuccess(
            ExportTracePartialSuccess.newBuilder().setErrorMessage(warning)).build().toByteArray()
        : ExportMetricsServiceResponse.newBuilder().setPartialSuccess(
            ExportMetricsPartialSuccess.newBuilder().setErrorMessage(warning)).build().toByteArray();
  }

  static byte[] failure(PayloadFormat format, int code, String message) {
    if (format == PayloadFormat.PROTOBUF) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      try {
        out.writeInt32(1, code);
        out.writeString(2, message);
        out.flush();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      return bytes.toByteArray();
    }
    StringBuilder json = new StringBuilder("{\"code\":").append(code).append(",\"message\":");
    AttributeValues.writeString(json, message);
    return json.append('}').toString().getBytes(StandardCharsets.UTF_8);
  }
}
