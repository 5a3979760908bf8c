package io.memtrace.collector.values;

import static io.memtrace.collector.SpanFixtures.attr;

import io.memtrace.collector.SpanFixtures;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Spans carrying {@code memory.value} events as the agent sends them (ISSUE51.md's wire table): Redis CLIENT spans of
 * SET, HSET and MSET, and a memory-manager store with an object value, plus value events the collector must refuse.
 */
public final class ValueEventFixtures {

  public static final String TRACE = "5a1e0000000000000000000000000001";

  private ValueEventFixtures() {
  }

  /**
   * A {@code memory.value} event at {@code timeNanos} with every attribute the agent sends, {@code extra} name and value
   * pairs overriding them or added after them.
   */
  public static Span.Event agentValue(long timeNanos, String key, String change, String type, String payload,
      Object... extra) {
    Map<String, Object> attributes = new LinkedHashMap<>();
    attributes.put("memory.key", key);
    attributes.put("memory.value.change", change);
    attributes.put("memory.value.type", type);
    attributes.put("memory.value", payload);
    attributes.put("memory.value.encoding", "utf8");
    attributes.put("memory.value.size", (long) payload.getBytes(StandardCharsets.UTF_8).length);
    for (int i = 0; i + 1 < extra.length; i += 2) {
      attributes.put((String) extra[i], extra[i + 1]);
    }
    Span.Event.Builder e = Span.Event.newBuilder().setName("memory.value").setTimeUnixNano(timeNanos);
    attributes.forEach((k, v) -> e.addAttributes(attr(k, v)));
    return e.build();
  }

  /** A {@code memory.value} event at {@code offsetMillis} after {@link SpanFixtures#T0}. */
  public static Span.Event value(long offsetMillis, String key, String change, String type, String payload,
      Object... extra) {
    Span.Event.Builder e = Span.Event.newBuilder().setName("memory.value")
        .setTimeUnixNano(SpanFixtures.T0 + offsetMillis * 1_000_000);
    if (key != null) {
      e.addAttributes(attr("memory.key", key));
    }
    if (change != null) {
      e.addAttributes(attr("memory.value.change", change));
    }
    e.addAttributes(attr("memory.value.type", type))
        .addAttributes(attr("memory.value", payload))
        .addAttributes(attr("memory.value.encoding", "utf8"))
        .addAttributes(attr("memory.value.size", (long) payload.getBytes(java.nio.charset.StandardCharsets.UTF_8).length));
    for (int i = 0; i + 1 < extra.length; i += 2) {
      e.addAttributes(attr((String) extra[i], extra[i + 1]));
    }
    return e.build();
  }

  /** A Redis client span of {@code command} on {@code key} ending at {@code offset + 1} ms, with {@code events}. */
  public static Span redis(String command, long offset, String key, Span.Event... events) {
    Span.Builder s = SpanFixtures.redisClient(SpanFixtures.span(TRACE, null, command, offset, 1), command, key,
            key.substring(0, key.lastIndexOf(':')))
        .addEvents(Span.Event.newBuilder().setName("memory.set.started").setTimeUnixNano(SpanFixtures.T0 + offset * 1_000_000));
    for (Span.Event e : events) {
      s.addEvents(e);
    }
    return s.build();
  }

  /**
   * Four writes of a session's keys: SET (secret text), HSET of one field, MSET of two keys in two namespaces, and a
   * memory-manager store of a JSON object; the SET also carries a malformed value event (no key) and one with an
   * unknown change, which must be dropped and counted while the span is kept.
   */
  public static ExportTraceServiceRequest session() {
    return SpanFixtures.request("values-app", List.of(
        redis("SET", 0, "sess:1:name", value(1, "sess:1:name", "replace", "string", "secret-alice"),
            value(1, null, "replace", "string", "lost"), value(1, "sess:1:name", "shuffle", "string", "lost too")),
        redis("HSET", 10, "sess:1:profile", value(11, "sess:1:profile", "fields_set", "hash", "{\"city\":\"Oslo\"}")),
        redis("MSET", 20, "sess:1:a", value(21, "sess:1:a", "replace", "string", "A1"),
            value(21, "cache:b", "replace", "string", "B1")),
        SpanFixtures.span(TRACE, null, "aqe.memory.store", 30, 2)
            .addAttributes(attr("memory.operation", "store"))
            .addAttributes(attr("memory.namespace", "notes"))
            .addAttributes(attr("memory.key", "note-7"))
            .addEvents(value(32, "note-7", "replace", "object", "{\"text\":\"remember the milk\"}"))
            .build()));
  }
}
