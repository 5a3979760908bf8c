package io.memtrace.testsupport;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * OTLP protobuf requests read back: what {@link OtlpSink} decodes, and the two questions tests ask of a
 * span. Only this class needs opentelemetry-proto, so a sink that is only asked for raw requests runs
 * without it.
 */
public final class OtlpProtobuf {

  private OtlpProtobuf() {
  }

  /** An attribute's value as text ({@code "5"} for the integer 5), or {@code null} when the span has none. */
  public static String attribute(Span span, String key) {
    for (KeyValue kv : span.getAttributesList()) {
      if (kv.getKey().equals(key)) {
        return text(kv.getValue());
      }
    }
    return null;
  }

  /** An event attribute's value as text, or {@code null} when the event has none. */
  public static String attribute(Span.Event event, String key) {
    for (KeyValue kv : event.getAttributesList()) {
      if (kv.getKey().equals(key)) {
        return text(kv.getValue());
      }
    }
    return null;
  }

  /** Trace and span ids as lower-case hex, as W3C headers and OTLP/JSON write them. */
  public static String hex(ByteString bytes) {
    StringBuilder text = new StringBuilder();
    for (byte b : bytes.toByteArray()) {
      text.append(String.format("%02x", b));
    }
    return text.toString();
  }

  private static String text(AnyValue value) {
    switch (value.getValueCase()) {
      case INT_VALUE:
        return Long.toString(value.getIntValue());
      case BOOL_VALUE:
        return Boolean.toString(value.getBoolValue());
      case DOUBLE_VALUE:
        return Double.toString(value.getDoubleValue());
      default:
        return value.getStringValue();
    }
  }

  static List<Span> spans(List<byte[]> bodies, Predicate<String> scope) {
    List<Span> out = new ArrayList<>();
    for (byte[] body : bodies) {
      for (ResourceSpans rs : traces(body).getResourceSpansList()) {
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          if (scope.test(ss.getScope().getName())) {
            out.addAll(ss.getSpansList());
          }
        }
      }
    }
    return out;
  }

  static List<String> serviceNames(List<byte[]> bodies) {
    List<String> out = new ArrayList<>();
    for (byte[] body : bodies) {
      for (ResourceSpans rs : traces(body).getResourceSpansList()) {
        for (KeyValue kv : rs.getResource().getAttributesList()) {
          if (kv.getKey().equals("service.name")) {
            out.add(kv.getValue().getStringValue());
          }
        }
      }
    }
    return out;
  }

  static List<String> metricNames(List<byte[]> bodies) {
    List<String> out = new ArrayList<>();
    for (byte[] body : bodies) {
      try {
        for (ResourceMetrics rm : ExportMetricsServiceRequest.parseFrom(body).getResourceMetricsList()) {
          for (ScopeMetrics sm : rm.getScopeMetricsList()) {
            sm.getMetricsList().forEach(m -> out.add(m.getName()));
          }
        }
      } catch (InvalidProtocolBufferException e) {
        throw new AssertionError("a metrics request that is not OTLP protobuf", e);
      }
    }
    return out;
  }

  private static ExportTraceServiceRequest traces(byte[] body) {
    try {
      return ExportTraceServiceRequest.parseFrom(body);
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("a trace request that is not OTLP protobuf", e);
    }
  }
}
