package io.memtrace.collector.lineage;

import static io.memtrace.collector.SpanFixtures.attr;
import static io.memtrace.collector.SpanFixtures.span;

import com.google.protobuf.ByteString;
import io.memtrace.collector.SpanFixtures;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.ArrayList;
import java.util.List;

/**
 * Spans whose lineage is known: two services sharing one Redis, a second Redis and a second database
 * holding the same key, a write Redis refused, a write still running when a read began, misses after
 * a delete, an expiry and an eviction, writes retention compressed, and a memory manager's records.
 * Times are milliseconds after {@link SpanFixtures#T0}.
 */
public final class LineageFixtures {

  public static final String WRITER_TRACE = "000000000000000000000000000001a1";
  public static final String READER_TRACE = "000000000000000000000000000001b2";
  public static final String REDIS = "10.0.0.5";
  public static final long PORT = 6379;

  private LineageFixtures() {
  }

  /** A Redis command of {@code millis} at {@code at}; {@code extra} are attribute pairs. */
  public static Span redis(String trace, ByteString parent, String command, long at, long millis, String key,
      String redis, long port, String db, Object... extra) {
    Span.Builder s = span(trace, parent, command, at, millis).setKind(Span.SpanKind.SPAN_KIND_CLIENT)
        .addAttributes(attr("db.system.name", "redis")).addAttributes(attr("db.operation.name", command))
        .addAttributes(attr("memory.key", key)).addAttributes(attr("memory.namespace", key.substring(0, key.lastIndexOf(':'))))
        .addAttributes(attr("server.address", redis)).addAttributes(attr("server.port", port))
        .addAttributes(attr("db.namespace", db));
    for (int i = 0; i + 1 < extra.length; i += 2) {
      s.addAttributes(attr((String) extra[i], extra[i + 1]));
    }
    return s.build();
  }

  public static Span redis(String trace, String command, long at, String key, Object... extra) {
    return redis(trace, null, command, at, 1, key, REDIS, PORT, "0", extra);
  }

  /** The writer service: a task that writes user:1 and others, and a task whose writes retention compressed. */
  public static ExportTraceServiceRequest writer() {
    List<Span> spans = new ArrayList<>();
    Span task = span(WRITER_TRACE, null, "app.task.generate", 0, 50).build();
    spans.add(task);
    spans.add(redis(WRITER_TRACE, task.getSpanId(), "SET", 10, 2, "user:1", REDIS, PORT, "0",
        "memory.value_size", 12L, "memory.ttl", 60L));
    spans.add(redis(WRITER_TRACE, "SET", 20, "user:2", "memory.value_size", 5L));
    // the same key on another Redis and in another database: not user:1 of the reader's Redis
    spans.add(redis(WRITER_TRACE, null, "SET", 70, 1, "user:1", "10.0.0.6", PORT, "0"));
    spans.add(redis(WRITER_TRACE, null, "SET", 80, 1, "user:1", REDIS, PORT, "1"));
    // refused by Redis: wrote nothing
    spans.add(redis(WRITER_TRACE, null, "SET", 90, 1, "user:1", REDIS, PORT, "0", "error.type", "READONLY")
        .toBuilder().setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR)).build());
    spans.add(redis(WRITER_TRACE, "SET", 30, "gone:1"));
    spans.add(redis(WRITER_TRACE, "DEL", 40, "gone:1"));
    spans.add(redis(WRITER_TRACE, "SET", 50, "short:1", "memory.ttl", 1L));
    spans.add(redis(WRITER_TRACE, "SET", 60, "evicted:1"));
    // written twice before anyone read it: the first write was wasted
    spans.add(redis(WRITER_TRACE, "SET", 61, "over:1", "memory.value_size", 7L));
    spans.add(redis(WRITER_TRACE, "SET", 62, "over:1", "memory.value_size", 8L));
    // a write that runs from 1,000 to 1,100 ms: a read beginning at 1,050 did not see it
    spans.add(redis(WRITER_TRACE, null, "SET", 1000, 100, "slow:1", REDIS, PORT, "0"));
    // retention counted 5 SETs in namespace hid on this span (from 500 to 600 ms) instead of exporting them
    spans.add(span(WRITER_TRACE, null, "app.task.bulk", 500, 100).addAttributes(attr("memtrace.compressed.count", 5L))
        .addEvents(compressed("SET", "hid", 5)).addEvents(compressed("GET", "user", 7)).build());
    // past 16 (command, namespace) pairs on one span, retention counts a namespace under _OTHER: any namespace
    spans.add(span(WRITER_TRACE, null, "app.task.many", 2500, 100).addAttributes(attr("memtrace.compressed.count", 2L))
        .addEvents(compressed("SET", "_OTHER", 2)).build());
    spans.add(redis(WRITER_TRACE, "SET", 2450, "late:1"));
    spans.add(redis(WRITER_TRACE, "SET", 2650, "late:2"));
    spans.add(redis(WRITER_TRACE, "SET", 400, "hid:1"));
    spans.add(redis(WRITER_TRACE, "SET", 700, "hid:2"));
    return SpanFixtures.request("writer-svc", spans);
  }

  /** The reader service, another process on the same Redis. */
  public static ExportTraceServiceRequest reader() {
    List<Span> spans = new ArrayList<>();
    Span task = span(READER_TRACE, null, "app.task.execute", 100, 2700).build();
    spans.add(task);
    ByteString parent = task.getSpanId();
    spans.add(redis(READER_TRACE, parent, "GET", 112, 1, "user:1", REDIS, PORT, "0", "memory.found", true,
        "memory.value_size", 12L));
    spans.add(redis(READER_TRACE, parent, "GET", 113, 1, "never:1", REDIS, PORT, "0", "memory.found", false));
    spans.add(redis(READER_TRACE, parent, "GET", 120, 1, "gone:1", REDIS, PORT, "0", "memory.found", false));
    spans.add(redis(READER_TRACE, parent, "GET", 1900, 1, "short:1", REDIS, PORT, "0", "memory.found", false));
    spans.add(redis(READER_TRACE, parent, "GET", 1900, 1, "evicted:1", REDIS, PORT, "0", "memory.found", false));
    spans.add(redis(READER_TRACE, parent, "GET", 1050, 1, "slow:1", REDIS, PORT, "0", "memory.found", true));
    spans.add(redis(READER_TRACE, parent, "GET", 150, 1, "over:1", REDIS, PORT, "0", "memory.found", true));
    spans.add(redis(READER_TRACE, parent, "GET", 2700, 1, "late:1", REDIS, PORT, "0", "memory.found", true));
    spans.add(redis(READER_TRACE, parent, "GET", 2700, 1, "late:2", REDIS, PORT, "0", "memory.found", true));
    spans.add(redis(READER_TRACE, parent, "GET", 650, 1, "hid:1", REDIS, PORT, "0", "memory.found", true));
    spans.add(redis(READER_TRACE, parent, "GET", 800, 1, "hid:2", REDIS, PORT, "0", "memory.found", true));
    // an EXISTS reads too (the overlay says so); a TTL does not
    spans.add(redis(READER_TRACE, parent, "EXISTS", 130, 1, "user:2", REDIS, PORT, "0", "memory.found", true));
    spans.add(redis(READER_TRACE, parent, "TTL", 131, 1, "user:2", REDIS, PORT, "0"));
    return SpanFixtures.request("reader-svc", spans);
  }

  /** A memory manager's records: stored by one agent, retrieved by another, and one searched for. */
  public static ExportTraceServiceRequest memory() {
    List<Span> spans = new ArrayList<>();
    String t = READER_TRACE;
    spans.add(SpanFixtures.memory(WRITER_TRACE, null, "store", 5, 3, "plan-a", "plans", 300L, "memory.ttl", 3600L));
    spans.add(SpanFixtures.memory(t, null, "retrieve", 200, 2, "plan-a", "plans", 300L, "memory.found", true));
    spans.add(SpanFixtures.memory(t, null, "retrieve", 210, 2, "plan-a", "reports", null, "memory.found", false));
    spans.add(SpanFixtures.memory(t, null, "search", 220, 2, "plan-%", "plans", null, "memory.result_count", 0L));
    return SpanFixtures.request("memory-svc", spans);
  }

  public static Span.Event compressed(String command, String namespace, long count) {
    return Span.Event.newBuilder().setName("memtrace.compressed").setTimeUnixNano(SpanFixtures.T0)
        .addAttributes(attr("db.operation.name", command)).addAttributes(attr("memory.namespace", namespace))
        .addAttributes(attr("memtrace.compressed.count", count)).build();
  }
}
