package io.memtrace.collector.keyspace;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.memtrace.collector.CollectorException;
import io.memtrace.collector.OtlpJsonMetrics;
import io.memtrace.collector.forward.Forwarder;
import io.memtrace.collector.ingest.MetricMapper;
import io.memtrace.collector.ingest.OtlpJson;
import io.memtrace.collector.ingest.PayloadException;
import io.memtrace.collector.store.SpanWriter;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.util.List;
import java.util.Map;

/**
 * The gauges of each complete pass ({@link GaugeSet}) as one OTLP/JSON metrics export: sent
 * upstream through the {@link Forwarder} ({@code --forward}), so an OpenTelemetry Collector's
 * Prometheus exporter serves them, and stored in the collector's own {@code metrics} table, read
 * back through the same OTLP/JSON reader that {@code /v1/metrics} uses. Passes still running and
 * stale figures send nothing: a gauge that stops is better than a wrong one.
 */
public final class KeyspaceGauges implements KeyspaceSink {

  public static final String SCOPE = "io.memtrace.collector.keyspace";

  private final LayerMap layers;
  private final Forwarder forwarder;
  private final SpanWriter store;

  /** Either may be null. */
  public KeyspaceGauges(LayerMap layers, Forwarder forwarder, SpanWriter store) {
    this.layers = layers;
    this.forwarder = forwarder;
    this.store = store;
  }

  @Override
  public void accept(PassSnapshot snapshot) {
    if (!snapshot.complete() || snapshot.stale()) {
      return;
    }
    send(encode(GaugeSet.of(snapshot, layers), snapshot.server().time().toEpochMilli() * 1_000_000L), forwarder,
        store, "the keyspace gauges");
  }

  /** One OTLP/JSON metrics export upstream and into the metrics table; either may be null. */
  public static void send(byte[] body, Forwarder forwarder, SpanWriter store, String what) {
    if (forwarder != null) {
      forwarder.offer("/v1/metrics", "application/json", null, body);
    }
    if (store != null) {
      try {
        ExportMetricsServiceRequest request = OtlpJson.merge(body, ExportMetricsServiceRequest.newBuilder()).build();
        store.writeMetrics(MetricMapper.map(request)).join();
      } catch (PayloadException e) {
        throw new CollectorException(what + " are not valid OTLP: " + e.getMessage(), e);
      }
    }
  }

  /** OTLP/JSON as the OpenTelemetry protocol specifies it: 64-bit integers as strings, attributes typed. */
  static byte[] encode(List<GaugeSet.Metric> metrics, long timeNanos) {
    OtlpJsonMetrics export = new OtlpJsonMetrics(SCOPE);
    ArrayNode out = export.metrics();
    for (GaugeSet.Metric m : metrics) {
      if (m.points().isEmpty()) {
        continue;
      }
      ObjectNode metric = out.addObject().put("name", m.name()).put("description", m.description()).put("unit", m.unit());
      ArrayNode points = metric.putObject("gauge").putArray("dataPoints");
      for (GaugeSet.Point p : m.points()) {
        ObjectNode point = points.addObject();
        attributes(point.putArray("attributes"), p.attributes());
        point.put("timeUnixNano", Long.toString(timeNanos)).put("asInt", Long.toString(p.value()));
      }
    }
    return export.bytes();
  }

  private static void attributes(ArrayNode array, Map<String, Object> attributes) {
    attributes.forEach((k, v) -> {
      ObjectNode value = array.addObject().put("key", k).putObject("value");
      if (v instanceof Long l) {
        value.put("intValue", Long.toString(l));
      } else {
        value.put("stringValue", String.valueOf(v));
      }
    });
  }
}
