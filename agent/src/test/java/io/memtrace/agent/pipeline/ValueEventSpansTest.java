package io.memtrace.agent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.agent.config.ValueScope;
import io.memtrace.agent.instrumentation.jedis.common.JedisArguments;
import io.memtrace.agent.instrumentation.method.CompiledRules;
import io.memtrace.agent.instrumentation.method.RuleRegistry;
import io.memtrace.agent.pipeline.retention.Retention;
import io.memtrace.agent.redis.KeyPolicy;
import io.memtrace.agent.span.SpanRecord;
import io.memtrace.agent.values.ValueCapture;
import io.memtrace.common.NamespaceRule;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.EventData;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code memory.value} events on spans as the consumer builds them: a memory store's value as JSON or text, none for
 * a read, a redacted key or a key out of scope; a Redis span carrying one is kept whatever retention decides.
 */
class ValueEventSpansTest {

  /** A memory manager memtrace knows from a rule. */
  public static final class Notes {
    public void store(String key, Object note) {
    }

    public void storeIn(String key, Object note, String namespace) {
    }

    public Object retrieve(String key) {
      return null;
    }
  }

  /** An application's object. */
  public static final class Note {
    final String text;
    final List<String> tags;
    final int version;

    Note(String text, List<String> tags, int version) {
      this.text = text;
      this.tags = tags;
      this.version = version;
    }
  }

  private static final SpanClock CLOCK = new SpanClock();
  private final RuleRegistry registry = new RuleRegistry();
  private final int store = rule("store", "{ name: store, operation: store, key: arg0, value: arg1 }");
  private final int retrieve = rule("retrieve", "{ name: retrieve, operation: retrieve, key: arg0, value: return }");
  private final KeyPolicy keys = new KeyPolicy(true, List.of("notes:secret:*"), NamespaceRule.defaultRule().pattern());
  private final ValueCapture capture = new ValueCapture(ValueScope.of(List.of("notes")), keys, 65536);
  private final MethodSpanFactory memory = new MethodSpanFactory(registry, keys, false, CLOCK, Resource.empty(),
      InstrumentationScopeInfo.create("test"), new ChildBytes(), null).naming("both", capture);

  private int rule(String method, String yaml) {
    return CompiledRules.memoryManager(registry, Notes.class, method, yaml);
  }

  private List<EventData> valueEvents(SpanRecord span) {
    List<EventData> out = new ArrayList<>();
    for (EventData e : span.events()) {
      if (e.getName().equals("memory.value")) {
        out.add(e);
      }
    }
    return out;
  }

  private SpanRecord call(int rule, String key, Object value, Object returned) {
    SpanRecord span = new SpanRecord();
    assertThat(memory.ended(PipelineFixture.methodEnd(rule, new Notes(), new Object[] {key, value, "notes", null, null,
        null}, returned, null, 9, 2_000_000), span)).isTrue();
    return span;
  }

  private static String attr(EventData e, String name) {
    return e.getAttributes().get(AttributeKey.stringKey(name));
  }

  @Test
  void shouldWriteAStoredRecordAsJson() {
    SpanRecord span = call(store, "notes:1", new Note("buy \"milk\"", List.of("a", "b"), 3), null);

    assertThat(valueEvents(span)).singleElement().satisfies(e -> {
      assertThat(attr(e, "memory.key")).isEqualTo("notes:1");
      assertThat(attr(e, "memory.namespace")).isEqualTo("notes");
      assertThat(attr(e, "memory.value.change")).isEqualTo("replace");
      assertThat(attr(e, "memory.value.type")).isEqualTo("object");
      assertThat(attr(e, "memory.value")).isEqualTo("{\"text\":\"buy \\\"milk\\\"\",\"tags\":[\"a\",\"b\"],\"version\":3}");
      assertThat(e.getEpochNanos()).isEqualTo(span.endEpochNanos);
    });
  }

  @Test
  void shouldWriteAStoredStringAsText() {
    assertThat(valueEvents(call(store, "notes:2", "naïve café", null))).singleElement().satisfies(e -> {
      assertThat(attr(e, "memory.value.type")).isEqualTo("string");
      assertThat(attr(e, "memory.value")).isEqualTo("naïve café");
      assertThat(e.getAttributes().get(AttributeKey.longKey("memory.value.size"))).isEqualTo(12L);
    });
    assertThat(valueEvents(call(store, "notes:3", Map.of("k", 1), null))).singleElement()
        .satisfies(e -> assertThat(attr(e, "memory.value")).isEqualTo("{\"k\":1}"));
  }

  @Test
  void shouldMatchTheScopeAgainstTheRulesNamespace() {
    int scoped = rule("storeIn", "{ name: storeIn, operation: store, key: arg0, value: arg1, namespace: arg2 }");
    assertThat(valueEvents(call(scoped, "42", "x", null))).as("key 42 in the rule's namespace notes").singleElement()
        .satisfies(e -> assertThat(attr(e, "memory.namespace")).isEqualTo("notes"));
  }

  @Test
  void shouldGiveNoEventForAReadARedactedKeyOrAKeyOutOfScope() {
    assertThat(valueEvents(call(retrieve, "notes:1", null, "text"))).as("a read").isEmpty();
    assertThat(valueEvents(call(store, "notes:secret:1", "x", null))).as("redacted").isEmpty();
    assertThat(valueEvents(call(store, "session:1", "x", null))).as("out of scope").isEmpty();
  }

  @Test
  void shouldKeepARedisSpanThatCarriesAValueWhateverRetentionDecides() {
    RedisSpanFactory redis = new RedisSpanFactory(JedisArguments::decode, keys, capture, CLOCK, Resource.empty(),
        InstrumentationScopeInfo.create("test"), new ChildBytes(), null);
    // retention that keeps no first-seen sample: every ordinary span is compressed
    Retention retention = new Retention(true, Long.MAX_VALUE, 0, 60_000_000_000L, () -> 0L);

    assertThat(redis.command(set("session:1"), new SpanRecord(), retention)).as("out of scope: compressed").isFalse();
    SpanRecord kept = new SpanRecord();
    assertThat(redis.command(set("notes:1"), kept, retention)).as("a captured value").isTrue();
    assertThat(valueEvents(kept)).singleElement()
        .satisfies(e -> assertThat(attr(e, "memory.value")).isEqualTo("v"));
  }

  @Test
  void shouldGiveATransactionOnAWatchingConnectionNoEvents() {
    RedisSpanFactory redis = new RedisSpanFactory(JedisArguments::decode, keys, capture, CLOCK, Resource.empty(),
        InstrumentationScopeInfo.create("test"), new ChildBytes(), null);
    Object connection = new Object();

    assertThat(valueEvents(transaction(redis, connection))).as("no WATCH: the writes carry their values").hasSize(2);
    SpanEvent watch = set("notes:1");
    watch.command = List.of(utf8("WATCH"), utf8("notes:1"));
    watch.connection = connection;
    redis.command(watch, new SpanRecord());
    assertThat(valueEvents(transaction(redis, connection))).as("EXEC may have run nothing").isEmpty();
    assertThat(valueEvents(transaction(redis, connection))).as("the EXEC ended the WATCH").hasSize(2);
  }

  private static SpanRecord transaction(RedisSpanFactory redis, Object connection) {
    SpanEvent event = new SpanEvent();
    event.type = SpanEvent.Type.REDIS_BATCH;
    event.connection = connection;
    event.batchMethod = "exec";
    event.batchCommands = new Object[] {List.of(utf8("MULTI")), List.of(utf8("SET"), utf8("notes:1"), utf8("a")),
        List.of(utf8("RPUSH"), utf8("notes:2"), utf8("b")), List.of(utf8("EXEC"))};
    event.batchArguments = new Object[4];
    event.batchRecorded = 4;
    event.spanId = 6;
    event.traceIdLow = 1;
    SpanRecord record = new SpanRecord();
    redis.batch(event, record);
    return record;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static SpanEvent set(String key) {
    SpanEvent event = new SpanEvent();
    event.type = SpanEvent.Type.REDIS_COMMAND;
    event.command = List.of("SET".getBytes(StandardCharsets.UTF_8), key.getBytes(StandardCharsets.UTF_8),
        "v".getBytes(StandardCharsets.UTF_8));
    event.reply = "OK";
    event.spanId = 5;
    event.traceIdLow = 1;
    event.startNanos = 1_000;
    event.endNanos = 2_000;
    return event;
  }
}
