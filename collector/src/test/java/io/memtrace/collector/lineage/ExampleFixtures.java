package io.memtrace.collector.lineage;

import static io.memtrace.collector.SpanFixtures.attr;
import static io.memtrace.collector.SpanFixtures.memory;
import static io.memtrace.collector.SpanFixtures.span;

import com.google.protobuf.ByteString;
import io.memtrace.collector.SpanFixtures;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.List;

/**
 * What the README's lineage queries run on in the tests: the demo's record written by one agent and
 * read by another, rewritten unchanged, written again by another service, expired and then missed; a
 * cache entry that vanished before its TTL; and a chat agent's trace whose two LLM calls each read
 * memory first. Times are milliseconds after {@link SpanFixtures#T0}.
 */
final class ExampleFixtures {

  static final String PLAN_TRACE = "9a98f1c2000000000000000000000001";
  static final String REWRITE_TRACE = "9a98f1c2000000000000000000000002";
  static final String CHAT_TRACE = "c4a7000000000000000000000000c4a7";
  static final String PLAN = "aqe/test-plans:test-plan-user-service";

  private ExampleFixtures() {
  }

  static ExportTraceServiceRequest fleet() {
    List<Span> spans = new ArrayList<>();
    Span generate = span(PLAN_TRACE, null, "aqe.task.generate", 0, 400).build();
    Span execute = span(PLAN_TRACE, null, "aqe.task.execute", 400, 300).build();
    Span analyze = span(PLAN_TRACE, null, "aqe.task.analyze", 700, 50).build();
    spans.add(generate);
    spans.add(execute);
    spans.add(analyze);
    Span store = memory(PLAN_TRACE, generate.getSpanId(), "store", 3, 390, "test-plan-user-service", "aqe/test-plans",
        262L, "memory.ttl", 3600L);
    spans.add(store);
    spans.add(redis(PLAN_TRACE, store.getSpanId(), "SET", 390, PLAN, "memory.value_size", 262L, "memory.ttl", 3600L));
    Span retrieve = memory(PLAN_TRACE, execute.getSpanId(), "retrieve", 401, 3, "test-plan-user-service",
        "aqe/test-plans", 262L, "memory.found", true);
    spans.add(retrieve);
    spans.add(redis(PLAN_TRACE, retrieve.getSpanId(), "GET", 401, PLAN, "memory.found", true, "memory.value_size", 262L));
    spans.add(memory(PLAN_TRACE, analyze.getSpanId(), "search", 701, 9, "test-plan-%", "aqe/test-plans", null,
        "memory.result_count", 0L));
    // the same plan stored again, unchanged, then the key rewritten by another service with a 1 s TTL, and missed
    Span again = memory(REWRITE_TRACE, null, "store", 5_000, 2, "test-plan-user-service", "aqe/test-plans", 262L);
    spans.add(again);
    spans.add(redis(REWRITE_TRACE, again.getSpanId(), "SET", 5_001, PLAN, "memory.value_size", 262L));
    List<Span> planner = new ArrayList<>();
    planner.add(redis(REWRITE_TRACE, null, "SETEX", 6_000, PLAN, "memory.value_size", 270L, "memory.ttl", 1L));
    spans.add(redis(REWRITE_TRACE, null, "GET", 9_000, PLAN, "memory.found", false));
    // a cache entry with a 60 s TTL, gone two seconds later: why is unknown (no notification recorded)
    spans.add(redis(REWRITE_TRACE, null, "SETEX", 9_100, "cache:jwt-libraries", "memory.value_size", 33L, "memory.ttl", 60L));
    spans.add(redis(REWRITE_TRACE, null, "GET", 11_100, "cache:jwt-libraries", "memory.found", false));
    // written twenty minutes before it is read, by a trace of its own
    spans.add(redis("00000000000000000000000000000001", null, "SET", -1_200_000, "cache:old", "memory.value_size", 9L));
    spans.add(redis(REWRITE_TRACE, null, "GET", 9_500, "cache:old", "memory.found", true, "memory.value_size", 9L));
    return merge(SpanFixtures.request("aqe-fleet", spans), SpanFixtures.request("aqe-planner", planner));
  }

  /** A chat agent: memory read, an LLM call, memory read again, a second LLM call. */
  static ExportTraceServiceRequest chat() {
    List<Span> spans = new ArrayList<>();
    Span turn = span(CHAT_TRACE, null, "agent.turn", 20_000, 5_000).build();
    spans.add(turn);
    spans.add(memory(CHAT_TRACE, null, "store", 12_000, 2, "conversation-42", "chat", 512L));
    spans.add(memory(CHAT_TRACE, turn.getSpanId(), "retrieve", 20_010, 2, "conversation-42", "chat", 512L,
        "memory.found", true));
    spans.add(memory(CHAT_TRACE, turn.getSpanId(), "retrieve", 20_020, 2, "user-profile-7", "profiles", null,
        "memory.found", false));
    spans.add(llm(turn.getSpanId(), 20_100, "chat gpt-4o"));
    spans.add(memory(CHAT_TRACE, turn.getSpanId(), "retrieve", 22_000, 2, "conversation-42", "chat", 530L,
        "memory.found", true));
    spans.add(llm(turn.getSpanId(), 22_100, "chat gpt-4o-mini"));
    return SpanFixtures.request("chat-agent", spans);
  }

  private static Span llm(ByteString parent, long at, String name) {
    return span(CHAT_TRACE, parent, name, at, 800).setKind(Span.SpanKind.SPAN_KIND_CLIENT)
        .addAttributes(attr("gen_ai.operation.name", "chat")).addAttributes(attr("gen_ai.request.model", name.substring(5)))
        .build();
  }

  private static Span redis(String trace, ByteString parent, String command, long at, String key, Object... extra) {
    return LineageFixtures.redis(trace, parent, command, at, 1, key, "127.0.0.1", 6379, "0", extra);
  }

  private static ExportTraceServiceRequest merge(ExportTraceServiceRequest a, ExportTraceServiceRequest b) {
    return a.toBuilder().addAllResourceSpans(b.getResourceSpansList()).build();
  }
}
