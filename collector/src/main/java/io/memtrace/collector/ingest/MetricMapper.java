package io.memtrace.collector.ingest;

import io.memtrace.collector.store.MetricRow;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Flattens an OTLP metrics export into one row per data point. */
public final class MetricMapper {

  private MetricMapper() {
  }

  public static List<MetricRow> map(ExportMetricsServiceRequest request) throws PayloadException {
    List<MetricRow> rows = new ArrayList<>();
    for (ResourceMetrics rm : request.getResourceMetricsList()) {
      Map<String, Object> resource = AttributeValues.toMap(rm.getResource().getAttributesList());
      String service = resource.get("service.name") instanceof String
          ? (String) resource.get("service.name") : "unknown_service";
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        for (Metric m : sm.getMetricsList()) {
          if (m.getName().isEmpty()) {
            throw PayloadException.bad("a metric without a name in scope '" + sm.getScope().getName() + "'");
          }
          new Rows(rows, service, sm.getScope().getName(), m).add();
        }
      }
    }
    for (MetricRow row : rows) {
      UnixNanos.check(row.timeNanos(), "metric '" + row.name() + "'", ": a data point's timeUnixNano");
      UnixNanos.check(row.startNanos(), "metric '" + row.name() + "'", ": a data point's startTimeUnixNano");
    }
    return rows;
  }

  /** The rows of one metric; holds what every data point of it shares. */
  private static final class Rows {
    private final List<MetricRow> out;
    private final String service;
    private final String scope;
    private final Metric metric;

    Rows(List<MetricRow> out, String service, String scope, Metric metric) {
      this.out = out;
      this.service = service;
      this.scope = scope;
      this.metric = metric;
    }

    void add() {
      switch (metric.getDataCase()) {
        case GAUGE:
          metric.getGauge().getDataPointsList().forEach(p -> number(p, "gauge", null, null));
          break;
        case SUM:
          String temporality = temporality(metric.getSum().getAggregationTemporality());
          boolean monotonic = metric.getSum().getIsMonotonic();
          metric.getSum().getDataPointsList().forEach(p -> number(p, "sum", temporality, monotonic));
          break;
        case HISTOGRAM:
          String t = temporality(metric.getHistogram().getAggregationTemporality());
          metric.getHistogram().getDataPointsList().forEach(p -> histogram(p, t));
          break;
        case EXPONENTIAL_HISTOGRAM:
          String te = temporality(metric.getExponentialHistogram().getAggregationTemporality());
          metric.getExponentialHistogram().getDataPointsList().forEach(p -> exponential(p, te));
          break;
        case SUMMARY:
          metric.getSummary().getDataPointsList().forEach(this::summary);
          break;
        default:
          break;
      }
    }

    private void number(NumberDataPoint p, String type, String temporality, Boolean monotonic) {
      double value = p.getValueCase() == NumberDataPoint.ValueCase.AS_INT ? p.getAsInt() : p.getAsDouble();
      out.add(new MetricRow(p.getTimeUnixNano(), p.getStartTimeUnixNano(), service, scope, metric.getName(),
          metric.getDescription(), metric.getUnit(), type, temporality, monotonic,
          AttributeValues.toJson(AttributeValues.toMap(p.getAttributesList())), value,
          null, null, null, null, null, null));
    }

    private void histogram(HistogramDataPoint p, String temporality) {
      double[] bounds = p.getExplicitBoundsList().stream().mapToDouble(Double::doubleValue).toArray();
      long[] counts = p.getBucketCountsList().stream().mapToLong(Long::longValue).toArray();
      out.add(new MetricRow(p.getTimeUnixNano(), p.getStartTimeUnixNano(), service, scope, metric.getName(),
          metric.getDescription(), metric.getUnit(), "histogram", temporality, null,
          AttributeValues.toJson(AttributeValues.toMap(p.getAttributesList())), null, p.getCount(),
          p.hasSum() ? p.getSum() : null, p.hasMin() ? p.getMin() : null, p.hasMax() ? p.getMax() : null,
          bounds, counts));
    }

    private void exponential(ExponentialHistogramDataPoint p, String temporality) {
      out.add(new MetricRow(p.getTimeUnixNano(), p.getStartTimeUnixNano(), service, scope, metric.getName(),
          metric.getDescription(), metric.getUnit(), "exponential_histogram", temporality, null,
          AttributeValues.toJson(AttributeValues.toMap(p.getAttributesList())), null, p.getCount(),
          p.hasSum() ? p.getSum() : null, p.hasMin() ? p.getMin() : null, p.hasMax() ? p.getMax() : null,
          null, null));
    }

    private void summary(SummaryDataPoint p) {
      out.add(new MetricRow(p.getTimeUnixNano(), p.getStartTimeUnixNano(), service, scope, metric.getName(),
          metric.getDescription(), metric.getUnit(), "summary", null, null,
          AttributeValues.toJson(AttributeValues.toMap(p.getAttributesList())), null, p.getCount(),
          p.getSum(), null, null, null, null));
    }

    private static String temporality(AggregationTemporality temporality) {
      switch (temporality) {
        case AGGREGATION_TEMPORALITY_DELTA: return "delta";
        case AGGREGATION_TEMPORALITY_CUMULATIVE: return "cumulative";
        default: return null;
      }
    }
  }
}
