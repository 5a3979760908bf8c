package io.memtrace.collector.reader;

import static io.memtrace.collector.SpanFixtures.attr;
import static io.memtrace.collector.SpanFixtures.span;

import io.memtrace.collector.SpanFixtures;
import io.memtrace.collector.lineage.LineageFixtures;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.List;

/**
 * The OTLP spans every {@link StoreReader} is asked about, as the services send them: seed 000's trace (memory
 * manager), a memory manager's records read by another trace, two services sharing keys on one Redis (with a second
 * Redis and a second database holding the same key, a write Redis refused, misses after a delete, an expiry and an
 * eviction), writes retention compressed and a summary span, and a Node service whose keys come from its statements:
 * ioredis and go-redis shapes, a pipeline, a statement that hid its key and one that hid its value; and the agents'
 * metrics ({@link #metrics}).
 */
public final class ContractCorpus {

  public static final String NODE_TRACE = "0000000000000000000000000000e0de";

  private ContractCorpus() {
  }

  /**
   * The agents' metrics: memtrace's dropped-events counter as a cumulative sum from two services (the latest point
   * of each counts: 3 and 4), and cache hits as a delta sum (every point counts: 5 and 2).
   */
  public static List<ExportMetricsServiceRequest> metrics() {
    return List.of(metrics("writer-svc", sum("memtrace.events.dropped", CUMULATIVE, 1, 3),
        sum("memory.cache.hits", DELTA, 5, 2)), metrics("reader-svc", sum("memtrace.events.dropped", CUMULATIVE, 4)));
  }

  private static final AggregationTemporality CUMULATIVE = AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
  private static final AggregationTemporality DELTA = AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;

  /** A monotonic sum with one point a second from {@link SpanFixtures#T0}. */
  private static Metric sum(String name, AggregationTemporality temporality, long... values) {
    Sum.Builder sum = Sum.newBuilder().setAggregationTemporality(temporality).setIsMonotonic(true);
    for (int i = 0; i < values.length; i++) {
      sum.addDataPoints(NumberDataPoint.newBuilder().setStartTimeUnixNano(SpanFixtures.T0)
          .setTimeUnixNano(SpanFixtures.T0 + (i + 1) * 1_000_000_000L).setAsInt(values[i]));
    }
    return Metric.newBuilder().setName(name).setSum(sum).build();
  }

  private static ExportMetricsServiceRequest metrics(String service, Metric... metrics) {
    return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(attr("service.name", service)))
        .addScopeMetrics(ScopeMetrics.newBuilder().setScope(InstrumentationScope.newBuilder().setName("io.memtrace"))
            .addAllMetrics(List.of(metrics)))).build();
  }

  /** Every payload of spans, in the order sent. */
  public static List<ExportTraceServiceRequest> payloads() {
    return List.of(SpanFixtures.seedTrace(), LineageFixtures.writer(), LineageFixtures.reader(),
        LineageFixtures.memory(), SpanFixtures.compressedTrace(), node());
  }

  /** Another language's Redis spans: no memory.key, only the statement its instrumentation recorded. */
  static ExportTraceServiceRequest node() {
    List<Span> spans = new ArrayList<>();
    Span root = span(NODE_TRACE, null, "GET /plans", 3000, 40).setKind(Span.SpanKind.SPAN_KIND_SERVER).build();
    spans.add(root);
    // ioredis: lower-case command, the key kept, the rest counted; user:1 is the key the writer service wrote
    spans.add(statement(root, 3001, "set", "db.query.text", "set plans:p1 [1 other arguments]"));
    spans.add(statement(root, 3005, "get", "db.query.text", "get plans:p1"));
    spans.add(statement(root, 3006, "get", "db.query.text", "get user:1"));
    // go-redis: every argument, a TTL kept
    spans.add(statement(root, 3010, null, "db.statement", "set sessions:s1 v ex 60"));
    // a pipeline of two commands as one span
    spans.add(statement(root, 3015, "PIPELINE", "db.query.text", "SET plans:p2 ?;GET plans:p1"));
    // a sanitizer that hides the key too
    spans.add(statement(root, 3020, "SET", "db.query.text", "SET ? ?"));
    return SpanFixtures.request("node-service", spans);
  }

  private static Span statement(Span parent, long at, String operation, String attribute, String text) {
    Span.Builder s = span(NODE_TRACE, parent.getSpanId(), operation == null ? "redis" : operation, at, 1)
        .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
        .addAttributes(attr("db.system.name", "redis")).addAttributes(attr(attribute, text))
        .addAttributes(attr("server.address", LineageFixtures.REDIS)).addAttributes(attr("server.port", LineageFixtures.PORT));
    if (operation != null) {
      s.addAttributes(attr("db.operation.name", operation));
    }
    return s.build();
  }
}
