package io.memtrace.testsupport.genai;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.testsupport.ExportedSpans;
import io.memtrace.testsupport.ExportedSpans.Link;
import io.memtrace.testsupport.ExportedSpans.Span;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** Model-call spans ({@code gen_ai.operation.name=chat}) among exported spans, and their provenance links. */
public final class ModelCalls {

  private ModelCalls() {
  }

  /** Every model-call span. */
  public static List<Span> in(ExportedSpans exported) {
    return exported.where(s -> "chat".equals(s.attributes.get("gen_ai.operation.name")));
  }

  /** The calls of one conversation ({@code gen_ai.conversation.id}), in the order they started. */
  public static List<Span> of(List<Span> calls, String conversation) {
    return calls.stream().filter(s -> conversation.equals(s.attributes.get("gen_ai.conversation.id")))
        .sorted(Comparator.comparingLong(s -> s.start)).collect(Collectors.toList());
  }

  /** The one link of {@code call} whose {@code memtrace.context.source} is {@code source}; fails when not one. */
  public static Link link(Span call, String source) {
    List<Link> links = call.links.stream().filter(l -> source.equals(l.attributes.get("memtrace.context.source")))
        .collect(Collectors.toList());
    if (links.size() != 1) {
      throw new AssertionError(links.size() + " " + source + " links, not one, on " + call + ": " + call.links);
    }
    return links.get(0);
  }

  /**
   * Asserts that every call is the client span of a chat with {@link ModelServer}'s {@code test-model} through the
   * OpenAI API, as memtrace names it for either framework.
   */
  public static void assertTestModelChats(List<Span> calls) {
    assertThat(calls).allSatisfy(s -> {
      assertThat(s.name).isEqualTo("chat test-model");
      assertThat(s.kind).isEqualTo(Span.KIND_CLIENT);
      assertThat(s.attributes).containsEntry("gen_ai.provider.name", "openai")
          .containsEntry("gen_ai.request.model", "test-model");
    });
  }

  /** Asserts that {@code call} succeeded with the model {@code server} serves and the usage it answered. */
  public static void assertAnswered(ModelServer server, Span call) {
    assertThat(call.statusCode).as("%s", call).isEqualTo(1);
    assertThat(call.attributes).containsEntry("gen_ai.response.model", "test-model-served");
    assertUsageAnswered(server, call);
  }

  /**
   * Asserts that the first call of {@code conversation} failed, with an error type, within 2.9 s: when the client gave
   * up or cancelled, not when a server stalled for 3 s ({@link ModelServer#stallMillis}) answered. Returns it.
   */
  public static Span assertFailedEarly(List<Span> calls, String conversation, String endedWhen) {
    Span call = assertFailed(calls, conversation);
    assertThat(call.end - call.start).as(endedWhen).isLessThan(2_900_000_000L);
    return call;
  }

  /** Asserts that the first call of {@code conversation} failed, with an error type. Returns it. */
  public static Span assertFailed(List<Span> calls, String conversation) {
    Span call = of(calls, conversation).get(0);
    assertThat(call.statusCode).as("%s", call).isEqualTo(2);
    assertThat(call.attributes).containsKey("error.type");
    return call;
  }

  /** Whether the call's usage is one the server answered. */
  public static void assertUsageAnswered(ModelServer server, Span call) {
    List<Object> usage = List.of(String.valueOf(call.attributes.get("gen_ai.usage.input_tokens")),
        String.valueOf(call.attributes.get("gen_ai.usage.output_tokens")));
    boolean answered = server.usages().stream()
        .anyMatch(u -> usage.equals(List.of(String.valueOf(u.get(0)), String.valueOf(u.get(1)))));
    if (!answered) {
      throw new AssertionError("usage " + usage + " of " + call + " is none the server answered: " + server.usages());
    }
  }

  /**
   * The last top-level read ({@code memory.operation=retrieve}, no parent: not the read a chat memory makes inside
   * its own write) of {@code conversation}'s memory in {@code namespace} that ended by {@code start}: the read that
   * fed the prompt of a call that started then.
   */
  public static Optional<Span> lastReadBefore(ExportedSpans exported, String namespace, String conversation,
      long start) {
    return exported.where(s -> namespace.equals(s.attributes.get("memory.namespace"))
            && "retrieve".equals(s.attributes.get("memory.operation"))
            && conversation.equals(s.attributes.get("memory.key")) && s.parentSpanId.isEmpty() && s.end <= start)
        .stream().max(Comparator.comparingLong(s -> s.end));
  }
}
