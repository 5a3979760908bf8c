package io.memtrace.collector.reader;

import static io.memtrace.collector.SpanFixtures.attr;
import static io.memtrace.collector.SpanFixtures.span;

import io.memtrace.collector.SpanFixtures;
import io.memtrace.collector.lineage.LineageFixtures;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.List;

/**
 * The OTLP spans every {@link StoreReader} is asked about, as the services send them: seed 000's trace (memory
 * manager), a memory manager's records read by another trace, two services sharing keys on one Redis (with a second
 * Redis and a second database holding the same key, a write Redis refused, misses after a delete, an expiry and an
 * eviction), writes retention compressed and a summary span, and a Node service whose keys come from its statements:
 * ioredis and go-redis shapes, a pipeline, a statement that hid its key and one that hid its value.
 */
public final class ContractCorpus {

  public static final String NODE_TRACE = "0000000000000000000000000000e0de";

  private ContractCorpus() {
  }

  /** Every payload, in the order sent. */
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
