package io.memtrace.collector.reader;

import static io.memtrace.collector.SpanFixtures.attr;
import static io.memtrace.collector.SpanFixtures.memory;
import static io.memtrace.collector.SpanFixtures.span;
import static io.memtrace.collector.lineage.LineageFixtures.redis;

import io.memtrace.collector.SpanFixtures;
import io.memtrace.collector.lineage.LineageFixtures;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.List;

/**
 * Spans and keyspace notification rows whose timelines are known (times in ms after {@link SpanFixtures#T0}).
 * <ul>
 *   <li>{@code plan-a} in memory store {@code plans} (Redis key {@code plans:plan-a} on {@code localhost:6379}, whose
 *       notifications the watcher recorded as {@code 127.0.0.1:6379}, covered from the start): a store asking a
 *       60 s TTL that got it, a read, an overwrite asking 60 s whose SET set none, a read of it, a write outside the
 *       traced services, a traced delete and a read after it, a store of 1 s, Redis's expiry and a read after it, an
 *       eviction and a read after it, an outside delete and a read after it.</li>
 *   <li>{@code cache:c1}: a write notification while retention compressed the namespace's SETs, and a read that
 *       found nothing after it.</li>
 *   <li>{@code xplan-a}, whose Redis key {@code plans:xplan-a} ends with {@code plan-a} inside a longer name: in no
 *       event of {@code plan-a}'s, its outside delete neither.</li>
 *   <li>on a Redis no notification covers ({@code 10.0.0.9:6379}): {@code nocov:1} written then not found (unknown),
 *       {@code nocov:2} written with a 1 s TTL and read 1.5 s later (the TTL ran out), {@code nocov:3} never written.</li>
 * </ul>
 */
public final class TimelineFixtures {

  public static final String SVC = "timeline-svc";
  public static final String LOCAL = "127.0.0.1:6379";
  public static final String UNCOVERED = "10.0.0.9";

  /** A notification row: {@code at} ms after T0. */
  public record Note(long at, String redis, int db, String key, String namespace, String event, String kind) {

    public long micros() {
      return SpanFixtures.T0 / 1_000 + at * 1_000;
    }
  }

  /** A status row. */
  public record Status(long at, String redis, String state, String config) {

    public long micros() {
      return SpanFixtures.T0 / 1_000 + at * 1_000;
    }
  }

  private TimelineFixtures() {
  }

  /** The trace of the {@code n}th event, e.g. {@code 00…0e01}. */
  public static String trace(int n) {
    return String.format("%032x", 0xe00 + n);
  }

  private static void call(List<Span> spans, int n, String op, long at, Long ttl, Boolean found, String... commands) {
    String t = trace(n);
    List<Object> extra = new ArrayList<>();
    if (ttl != null) {
      extra.addAll(List.of("memory.ttl", ttl));
    }
    if (found != null) {
      extra.addAll(List.of("memory.found", found));
    }
    Span m = memory(t, null, op, at, 4, "plan-a", "plans", op.equals("store") ? 100L + n : null, extra.toArray());
    spans.add(m);
    for (String c : commands) {
      String[] parts = c.split(" ");
      Object[] attrs = parts.length > 1 ? new Object[] {"memory.ttl", Long.parseLong(parts[1])} : new Object[0];
      if (parts[0].equals("GET")) {
        attrs = new Object[] {"memory.found", found};
      }
      spans.add(redis(t, m.getSpanId(), parts[0], at + 1, 2, "plans:plan-a", "localhost", 6379, "0", attrs));
    }
  }

  public static List<ExportTraceServiceRequest> spans() {
    List<Span> s = new ArrayList<>();
    call(s, 1, "store", 100, 60L, null, "SET 60");
    call(s, 2, "retrieve", 200, null, true, "GET");
    call(s, 3, "store", 300, 60L, null, "SET");
    call(s, 4, "retrieve", 400, null, true, "GET");
    call(s, 5, "delete", 600, null, null, "DEL");
    call(s, 6, "retrieve", 700, null, false, "GET");
    call(s, 7, "store", 800, 1L, null, "SET 1");
    call(s, 8, "retrieve", 2100, null, false, "GET");
    call(s, 9, "store", 2200, null, null, "SET");
    call(s, 10, "retrieve", 2400, null, false, "GET");
    call(s, 11, "store", 2500, null, null, "SET");
    call(s, 12, "retrieve", 2700, null, false, "GET");
    // a key that ends with plan-a inside a longer name: none of plan-a's record
    Span decoy = memory(trace(25), null, "store", 150, 4, "xplan-a", "plans", 5L);
    s.add(decoy);
    s.add(redis(trace(25), decoy.getSpanId(), "SET", 151, 2, "plans:xplan-a", "localhost", 6379, "0"));
    // retention counted 3 SETs of namespace cache between 100 and 200 ms instead of exporting them
    s.add(span(trace(20), null, "app.task.bulk", 100, 100).addAttributes(attr("memtrace.compressed.count", 3L))
        .addEvents(LineageFixtures.compressed("SET", "cache", 3)).build());
    s.add(redis(trace(21), null, "GET", 300, 1, "cache:c1", "localhost", 6379, "0", "memory.found", false));
    s.add(redis(trace(22), null, "SET", 100, 1, "nocov:1", UNCOVERED, 6379, "0"));
    s.add(redis(trace(22), null, "GET", 200, 1, "nocov:1", UNCOVERED, 6379, "0", "memory.found", false));
    s.add(redis(trace(23), null, "SET", 100, 1, "nocov:2", UNCOVERED, 6379, "0", "memory.ttl", 1L));
    s.add(redis(trace(23), null, "GET", 1600, 1, "nocov:2", UNCOVERED, 6379, "0", "memory.found", false));
    s.add(redis(trace(24), null, "GET", 200, 1, "nocov:3", UNCOVERED, 6379, "0", "memory.found", false));
    return List.of(SpanFixtures.request(SVC, s));
  }

  public static List<Note> notifications() {
    return List.of(
        new Note(102, LOCAL, 0, "plans:plan-a", "plans", "set", "write"),
        new Note(103, LOCAL, 0, "plans:plan-a", "plans", "expire", "ttl"),
        new Note(302, LOCAL, 0, "plans:plan-a", "plans", "set", "write"),
        new Note(500, LOCAL, 0, "plans:plan-a", "plans", "set", "write"),
        new Note(602, LOCAL, 0, "plans:plan-a", "plans", "del", "delete"),
        new Note(802, LOCAL, 0, "plans:plan-a", "plans", "set", "write"),
        new Note(803, LOCAL, 0, "plans:plan-a", "plans", "expire", "ttl"),
        new Note(2000, LOCAL, 0, "plans:plan-a", "plans", "expired", "expiry"),
        new Note(2202, LOCAL, 0, "plans:plan-a", "plans", "set", "write"),
        new Note(2300, LOCAL, 0, "plans:plan-a", "plans", "evicted", "eviction"),
        new Note(2502, LOCAL, 0, "plans:plan-a", "plans", "set", "write"),
        new Note(2600, LOCAL, 0, "plans:plan-a", "plans", "del", "delete"),
        new Note(150, LOCAL, 0, "cache:c1", "cache", "set", "write"),
        new Note(152, LOCAL, 0, "plans:xplan-a", "plans", "set", "write"),
        new Note(900, LOCAL, 0, "plans:xplan-a", "plans", "del", "delete"));
  }

  public static List<Status> statuses() {
    return List.of(new Status(-1_000, LOCAL, "on", "KEA"), new Status(10_000, LOCAL, "on", "KEA"));
  }
}
