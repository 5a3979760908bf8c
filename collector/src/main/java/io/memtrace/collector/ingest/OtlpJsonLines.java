package io.memtrace.collector.ingest;

import io.memtrace.collector.store.MetricRow;
import io.memtrace.collector.store.SpanRow;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One line of an OTLP-JSON file (the OpenTelemetry file exporter's format, which
 * {@code MEMTRACE_TRACES_FILE} and {@code MEMTRACE_METRICS_FILE} write): a traces or a metrics
 * export request.
 */
public final class OtlpJsonLines {

  /** A decoded line: spans or metric points, never both. */
  public record Line(List<SpanRow> spans, List<MetricRow> metrics) {
    public boolean isTraces() {
      return spans != null;
    }

    public String path() {
      return isTraces() ? "/v1/traces" : "/v1/metrics";
    }
  }

  private OtlpJsonLines() {
  }

  public static Line decode(String line) throws PayloadException {
    return decode(line, new TextRepairs());
  }

  /** As {@link #decode(String)}, counting in {@code repairs} the strings {@link ValidText} repaired. */
  public static Line decode(String line, TextRepairs repairs) throws PayloadException {
    byte[] json = line.getBytes(StandardCharsets.UTF_8);
    String head = line.length() > 200 ? line.substring(0, 200) : line;
    if (line.contains("\"resourceMetrics\"") && !head.contains("\"resourceSpans\"")) {
      return new Line(null, MetricMapper.map(OtlpJson.merge(json, ExportMetricsServiceRequest.newBuilder(), repairs).build()));
    }
    if (!line.contains("\"resourceSpans\"")) {
      throw PayloadException.bad("neither resourceSpans nor resourceMetrics: not an OTLP-JSON export line");
    }
    return new Line(TraceMapper.map(OtlpJson.merge(json, ExportTraceServiceRequest.newBuilder(), repairs).build()), null);
  }
}
