package io.memtrace.collector.clickhouse.reader;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OTLP spans as the OpenTelemetry Collector's clickhouseexporter writes them into {@code otel_traces}: hex ids, the
 * start as Timestamp and the length in nanoseconds, kinds and status codes in pdata's words ({@code Server},
 * {@code Error}), every attribute value as its string ({@code AsString}: numbers in decimal, arrays as JSON), the
 * service from the resource; as JSONEachRow lines for clickhouse-java's insert.
 */
public final class OtelTracesRows {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  private OtelTracesRows() {
  }

  /**
   * The payloads' spans each as an insert of its own, the last first: the arrival order furthest from the one the
   * tables kept at insert see when a service sends its spans together (a read before its write, a call's commands before
   * the call, each in a part of its own).
   */
  static List<List<ExportTraceServiceRequest>> eachSpanAloneInReverse(List<ExportTraceServiceRequest> payloads) {
    return inReverse(payloads, false);
  }

  /**
   * As {@link #eachSpanAloneInReverse}, but the spans in a row that share a parent (a memory call's Redis commands)
   * kept together, and these runs (in reverse) dealt in turn into {@code inserts} inserts: run {@code r} into insert
   * {@code r % inserts}. Neighbouring runs (a call and its commands) still land in different inserts, the commands
   * mostly first, and every insert holds runs from all over the payloads, in a few inserts rather than one a run
   * (each insert runs every view of the schema: KeptTotalsIT's 63, one a run, took 9.9 s at 3ceeb89).
   */
  static List<List<ExportTraceServiceRequest>> siblingRunsDealtInReverse(List<ExportTraceServiceRequest> payloads,
      int inserts) {
    List<List<ExportTraceServiceRequest>> runs = inReverse(payloads, true);
    List<List<ExportTraceServiceRequest>> dealt = new ArrayList<>();
    for (int i = 0; i < Math.min(inserts, runs.size()); i++) {
      dealt.add(new ArrayList<>());
    }
    for (int r = 0; r < runs.size(); r++) {
      dealt.get(r % dealt.size()).addAll(runs.get(r));
    }
    return dealt;
  }

  private static List<List<ExportTraceServiceRequest>> inReverse(List<ExportTraceServiceRequest> payloads,
      boolean siblingsTogether) {
    List<List<ExportTraceServiceRequest>> inserts = new ArrayList<>();
    for (ExportTraceServiceRequest request : payloads) {
      for (ResourceSpans resource : request.getResourceSpansList()) {
        String service = resource.getResource().getAttributesList().stream()
            .filter(a -> a.getKey().equals("service.name")).findFirst().orElseThrow().getValue().getStringValue();
        List<Span> run = new ArrayList<>();
        for (Span span : resource.getScopeSpans(0).getSpansList()) {
          boolean sibling = siblingsTogether && !run.isEmpty() && !span.getParentSpanId().isEmpty()
              && span.getParentSpanId().equals(run.get(0).getParentSpanId());
          if (!run.isEmpty() && !sibling) {
            inserts.add(List.of(io.memtrace.collector.SpanFixtures.request(service, run)));
            run = new ArrayList<>();
          }
          run.add(span);
        }
        if (!run.isEmpty()) {
          inserts.add(List.of(io.memtrace.collector.SpanFixtures.request(service, run)));
        }
      }
    }
    java.util.Collections.reverse(inserts);
    return inserts;
  }

  public static byte[] of(List<ExportTraceServiceRequest> payloads) throws JsonProcessingException {
    StringBuilder lines = new StringBuilder();
    for (ExportTraceServiceRequest payload : payloads) {
      for (ResourceSpans resource : payload.getResourceSpansList()) {
        Map<String, String> resourceAttributes = attributes(resource.getResource());
        String service = resourceAttributes.getOrDefault("service.name", "");
        for (ScopeSpans scope : resource.getScopeSpansList()) {
          for (Span span : scope.getSpansList()) {
            lines.append(JSON.writeValueAsString(row(span, service, resourceAttributes, scope))).append('\n');
          }
        }
      }
    }
    return lines.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The exporter's {@code otel_metrics_sum}, with the columns it writes that memtrace reads (exemplars left out), for a
   * gateway that sends the agents' metrics to ClickHouse.
   */
  static final String METRICS_SUM = "CREATE TABLE IF NOT EXISTS otel_metrics_sum (ResourceAttributes "
      + "Map(LowCardinality(String), String), ResourceSchemaUrl String, ScopeName String, ScopeVersion String, "
      + "ScopeAttributes Map(LowCardinality(String), String), ScopeDroppedAttrCount UInt32, ScopeSchemaUrl String, "
      + "ServiceName LowCardinality(String), MetricName String, MetricDescription String, MetricUnit String, "
      + "Attributes Map(LowCardinality(String), String), StartTimeUnix DateTime64(9), TimeUnix DateTime64(9), "
      + "Value Float64, Flags UInt32, AggregationTemporality Int32, IsMonotonic Bool) ENGINE = MergeTree "
      + "PARTITION BY toDate(TimeUnix) ORDER BY (ServiceName, MetricName, Attributes, toUnixTimestamp64Nano(TimeUnix))";

  /** The sums' points as the exporter writes them into {@link #METRICS_SUM}: one row per point. */
  static byte[] sums(List<io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest> payloads)
      throws JsonProcessingException {
    StringBuilder lines = new StringBuilder();
    for (var payload : payloads) {
      for (var resource : payload.getResourceMetricsList()) {
        Map<String, String> resourceAttributes = attributes(resource.getResource());
        for (var scope : resource.getScopeMetricsList()) {
          for (var metric : scope.getMetricsList()) {
            for (var point : metric.getSum().getDataPointsList()) {
              Map<String, Object> row = new LinkedHashMap<>();
              row.put("ResourceAttributes", resourceAttributes);
              row.put("ScopeName", scope.getScope().getName());
              row.put("ServiceName", resourceAttributes.getOrDefault("service.name", ""));
              row.put("MetricName", metric.getName());
              row.put("Attributes", attributes(point.getAttributesList()));
              row.put("StartTimeUnix", time(point.getStartTimeUnixNano()));
              row.put("TimeUnix", time(point.getTimeUnixNano()));
              row.put("Value", point.hasAsInt() ? (double) point.getAsInt() : point.getAsDouble());
              row.put("AggregationTemporality", metric.getSum().getAggregationTemporalityValue());
              row.put("IsMonotonic", metric.getSum().getIsMonotonic());
              lines.append(JSON.writeValueAsString(row)).append('\n');
            }
          }
        }
      }
    }
    return lines.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static Map<String, Object> row(Span span, String service, Map<String, String> resource, ScopeSpans scope) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("Timestamp", time(span.getStartTimeUnixNano()));
    row.put("TraceId", HexFormat.of().formatHex(span.getTraceId().toByteArray()));
    row.put("SpanId", HexFormat.of().formatHex(span.getSpanId().toByteArray()));
    row.put("ParentSpanId", HexFormat.of().formatHex(span.getParentSpanId().toByteArray()));
    row.put("TraceState", span.getTraceState());
    row.put("SpanName", span.getName());
    row.put("SpanKind", kind(span.getKind()));
    row.put("ServiceName", service);
    row.put("ResourceAttributes", resource);
    row.put("ScopeName", scope.getScope().getName());
    row.put("ScopeVersion", scope.getScope().getVersion());
    row.put("SpanAttributes", attributes(span.getAttributesList()));
    row.put("Duration", Math.max(0, span.getEndTimeUnixNano() - span.getStartTimeUnixNano()));
    row.put("StatusCode", switch (span.getStatus().getCode()) {
      case STATUS_CODE_OK -> "Ok";
      case STATUS_CODE_ERROR -> "Error";
      default -> "Unset";
    });
    row.put("StatusMessage", span.getStatus().getMessage());
    List<String> eventTimes = new ArrayList<>();
    List<String> eventNames = new ArrayList<>();
    List<Map<String, String>> eventAttributes = new ArrayList<>();
    for (Span.Event event : span.getEventsList()) {
      eventTimes.add(time(event.getTimeUnixNano()));
      eventNames.add(event.getName());
      eventAttributes.add(attributes(event.getAttributesList()));
    }
    row.put("Events.Timestamp", eventTimes);
    row.put("Events.Name", eventNames);
    row.put("Events.Attributes", eventAttributes);
    // the exporter's links: hex ids, the trace state, every attribute as its string
    row.put("Links.TraceId", span.getLinksList().stream()
        .map(l -> HexFormat.of().formatHex(l.getTraceId().toByteArray())).toList());
    row.put("Links.SpanId", span.getLinksList().stream()
        .map(l -> HexFormat.of().formatHex(l.getSpanId().toByteArray())).toList());
    row.put("Links.TraceState", span.getLinksList().stream().map(Span.Link::getTraceState).toList());
    row.put("Links.Attributes", span.getLinksList().stream().map(l -> attributes(l.getAttributesList())).toList());
    return row;
  }

  private static String kind(Span.SpanKind kind) {
    return switch (kind) {
      case SPAN_KIND_INTERNAL -> "Internal";
      case SPAN_KIND_SERVER -> "Server";
      case SPAN_KIND_CLIENT -> "Client";
      case SPAN_KIND_PRODUCER -> "Producer";
      case SPAN_KIND_CONSUMER -> "Consumer";
      default -> "Unspecified";
    };
  }

  private static String time(long nanos) {
    Instant at = Instant.ofEpochSecond(nanos / 1_000_000_000L, nanos % 1_000_000_000L);
    return TIME.format(at) + String.format(".%09d", at.getNano());
  }

  private static Map<String, String> attributes(Resource resource) {
    return attributes(resource.getAttributesList());
  }

  private static Map<String, String> attributes(List<KeyValue> list) {
    Map<String, String> map = new LinkedHashMap<>();
    for (KeyValue kv : list) {
      map.put(kv.getKey(), asString(kv.getValue()));
    }
    return map;
  }

  /** pdata's {@code Value.AsString}, which the exporter writes. */
  static String asString(AnyValue value) {
    return switch (value.getValueCase()) {
      case STRING_VALUE -> value.getStringValue();
      case BOOL_VALUE -> String.valueOf(value.getBoolValue());
      case INT_VALUE -> String.valueOf(value.getIntValue());
      case DOUBLE_VALUE -> BigDecimal.valueOf(value.getDoubleValue()).stripTrailingZeros().toPlainString();
      case BYTES_VALUE -> Base64.getEncoder().encodeToString(value.getBytesValue().toByteArray());
      case ARRAY_VALUE, KVLIST_VALUE -> json(value);
      default -> "";
    };
  }

  private static String json(AnyValue value) {
    try {
      return JSON.writeValueAsString(plain(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Object plain(AnyValue value) {
    return switch (value.getValueCase()) {
      case STRING_VALUE -> value.getStringValue();
      case BOOL_VALUE -> value.getBoolValue();
      case INT_VALUE -> value.getIntValue();
      case DOUBLE_VALUE -> value.getDoubleValue();
      case ARRAY_VALUE -> value.getArrayValue().getValuesList().stream().map(OtelTracesRows::plain).toList();
      case KVLIST_VALUE -> {
        Map<String, Object> map = new LinkedHashMap<>();
        value.getKvlistValue().getValuesList().forEach(kv -> map.put(kv.getKey(), plain(kv.getValue())));
        yield map;
      }
      default -> null;
    };
  }
}
