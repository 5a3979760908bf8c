package io.memtrace.collector;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Builds OTLP spans for tests, including the seed 000 trace. */
public final class SpanFixtures {

  /** 2024-11-20T08:00:00Z, the start time of seed 000. */
  public static final long T0 = 1_732_089_600_000_000_000L;
  public static final String SEED_TRACE = "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6";

  private static final AtomicLong IDS = new AtomicLong(0x1000);

  private SpanFixtures() {
  }

  public static ByteString hex(String hex) {
    return ByteString.copyFrom(HexFormat.of().parseHex(hex));
  }

  public static ByteString newSpanId() {
    return hex(String.format("%016x", IDS.incrementAndGet()));
  }

  public static KeyValue attr(String key, Object value) {
    AnyValue.Builder v = AnyValue.newBuilder();
    if (value instanceof String) {
      v.setStringValue((String) value);
    } else if (value instanceof Boolean) {
      v.setBoolValue((Boolean) value);
    } else if (value instanceof Double) {
      v.setDoubleValue((Double) value);
    } else {
      v.setIntValue(((Number) value).longValue());
    }
    return KeyValue.newBuilder().setKey(key).setValue(v).build();
  }

  /** A span of {@code millis} starting {@code offsetMillis} after {@link #T0}. */
  public static Span.Builder span(String traceHex, ByteString parent, String name, long offsetMillis, long millis) {
    Span.Builder span = Span.newBuilder()
        .setTraceId(hex(traceHex))
        .setSpanId(newSpanId())
        .setName(name)
        .setKind(Span.SpanKind.SPAN_KIND_INTERNAL)
        .setStartTimeUnixNano(T0 + offsetMillis * 1_000_000)
        .setEndTimeUnixNano(T0 + (offsetMillis + millis) * 1_000_000)
        .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_OK));
    if (parent != null) {
      span.setParentSpanId(parent);
    }
    return span;
  }

  /**
   * {@code span} made a Redis client span of {@code command} on {@code key} in {@code namespace}, sent to database 0 of
   * the Redis at 127.0.0.1:6379, as the agent's Redis instrumentation names them.
   */
  public static Span.Builder redisClient(Span.Builder span, String command, String key, String namespace) {
    return span.setKind(Span.SpanKind.SPAN_KIND_CLIENT)
        .addAttributes(attr("db.system.name", "redis"))
        .addAttributes(attr("db.operation.name", command))
        .addAttributes(attr("db.namespace", "0"))
        .addAttributes(attr("server.address", "127.0.0.1"))
        .addAttributes(attr("server.port", 6379L))
        .addAttributes(attr("memory.key", key))
        .addAttributes(attr("memory.namespace", namespace));
  }

  /** A memory-manager span shaped like seed 000's; {@code key} and {@code size} may be null. */
  public static Span memory(String trace, ByteString parent, String op, long offset, long millis, String key,
      String namespace, Long size, Object... extra) {
    Span.Builder span = span(trace, parent, "aqe.memory." + op, offset, millis)
        .addAttributes(attr("memory.operation", op))
        .addAttributes(attr("memory.namespace", namespace))
        .addAttributes(attr("memory.operation_duration_ms", millis));
    if (key != null) {
      span.addAttributes(attr("memory.key", key));
    }
    if (size != null) {
      span.addAttributes(attr("memory.value_size", size));
    }
    for (int i = 0; i + 1 < extra.length; i += 2) {
      span.addAttributes(attr((String) extra[i], extra[i + 1]));
    }
    return span.build();
  }

  public static ExportTraceServiceRequest request(String service, List<Span> spans) {
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder()
            .setResource(Resource.newBuilder().addAttributes(attr("service.name", service)))
            .addScopeSpans(ScopeSpans.newBuilder()
                .setScope(InstrumentationScope.newBuilder().setName("io.memtrace"))
                .addAllSpans(spans)))
        .build();
  }

  /** One trace of {@code spans} memory stores, from {@code service}. */
  public static ExportTraceServiceRequest storeTrace(String service, String traceId, int spans) {
    List<Span> list = new ArrayList<>();
    for (int i = 0; i < spans; i++) {
      list.add(memory(traceId, null, "store", i, 1, "k" + i, service + "/ns", 10L));
    }
    return request(service, list);
  }

  /** The trace of seed 000: four agent tasks, five memory operations, three test executions. */
  public static ExportTraceServiceRequest seedTrace() {
    String t = SEED_TRACE;
    Span generate = span(t, null, "aqe.task.generate", 0, 20).addAttributes(attr("agent.id", "qe-test-generator")).build();
    Span execute = span(t, null, "aqe.task.execute", 50, 195).addAttributes(attr("agent.id", "qe-test-executor")).build();
    Span analyze = span(t, null, "aqe.task.analyze", 250, 70).addAttributes(attr("agent.id", "qe-coverage-analyzer")).build();
    Span cleanup = span(t, null, "aqe.task.cleanup", 400, 5).addAttributes(attr("agent.id", "qe-fleet-commander")).build();
    return request("aqe-fleet", List.of(generate, execute, analyze, cleanup,
        memory(t, generate.getSpanId(), "store", 5, 12, "test-plan-user-service", "aqe/test-plans", 387L,
            "memory.ttl", 3600L, "agent.id", "qe-test-generator"),
        memory(t, execute.getSpanId(), "retrieve", 55, 5, "test-plan-user-service", "aqe/test-plans", 387L,
            "memory.found", true),
        span(t, execute.getSpanId(), "aqe.test.execute", 100, 45).addAttributes(attr("test.case.name", "UserService.create")).build(),
        span(t, execute.getSpanId(), "aqe.test.execute", 150, 38).addAttributes(attr("test.case.name", "UserService.update")).build(),
        span(t, execute.getSpanId(), "aqe.test.execute", 200, 42).addAttributes(attr("test.case.name", "UserService.delete")).build(),
        memory(t, analyze.getSpanId(), "search", 255, 8, "test-plan-%", "aqe/test-plans", null,
            "memory.result_count", 5L),
        memory(t, analyze.getSpanId(), "store", 300, 15, "coverage-report-user-service", "aqe/reports", 1247L),
        memory(t, cleanup.getSpanId(), "delete", 405, 4, "test-plan-user-service", "aqe/test-plans", null)));
  }

  public static final String COMPRESSED_TRACE = "0000000000000000000000000000c0de";

  /**
   * What the agent's retention sends: a kept task span whose Redis children were compressed (1,234
   * GETs in app:cache, 2 SETs with no namespace), and a summary span for 100 compressed root GETs
   * of session.
   */
  public static ExportTraceServiceRequest compressedTrace() {
    Span task = span(COMPRESSED_TRACE, null, "aqe.task.run", 0, 40).addAttributes(attr("agent.id", "loader"))
        .addAttributes(attr("memtrace.compressed.count", 1236L)).addAttributes(attr("memtrace.compressed.duration_ms", 12.5))
        .addEvents(compressed("GET", "app:cache", 1234L, 12.3)).addEvents(compressed("SET", null, 2L, 0.2)).build();
    Span summary = span(COMPRESSED_TRACE, null, "memtrace.compressed", 0, 1000)
        .addAttributes(attr("memtrace.summary.interval_ms", 1000L)).addAttributes(attr("memtrace.compressed.count", 100L))
        .addAttributes(attr("memtrace.compressed.duration_ms", 4.0)).addEvents(compressed("GET", "session", 100L, 4.0)).build();
    return request("compressing-app", List.of(task, summary));
  }

  private static Span.Event compressed(String command, String namespace, long count, double millis) {
    Span.Event.Builder e = Span.Event.newBuilder().setName("memtrace.compressed").setTimeUnixNano(T0)
        .addAttributes(attr("db.operation.name", command)).addAttributes(attr("memtrace.compressed.count", count))
        .addAttributes(attr("memtrace.compressed.duration_ms", millis));
    if (namespace != null) {
      e.addAttributes(attr("memory.namespace", namespace));
    }
    return e.build();
  }
}
