package io.memtrace.agent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.agent.instrumentation.method.CompiledRules;
import io.memtrace.agent.instrumentation.method.RuleRegistry;
import io.memtrace.agent.instrumentation.method.Rules;
import io.memtrace.agent.redis.KeyPolicy;
import io.memtrace.agent.span.SpanRecord;
import io.memtrace.common.NamespaceRule;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.EventData;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import io.memtrace.agent.config.ValueScope;
import io.memtrace.agent.values.ValueCapture;

/**
 * Memory spans under each {@code conventions} choice: the seed-000 names, the OpenTelemetry GenAI
 * memory names, or both, from one rule and one call.
 */
class MemorySpanNamingTest {

  /** A chat memory of the kind the built-in profiles trace: conversations of messages. */
  public static final class Conversations {
    public List<String> find(String conversationId, int topK) {
      return conversationId.equals("empty") ? List.of() : List.of("hello", "wörld");
    }

    public void save(String conversationId, List<String> messages) {
    }

    public void compact(String conversationId) {
    }

    public List<String> search(String pattern) {
      return List.of("chat-1", "chat-2");
    }
  }

  private final RuleRegistry registry = new RuleRegistry();
  private final int find = rule("find",
      "    attributes: { memory.namespace: this.class.simpleName }",
      "    methods:",
      "      - { name: find, operation: retrieve, key: arg0, value: return, value-size: text, found: return,",
      "          query: arg0, attributes: { memory.search.top_k: arg1 } }");
  private final int save = rule("save",
      "    methods:",
      "      - { name: save, operation: store, key: arg0, value: arg1, value-size: text }");

  private final int compact = rule("compact",
      "    methods:",
      "      - { name: compact, operation: compact, key: arg0 }");
  private final int search = rule("search",
      "    methods:",
      "      - { name: search, operation: search, key: arg0, results: return.size }");

  /** Registers the one rule that {@code lines}, under a memory manager entry of {@link Conversations}, make. */
  private int rule(String method, String... lines) {
    List<String> yaml = new java.util.ArrayList<>(List.of("memory-managers:",
        "  - type: " + Conversations.class.getName()));
    yaml.addAll(List.of(lines));
    return CompiledRules.register(registry, Rules.of(yaml.toArray(new String[0])).get(0), Conversations.class, method);
  }

  private SpanRecord span(String conventions, boolean captureValues, int rule, Object[] args, Object returned,
      Throwable error) {
    KeyPolicy keys = new KeyPolicy(true, List.of(), NamespaceRule.defaultRule().pattern());
    MethodSpanFactory factory = new MethodSpanFactory(registry, keys, false, new SpanClock(),
        Resource.empty(), InstrumentationScopeInfo.create("test"), new ChildBytes(), null)
        .naming(conventions, captureValues
            ? new ValueCapture(ValueScope.all(), keys, 65536)
            : ValueCapture.NONE);
    SpanRecord record = new SpanRecord();
    assertThat(factory.ended(PipelineFixture.methodEnd(rule, new Conversations(), args, returned, error, 7, 3_000_000),
        record)).isTrue();
    return record;
  }

  private SpanRecord retrieve(String conventions, String conversation) {
    return span(conventions, false, find, new Object[] {conversation, 5, null, null, null, null},
        new Conversations().find(conversation, 5), null);
  }

  private static List<String> eventNames(SpanRecord record) {
    return record.events().stream().map(EventData::getName).collect(Collectors.toList());
  }

  @Test
  void shouldCarryBothNamingsByDefaultWithTheSeedsInternalKind() {
    SpanRecord span = retrieve("both", "chat-1");

    assertThat(span.name()).isEqualTo("memory.retrieve");
    // seed 000 and DESIGN.md: the memory call is in-process; the Redis commands under it are the CLIENT spans
    assertThat(span.kind()).isEqualTo(SpanKind.INTERNAL);
    assertThat(span.attributes().asMap()).containsEntry(AttributeKey.stringKey("memory.operation"), "retrieve")
        .containsEntry(AttributeKey.stringKey("memory.key"), "chat-1")
        .containsEntry(AttributeKey.stringKey("memory.namespace"), "Conversations")
        .containsEntry(AttributeKey.longKey("memory.item_count"), 2L)
        .containsEntry(AttributeKey.longKey("memory.value_size"), 11L) // "hello" 5 + "wörld" 6 bytes
        .containsEntry(AttributeKey.booleanKey("memory.found"), true)
        .containsEntry(AttributeKey.longKey("memory.search.top_k"), 5L)
        .containsEntry(AttributeKey.stringKey("gen_ai.operation.name"), "search_memory")
        .containsEntry(AttributeKey.stringKey("gen_ai.memory.store.id"), "Conversations")
        .containsEntry(AttributeKey.stringKey("gen_ai.memory.record.id"), "chat-1")
        .containsEntry(AttributeKey.longKey("gen_ai.memory.record.count"), 2L)
        .doesNotContainKey(AttributeKey.stringKey("gen_ai.memory.query.text"));
    assertThat(eventNames(span)).containsExactly("memory.retrieve.started", "memory.retrieve.completed");
  }

  @Test
  void shouldNameTheSpanByTheGenAiOperationAndDropTheSeedNamesUnderGenai() {
    SpanRecord span = retrieve("genai", "chat-1");

    assertThat(span.name()).isEqualTo("search_memory");
    assertThat(span.kind()).isEqualTo(SpanKind.CLIENT);
    assertThat(span.attributes().asMap().keySet().stream().map(AttributeKey::getKey))
        .contains("gen_ai.operation.name", "gen_ai.memory.record.id", "memory.value_size", "memory.found")
        .doesNotContain("memory.operation", "memory.key", "memory.namespace", "memory.item_count");
    assertThat(span.events()).isEmpty();
  }

  @Test
  void shouldKeepTheSeedShapeAloneUnderSeed() {
    SpanRecord span = retrieve("seed", "chat-1");

    assertThat(span.name()).isEqualTo("memory.retrieve");
    assertThat(span.kind()).isEqualTo(SpanKind.INTERNAL);
    assertThat(span.attributes().asMap().keySet().stream().map(AttributeKey::getKey))
        .noneMatch(key -> key.startsWith("gen_ai."));
  }

  @Test
  void shouldReportAConversationWithNoMessagesAsNotFound() {
    SpanRecord span = retrieve("both", "empty");

    assertThat(span.attributes().asMap()).containsEntry(AttributeKey.booleanKey("memory.found"), false)
        .containsEntry(AttributeKey.longKey("gen_ai.memory.record.count"), 0L);
    assertThat(span.statusCode()).isEqualTo(StatusCode.OK);
    assertThat(eventNames(span)).containsExactly("memory.retrieve.started", "memory.retrieve.not_found");
  }

  @Test
  void shouldRecordTheQueryTextOnlyWhenValuesAreCaptured() {
    SpanRecord span = span("both", true, find, new Object[] {"chat-1", 3, null, null, null, null},
        List.of(), null);

    assertThat(span.attributes().asMap()).containsEntry(AttributeKey.stringKey("gen_ai.memory.query.text"), "chat-1");
  }

  @Test
  void shouldCountTheRecordsWrittenAndTheirTextOnAStore() {
    SpanRecord span = span("both", false, save,
        new Object[] {"chat-2", List.of("a", "bc", "déf"), null, null, null, null}, null, null);

    assertThat(span.name()).isEqualTo("memory.store");
    assertThat(span.attributes().asMap()).containsEntry(AttributeKey.stringKey("gen_ai.operation.name"), "upsert_memory")
        .containsEntry(AttributeKey.longKey("gen_ai.memory.record.count"), 3L)
        .containsEntry(AttributeKey.longKey("memory.item_count"), 3L)
        .containsEntry(AttributeKey.longKey("memory.value_size"), 7L);
  }

  @Test
  void shouldGiveAFailedCallItsErrorTypeUnderEveryConvention() {
    for (String conventions : List.of("seed", "genai", "both")) {
      SpanRecord span = span(conventions, false, save,
          new Object[] {"chat-2", List.of(), null, null, null, null}, null, new IllegalStateException("full"));

      assertThat(span.statusCode()).as(conventions).isEqualTo(StatusCode.ERROR);
      assertThat(span.attributes().asMap()).as(conventions)
          .containsEntry(AttributeKey.stringKey("error.type"), IllegalStateException.class.getName());
    }
  }

  @Test
  void shouldKeepTheSeedOperationUnderGenaiWhenTheConventionsHaveNoNameForIt() {
    SpanRecord span = span("genai", false, compact, new Object[] {"chat-1", null, null, null, null, null}, null, null);

    assertThat(span.name()).isEqualTo("memory.compact");
    assertThat(span.attributes().asMap()).containsEntry(AttributeKey.stringKey("memory.operation"), "compact")
        .doesNotContainKey(AttributeKey.stringKey("gen_ai.operation.name"));
  }

  @Test
  void shouldNotCallASearchPatternARecordId() {
    SpanRecord span = span("both", false, search, new Object[] {"chat-*", null, null, null, null, null},
        List.of("chat-1", "chat-2"), null);

    assertThat(span.attributes().asMap()).containsEntry(AttributeKey.stringKey("memory.key"), "chat-*")
        .containsEntry(AttributeKey.longKey("gen_ai.memory.record.count"), 2L)
        .containsEntry(AttributeKey.stringKey("gen_ai.operation.name"), "search_memory")
        .doesNotContainKey(AttributeKey.stringKey("gen_ai.memory.record.id"));
  }
}
