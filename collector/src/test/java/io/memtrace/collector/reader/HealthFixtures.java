package io.memtrace.collector.reader;

import static io.memtrace.collector.SpanFixtures.memory;
import static io.memtrace.collector.lineage.LineageFixtures.redis;

import com.google.protobuf.ByteString;
import io.memtrace.collector.SpanFixtures;
import io.memtrace.collector.provenance.TenantRule;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Memory calls whose TTL truth and health are known (milliseconds after {@link SpanFixtures#T0}; each memory span with
 * its Redis commands as children, Redis keys {@code namespace:key}; tenants by the key's {@code uN-} prefix):
 * <ul>
 * <li>{@code chat}: u1-c1 stored (TTL 60, fingerprint F1), read, stored again with F1 (an unchanged rewrite that
 *     nobody reads: it expired); u2-c2 stored with F1 (a duplicate value under another key) and read; u2-c3 stored
 *     with no TTL in a namespace whose other keys have one;</li>
 * <li>{@code lost}: u1-l1 stored with TTL 300 whose SET set none (ttl_lost); u1-l2 with TTL 300 whose SET set 100
 *     (ttl_differs); neither read;</li>
 * <li>{@code facts}: a search that GETs each of its 6 records (an N+1), and a search that found nothing;</li>
 * <li>{@code notes}: never read: u3-n1 stored and overwritten, u3-n2 stored and deleted;</li>
 * <li>{@code stale}: u1-s1 stored with TTL 1 s and read 3 s later, found (a stale read);</li>
 * <li>checkpoint keys (Redis only): thread t1's checkpoint key had its TTL refreshed 60 s after its blob's (drift);
 *     thread t2's two keys were set together.</li>
 * </ul>
 */
public final class HealthFixtures {

  public static final String TRACE = "0000000000000000000000000000a1a1";
  public static final String CHECKPOINTS = "0000000000000000000000000000a2a2";
  public static final String F1 = "00000000000000f1";
  public static final String F2 = "00000000000000f2";
  /** Tenants by key: u1, u2, u3. */
  public static final TenantRule RULE = new TenantRule(null, null, Pattern.compile("^(u[0-9]+)-"));

  private HealthFixtures() {
  }

  public static List<ExportTraceServiceRequest> payloads() {
    List<Span> spans = new ArrayList<>();
    call(spans, "store", 0, "chat", "u1-c1", "memory.ttl", 60L, "memory.value.fingerprint", F1)
        .child("SET", "memory.ttl", 60L);
    call(spans, "retrieve", 1000, "chat", "u1-c1", "memory.found", true).child("GET", "memory.found", true);
    call(spans, "store", 2000, "chat", "u1-c1", "memory.ttl", 60L, "memory.value.fingerprint", F1)
        .child("SET", "memory.ttl", 60L);
    call(spans, "store", 3000, "chat", "u2-c2", "memory.ttl", 60L, "memory.value.fingerprint", F1)
        .child("SET", "memory.ttl", 60L);
    call(spans, "retrieve", 3500, "chat", "u2-c2", "memory.found", true).child("GET", "memory.found", true);
    call(spans, "store", 3600, "chat", "u2-c3", "memory.value.fingerprint", F2).child("SET");
    call(spans, "store", 100, "lost", "u1-l1", "memory.ttl", 300L).child("SET");
    call(spans, "store", 200, "lost", "u1-l2", "memory.ttl", 300L).child("SET", "memory.ttl", 100L);
    Call search = call(spans, "search", 4000, "facts", "u1-*", "memory.result_count", 6L);
    for (int i = 1; i <= 6; i++) {
      search.childOn("GET", "facts:u1-f" + i, "memory.found", true);
    }
    call(spans, "search", 4500, "facts", "u1-*", "memory.result_count", 0L);
    call(spans, "store", 7000, "notes", "u3-n1").child("SET");
    call(spans, "store", 7100, "notes", "u3-n1").child("SET");
    call(spans, "store", 7200, "notes", "u3-n2").child("SET");
    call(spans, "delete", 7300, "notes", "u3-n2").child("DEL");
    call(spans, "store", 6000, "stale", "u1-s1", "memory.ttl", 1L).child("SET", "memory.ttl", 1L);
    call(spans, "retrieve", 9000, "stale", "u1-s1", "memory.found", true).child("GET", "memory.found", true);
    List<Span> checkpoints = new ArrayList<>();
    for (String thread : List.of("t1", "t2")) {
      for (String family : List.of("checkpoint", "checkpoint_blob")) {
        checkpoints.add(redis(CHECKPOINTS, "SET", 5000, family + ":" + thread + ":ns:1", "memory.ttl", 600L,
            "memory.value_size", 10L));
      }
    }
    checkpoints.add(redis(CHECKPOINTS, "EXPIRE", 65000, "checkpoint:t1:ns:1", "memory.ttl", 600L));
    return List.of(SpanFixtures.request("health-svc", spans), SpanFixtures.request("checkpointer", checkpoints));
  }

  private static Call call(List<Span> spans, String op, long at, String namespace, String key, Object... extra) {
    Span span = memory(TRACE, null, op, at, 20, key, namespace, null, extra);
    spans.add(span);
    return new Call(spans, span.getSpanId(), at, namespace + ":" + key);
  }

  /** A memory call, to which Redis commands are added as children, 1 ms apart. */
  private record Call(List<Span> spans, ByteString id, long at, String key) {

    Call child(String command, Object... extra) {
      return childOn(command, key, extra);
    }

    Call childOn(String command, String redisKey, Object... extra) {
      Object[] attributes = new Object[extra.length + 2];
      System.arraycopy(extra, 0, attributes, 0, extra.length);
      attributes[extra.length] = "memory.value_size";
      attributes[extra.length + 1] = command.equals("DEL") ? 0L : 10L;
      long n = spans.stream().filter(s -> s.getParentSpanId().equals(id)).count();
      spans.add(redis(TRACE, id, command, at + 1 + n, 1, redisKey, io.memtrace.collector.lineage.LineageFixtures.REDIS,
          io.memtrace.collector.lineage.LineageFixtures.PORT, "0", attributes));
      return this;
    }
  }
}
