package io.memtrace.collector.provenance;

import static io.memtrace.collector.SpanFixtures.attr;
import static io.memtrace.collector.SpanFixtures.span;

import com.google.protobuf.ByteString;
import io.memtrace.collector.SpanFixtures;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A model call whose memory is known: an ingest service writes a conversation's chat memory and two documents (one of
 * another tenant); the assistant's turn reads the chat memory and searches the documents under two memory spans, then
 * calls the model, whose span links to both; between the read and the call another service rewrites the chat memory.
 * A second model call, from an instrumentation that adds no links, has no provenance. Times are ms after T0.
 */
public final class ModelCallFixtures {

  public static final String WRITER_TRACE = "00000000000000000000000000000a01";
  public static final String CALL_TRACE = "00000000000000000000000000000c01";
  public static final String REWRITER_TRACE = "00000000000000000000000000000e01";
  public static final String REDIS = "10.0.0.5";

  public static final TenantRule RULE = new TenantRule(Pattern.compile("^([^:]+):"), null, Pattern.compile("^(?:chat|docs):([^:]+):"));

  private ModelCallFixtures() {
  }

  public static Span redis(String trace, ByteString parent, String command, long at, String key) {
    return span(trace, parent, command, at, 1).setKind(Span.SpanKind.SPAN_KIND_CLIENT)
        .addAttributes(attr("db.system.name", "redis")).addAttributes(attr("db.operation.name", command))
        .addAttributes(attr("memory.key", key)).addAttributes(attr("memory.namespace", key.substring(0, key.lastIndexOf(':'))))
        .addAttributes(attr("server.address", REDIS)).addAttributes(attr("server.port", 6379L))
        .addAttributes(attr("db.namespace", "0")).build();
  }

  public static Span.Link link(Span memory, String source, long records) {
    return Span.Link.newBuilder().setTraceId(memory.getTraceId()).setSpanId(memory.getSpanId())
        .addAttributes(attr("memtrace.context.source", source)).addAttributes(attr("memtrace.context.records", records))
        .build();
  }

  public static Span.Builder model(String trace, ByteString parent, long at, String conversation) {
    return span(trace, parent, "chat gpt-4o", at, 50).setKind(Span.SpanKind.SPAN_KIND_CLIENT)
        .addAttributes(attr("gen_ai.operation.name", "chat")).addAttributes(attr("gen_ai.provider.name", "openai"))
        .addAttributes(attr("gen_ai.request.model", "gpt-4o")).addAttributes(attr("gen_ai.response.model", "gpt-4o-2024"))
        .addAttributes(attr("gen_ai.usage.input_tokens", 1000L)).addAttributes(attr("gen_ai.usage.output_tokens", 50L))
        .addAttributes(attr("gen_ai.conversation.id", conversation));
  }

  public static ExportTraceServiceRequest writer() {
    List<Span> spans = new ArrayList<>();
    Span task = span(WRITER_TRACE, null, "ingest.load", 0, 20).build();
    spans.add(task);
    spans.add(redis(WRITER_TRACE, task.getSpanId(), "SET", 1, "chat:acme:c1"));
    spans.add(redis(WRITER_TRACE, task.getSpanId(), "HSET", 5, "docs:acme:d1"));
    spans.add(redis(WRITER_TRACE, task.getSpanId(), "HSET", 6, "docs:globex:d9"));
    return SpanFixtures.request("ingester", spans);
  }

  public static ExportTraceServiceRequest rewriter() {
    return SpanFixtures.request("other-svc", List.of(redis(REWRITER_TRACE, null, "SET", 150, "chat:acme:c1")));
  }

  /** The assistant's turn: the chat-memory read, the search, the linked model call, and a call without links. */
  public static ExportTraceServiceRequest turn() {
    List<Span> spans = new ArrayList<>();
    Span root = span(CALL_TRACE, null, "assistant.turn", 100, 300).build();
    spans.add(root);
    Span chat = SpanFixtures.memory(CALL_TRACE, root.getSpanId(), "retrieve", 110, 10, "acme:c1", "chat", 300L);
    spans.add(chat);
    spans.add(redis(CALL_TRACE, chat.getSpanId(), "GET", 111, "chat:acme:c1"));
    Span search = SpanFixtures.memory(CALL_TRACE, root.getSpanId(), "search", 130, 10, "question", "docs", null,
        "memory.result_count", 2L);
    spans.add(search);
    spans.add(redis(CALL_TRACE, search.getSpanId(), "HGETALL", 131, "docs:acme:d1"));
    spans.add(redis(CALL_TRACE, search.getSpanId(), "HGETALL", 132, "docs:globex:d9"));
    spans.add(model(CALL_TRACE, root.getSpanId(), 200, "acme:c1").addLinks(link(chat, "chat_memory", 4))
        .addLinks(link(search, "retrieval", 2)).addAttributes(attr("memtrace.context.records", 6L))
        .addAttributes(attr("memtrace.context.prompt_share", 0.4)).build());
    spans.add(model(CALL_TRACE, root.getSpanId(), 320, "acme:c1").build());
    return SpanFixtures.request("assistant", spans);
  }

  /**
   * Correct calls {@code from} to {@code to}, 2 ms apart after the fixture's: each its own trace and conversation,
   * tenant acme or globex, that writes the conversation's key, reads it under a chat-memory span, for every second
   * call writes it again (the user's message added after the read, in the same trace), then calls the model.
   */
  public static ExportTraceServiceRequest correctCalls(int from, int to) {
    List<Span> spans = new ArrayList<>();
    for (int i = from; i < to; i++) {
      String trace = String.format("%032x", 0x7000_0000L + i);
      String tenant = i % 2 == 0 ? "acme" : "globex";
      String conversation = tenant + ":conv" + i;
      String key = "chat:" + conversation;
      long t = 1_000 + i * 2L;
      Span root = span(trace, null, "assistant.turn", t, 2).build();
      spans.add(root);
      spans.add(redis(trace, root.getSpanId(), "SET", t, key));
      Span memory = SpanFixtures.memory(trace, root.getSpanId(), "retrieve", t, 1, conversation, "chat", 10L,
          "gen_ai.conversation.id", conversation);
      spans.add(memory);
      spans.add(redis(trace, memory.getSpanId(), "GET", t + 1, key));
      if (i % 2 == 0) {
        spans.add(redis(trace, root.getSpanId(), "SET", t + 1, key));
      }
      spans.add(model(trace, root.getSpanId(), t + 2, conversation).addLinks(link(memory, "chat_memory", 1))
          .addAttributes(attr("memtrace.context.records", 1L)).addAttributes(attr("memtrace.context.prompt_share", 0.25))
          .build());
    }
    return SpanFixtures.request("assistant", spans);
  }
}
