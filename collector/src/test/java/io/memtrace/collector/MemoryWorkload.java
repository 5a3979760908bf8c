package io.memtrace.collector;

import static io.memtrace.collector.SpanFixtures.attr;
import static io.memtrace.collector.SpanFixtures.memory;
import static io.memtrace.collector.SpanFixtures.span;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.ArrayList;
import java.util.List;

/**
 * Memory-manager operations with known key usage, seed-shaped ({@link Conventions} gives the other
 * shapes): a hot conversation, one written and never read, one read once, a miss, a deleted one, a failed
 * retrieve, a vector search, with Redis commands under two of them and a model call beside them.
 */
public final class MemoryWorkload {

  public static final String TRACE = "0000000000000000000000000000e3e0";

  private MemoryWorkload() {
  }

  public static ExportTraceServiceRequest chat() {
    String t = TRACE;
    Span task = span(t, null, "aqe.task.chat", 0, 5000).addAttributes(attr("agent.id", "assistant")).build();
    Span hotStore = memory(t, task.getSpanId(), "store", 10, 3, "conv-1", "ChatMemory", 120L,
        "memory.item_count", 2L, "memory.ttl", 600L);
    List<Span> spans = new ArrayList<>(List.of(task, hotStore, redisUnder(hotStore, "SET", 11, "chat:conv-1", 120L)));
    for (int i = 1; i <= 4; i++) {
      spans.add(memory(t, task.getSpanId(), "retrieve", 100 * i, i, "conv-1", "ChatMemory", 120L, "memory.found", true));
    }
    spans.add(memory(t, task.getSpanId(), "store", 600, 9, "conv-2", "ChatMemory", 4096L, "memory.item_count", 8L));
    spans.add(memory(t, task.getSpanId(), "store", 700, 2, "conv-3", "ChatMemory", 64L, "memory.ttl", 60L));
    Span onceRead = memory(t, task.getSpanId(), "retrieve", 800, 2, "conv-3", "ChatMemory", 64L, "memory.found", true);
    spans.add(onceRead);
    spans.add(redisUnder(onceRead, "GET", 801, "chat:conv-3", 64L));
    spans.add(memory(t, task.getSpanId(), "retrieve", 900, 1, "conv-4", "ChatMemory", null, "memory.found", false));
    spans.add(memory(t, task.getSpanId(), "store", 1000, 2, "conv-5", "ChatMemory", 32L, "memory.ttl", 60L));
    spans.add(memory(t, task.getSpanId(), "delete", 1100, 1, "conv-5", "ChatMemory", null));
    spans.add(memory(t, task.getSpanId(), "retrieve", 1200, 7, "conv-6", "ChatMemory", null, "error.type", "IOException")
        .toBuilder().setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("reset")).build());
    spans.add(memory(t, task.getSpanId(), "search", 1300, 11, null, "VectorStore", null, "memory.result_count", 3L,
        "memory.search.top_k", 4L));
    // a model call: GenAI names, but no memory operation
    spans.add(span(t, task.getSpanId(), "chat gpt-4o", 1400, 900).setKind(Span.SpanKind.SPAN_KIND_CLIENT)
        .addAttributes(attr("gen_ai.operation.name", "chat")).addAttributes(attr("gen_ai.request.model", "gpt-4o")).build());
    return SpanFixtures.request("chat-app", spans);
  }

  private static Span redisUnder(Span parent, String command, long offsetMillis, String key, long size) {
    return span(TRACE, parent.getSpanId(), command, offsetMillis, 1)
        .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
        .addAttributes(attr("db.system.name", "redis"))
        .addAttributes(attr("db.operation.name", command))
        .addAttributes(attr("memory.key", key))
        .addAttributes(attr("memory.namespace", "chat"))
        .addAttributes(attr("memory.value_size", size)).build();
  }
}
