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
 *   <li>coverage, each key written and then not found with no event between: {@code other:1} on {@link #NARROW}
 *       (its namespace not watched), {@code late:1} on {@link #LATE} (before the subscription), {@code gap:1},
 *       {@code flood:1} and {@code calm:1} on {@link #GAPPY} (disconnected; notifications of its namespace lost;
 *       only another namespace's lost, so watched and reporting nothing).</li>
 *   <li>on that Redis too, {@code ttl:later} written with a 1 s TTL that an EXPIRE of 600 s lengthened, and
 *       {@code ttl:set} written without one and given 1 s by an EXPIRE, each read 1.5 s after it was written.</li>
 *   <li>{@code plan-b} in memory store {@code drafts}: stored, changed outside the traced services (a {@code set}
 *       notification no span accounts for), then read: the read saw the outside change.</li>
 * </ul>
 */
public final class TimelineFixtures {

  public static final String SVC = "timeline-svc";
  public static final String LOCAL = "127.0.0.1:6379";
  public static final String UNCOVERED = "10.0.0.9";
  /** A Redis whose notifications cover only the namespaces {@code plans*}. */
  public static final String NARROW = "10.0.0.7";
  /** A Redis whose notifications began at 5 s. */
  public static final String LATE = "10.0.0.6";
  /** A Redis whose notifications were disconnected from 300 to 600 ms, and lost some of namespace flood by 1 s. */
  public static final String GAPPY = "10.0.0.8";
  /** The keys of the coverage fixtures: each written at 100 or 700 ms and not found 100 to 300 ms later. */
  public static final List<String> COVERAGE_KEYS = List.of("other:1", "late:1", "gap:1", "flood:1", "calm:1",
      "ttl:later", "ttl:set");

  /** A notification row: {@code at} ms after T0. */
  public record Note(long at, String redis, int db, String key, String namespace, String event, String kind) {

    public long micros() {
      return SpanFixtures.T0 / 1_000 + at * 1_000;
    }
  }

  /**
   * A status row: the namespaces it covers ({@code *} every one), the notifications lost so far, and the namespaces
   * that lost them since the row before (null: none).
   */
  public record Status(long at, String redis, String state, String config, String namespaces, long dropped,
      String droppedNamespaces) {

    /** A status of every namespace, nothing lost. */
    public Status(long at, String redis, String state, String config) {
      this(at, redis, state, config, "*", 0, null);
    }

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
    // a TTL the write set and a later EXPIRE changed: lengthened (the write's ran out, the key's did not), and set
    s.add(redis(trace(26), null, "SET", 100, 1, "ttl:later", UNCOVERED, 6379, "0", "memory.ttl", 1L));
    s.add(redis(trace(26), null, "EXPIRE", 300, 1, "ttl:later", UNCOVERED, 6379, "0", "memory.ttl", 600L));
    s.add(redis(trace(26), null, "GET", 1500, 1, "ttl:later", UNCOVERED, 6379, "0", "memory.found", false));
    s.add(redis(trace(27), null, "SET", 100, 1, "ttl:set", UNCOVERED, 6379, "0"));
    s.add(redis(trace(27), null, "EXPIRE", 200, 1, "ttl:set", UNCOVERED, 6379, "0", "memory.ttl", 1L));
    s.add(redis(trace(27), null, "GET", 1500, 1, "ttl:set", UNCOVERED, 6379, "0", "memory.found", false));
    coverage(s, 40, "other:1", NARROW, 100, 200);
    coverage(s, 41, "late:1", LATE, 100, 200);
    coverage(s, 42, "gap:1", GAPPY, 100, 400);
    coverage(s, 43, "flood:1", GAPPY, 700, 900);
    coverage(s, 44, "calm:1", GAPPY, 700, 900);
    // a DEL whose reply says it removed nothing, then an outside DEL: Redis's del is the outside one's
    s.add(redis(trace(50), null, "SET", 100, 1, "noop:1", "localhost", 6379, "0"));
    s.add(redis(trace(50), null, "DEL", 300, 1, "noop:1", "localhost", 6379, "0", "memory.result_count", 0L));
    s.add(redis(trace(50), null, "GET", 500, 1, "noop:1", "localhost", 6379, "0", "memory.found", false));
    // a SET whose span names no database (ioredis's), in database 3 as its notification says, read there
    Span placed = redis(trace(51), null, "SET", 100, 1, "nodb:1", "localhost", 6379, "0");
    s.add(placed.toBuilder().clearAttributes().addAllAttributes(placed.getAttributesList().stream()
        .filter(a -> !a.getKey().equals("db.namespace")).toList()).build());
    s.add(redis(trace(51), null, "GET", 300, 1, "nodb:1", "localhost", 6379, "3", "memory.found", true));
    // a pipeline that writes two keys, then a transaction that deletes one and sets the other's TTL: their spans
    // name no key, their memtrace.batch.command events do
    s.add(batch(52, "PIPELINE SET", 100, event("SET", "batch:a"), event("SET", "batch:b")));
    s.add(batch(52, "MULTI", 300, event("DEL", "batch:a", "memory.result_count", 1L),
        event("PEXPIRE", "batch:b", "memory.ttl", 60L)));
    s.add(redis(trace(52), null, "GET", 500, 1, "batch:a", "localhost", 6379, "0", "memory.found", false));
    s.add(redis(trace(52), null, "GET", 500, 1, "batch:b", "localhost", 6379, "0", "memory.found", true));
    Span draft = memory(trace(30), null, "store", 100, 4, "plan-b", "drafts", 8L);
    s.add(draft);
    s.add(redis(trace(30), draft.getSpanId(), "SET", 101, 2, "drafts:plan-b", "localhost", 6379, "0"));
    Span read = memory(trace(31), null, "retrieve", 300, 4, "plan-b", "drafts", 9L, "memory.found", true);
    s.add(read);
    s.add(redis(trace(31), read.getSpanId(), "GET", 301, 2, "drafts:plan-b", "localhost", 6379, "0", "memory.found",
        true));
    return List.of(SpanFixtures.request(SVC, s));
  }

  /** A pipeline or transaction of trace {@code n} at {@code at} (2 ms), its commands' key events {@code commands}. */
  private static Span batch(int n, String name, long at, Span.Event... commands) {
    Span.Builder b = span(trace(n), null, name, at, 2).setKind(Span.SpanKind.SPAN_KIND_CLIENT)
        .addAttributes(attr("db.system.name", "redis")).addAttributes(attr("db.operation.name", name))
        .addAttributes(attr("server.address", "localhost")).addAttributes(attr("server.port", 6379L))
        .addAttributes(attr("db.namespace", "0"));
    for (Span.Event e : commands) {
      b.addEvents(e.toBuilder().setTimeUnixNano(io.memtrace.collector.SpanFixtures.T0 + (at + 2) * 1_000_000L));
    }
    return b.build();
  }

  private static Span.Event event(String command, String key, Object... extra) {
    Span.Event.Builder e = Span.Event.newBuilder().setName("memtrace.batch.command")
        .addAttributes(attr("db.operation.name", command)).addAttributes(attr("memory.key", key))
        .addAttributes(attr("memory.namespace", key.substring(0, key.indexOf(':'))));
    for (int i = 0; i + 1 < extra.length; i += 2) {
      e.addAttributes(attr((String) extra[i], extra[i + 1]));
    }
    return e.build();
  }

  /** A SET of {@code key} at {@code written} and a GET that found nothing at {@code read}, in trace {@code n}. */
  private static void coverage(List<Span> s, int n, String key, String host, long written, long read) {
    s.add(redis(trace(n), null, "SET", written, 1, key, host, 6379, "0"));
    s.add(redis(trace(n), null, "GET", read, 1, key, host, 6379, "0", "memory.found", false));
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
        new Note(900, LOCAL, 0, "plans:xplan-a", "plans", "del", "delete"),
        new Note(102, LOCAL, 0, "noop:1", "noop", "set", "write"),
        new Note(305, LOCAL, 0, "noop:1", "noop", "del", "delete"),
        new Note(102, LOCAL, 3, "nodb:1", "nodb", "set", "write"),
        new Note(101, LOCAL, 0, "batch:a", "batch", "set", "write"),
        new Note(101, LOCAL, 0, "batch:b", "batch", "set", "write"),
        new Note(301, LOCAL, 0, "batch:a", "batch", "del", "delete"),
        new Note(301, LOCAL, 0, "batch:b", "batch", "expire", "ttl"),
        new Note(102, LOCAL, 0, "drafts:plan-b", "drafts", "set", "write"),
        new Note(200, LOCAL, 0, "drafts:plan-b", "drafts", "set", "write"));
  }

  public static List<Status> statuses() {
    String narrow = NARROW + ":6379";
    String gappy = GAPPY + ":6379";
    return List.of(new Status(-1_000, LOCAL, "on", "KEA"), new Status(10_000, LOCAL, "on", "KEA"),
        new Status(-1_000, narrow, "on", "KEA", "plans*", 0, null), new Status(10_000, narrow, "on", "KEA", "plans*", 0,
            null),
        new Status(5_000, LATE + ":6379", "on", "KEA"),
        new Status(-1_000, gappy, "on", "KEA"), new Status(300, gappy, "disconnected", "KEA"),
        new Status(600, gappy, "on", "KEA"), new Status(1_000, gappy, "on", "KEA", "*", 5, "flood"),
        new Status(10_000, gappy, "on", "KEA", "*", 5, null));
  }
}
