package io.memtrace.collector.report;

import static io.memtrace.collector.SpanFixtures.attr;
import static io.memtrace.collector.SpanFixtures.span;

import io.memtrace.collector.SpanFixtures;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.ArrayList;
import java.util.List;

/** Redis spans with known key usage: a hot key, a cold one, one read once, a deleted one, and a burst. */
public final class AnalyticsFixtures {

  static final String TRACE = "0000000000000000000000000000abcd";
  static final String FAILED_TRACE = "00000000000000000000000000000bad";

  private AnalyticsFixtures() {
  }

  static Span redis(String command, long offsetMillis, String key, String namespace, Long ttl, Long size) {
    Span.Builder s = span(TRACE, null, command, offsetMillis, 1)
        .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
        .addAttributes(attr("db.system.name", "redis"))
        .addAttributes(attr("db.operation.name", command))
        .addAttributes(attr("memory.key", key))
        .addAttributes(attr("memory.namespace", namespace));
    if (ttl != null) {
      s.addAttributes(attr("memory.ttl", ttl));
    }
    if (size != null) {
      s.addAttributes(attr("memory.value_size", size));
    }
    if (command.equals("GET")) {
      s.addAttributes(attr("memory.found", true));
    }
    return s.build();
  }

  static ExportTraceServiceRequest keyUsage() {
    List<Span> spans = new ArrayList<>();
    spans.add(redis("SET", 0, "hot:1", "hot", 60L, 10L));
    for (int i = 1; i <= 5; i++) {
      spans.add(redis("GET", i * 100, "hot:1", "hot", null, 10L));
    }
    spans.add(redis("SET", 1000, "cold:1", "cold", null, 2048L));
    spans.add(redis("SET", 2000, "once:1", "once", 30L, 5L));
    spans.add(redis("GET", 2100, "once:1", "once", null, 5L));
    spans.add(redis("SET", 3000, "gone:1", "gone", null, 1L));
    spans.add(redis("DEL", 3100, "gone:1", "gone", null, null));
    for (int second = 0; second < 6; second++) {
      spans.add(redis("SET", second * 10_000L, "steady:" + second, "steady", 600L, 3L));
    }
    for (int i = 0; i < 30; i++) {
      spans.add(redis("SET", 55_000 + i, "burst:" + i, "burst", 600L, 100L));
    }
    return SpanFixtures.request("redis-app", spans);
  }

  /** A leak beside a healthy namespace: 25 keys in stress/leak written with TTL 0 and never read; 4 in session with a TTL, read. */
  public static ExportTraceServiceRequest namespaceLeak() {
    List<Span> spans = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      spans.add(redis("SET", i, "stress/leak:" + i, "stress/leak", 0L, 64L));
    }
    for (int i = 0; i < 4; i++) {
      spans.add(redis("SET", 100 + i, "session:" + i, "session", 60L, 32L));
      for (int read = 0; read < (i == 0 ? 1 : 2); read++) {
        spans.add(redis("GET", 200 + i * 10 + read, "session:" + i, "session", null, 32L));
      }
    }
    return SpanFixtures.request("leaky-app", spans);
  }

  /** 23 namespaces, ns-01 to ns-23, namespace ns-NN with NN keys written and never read. */
  public static ExportTraceServiceRequest manyNamespaces() {
    List<Span> spans = new ArrayList<>();
    for (int ns = 1; ns <= 23; ns++) {
      String name = String.format("ns-%02d", ns);
      for (int i = 0; i < ns; i++) {
        spans.add(redis("SET", ns * 100 + i, name + ":" + i, name, 60L, 8L));
      }
    }
    return SpanFixtures.request("busy-app", spans);
  }

  static ExportTraceServiceRequest failure() {
    Span failed = span(FAILED_TRACE, null, "LPUSH", 0, 2)
        .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
        .addAttributes(attr("db.system.name", "redis"))
        .addAttributes(attr("db.operation.name", "LPUSH"))
        .addAttributes(attr("memory.key", "user:42:name"))
        .addAttributes(attr("error.type", "WRONGTYPE"))
        .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("wrong kind of value"))
        .build();
    return SpanFixtures.request("other-app", List.of(failed));
  }
}
