package io.memtrace.agent.pipeline;

import static io.memtrace.agent.pipeline.SpanRecords.attribute;
import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.agent.fingerprint.ValueFingerprint;
import io.memtrace.agent.instrumentation.jedis.common.JedisArguments;
import io.memtrace.agent.instrumentation.method.CompiledRules;
import io.memtrace.agent.instrumentation.method.RuleRegistry;
import io.memtrace.agent.redis.KeyPolicy;
import io.memtrace.agent.span.SpanRecord;
import io.memtrace.common.NamespaceRule;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import io.memtrace.agent.values.ValueCapture;

/**
 * {@code memory.value.fingerprint} on memory spans and their Redis spans, built from ring events as the consumer
 * builds them: a store and a retrieve of one value carry one fingerprint, another value another, and with
 * fingerprints off no span carries any.
 */
class ValueFingerprintSpansTest {

  /** A memory manager that keeps notes as JSON it writes itself: a note has no bytes memtrace can read. */
  public static final class Notes {
    public void store(String key, Note note) {
    }

    public Note retrieve(String key) {
      return null;
    }

    public void put(String key, String text) {
    }
  }

  /** An application object: its size and fingerprint come from the Redis command under the memory call. */
  public static final class Note {
    final String text;

    Note(String text) {
      this.text = text;
    }
  }

  private static final String FINGERPRINT = "memory.value.fingerprint";
  private static final byte[] KEY = "000102030405060708090a0b0c0d0e0f".getBytes(StandardCharsets.US_ASCII);

  private final RuleRegistry registry = new RuleRegistry();
  private final int store = rule("store", "{ name: store, operation: store, key: arg0, value: arg1 }");
  private final int retrieve = rule("retrieve",
      "{ name: retrieve, operation: retrieve, key: arg0, value: return, found: \"return != null\" }");
  private final int put = rule("put", "{ name: put, operation: store, key: arg0, value: arg1 }");
  private final ChildBytes childBytes = new ChildBytes();
  private final KeyPolicy keys = new KeyPolicy(true, List.of(), NamespaceRule.defaultRule().pattern());
  private final MethodSpanFactory memory = new MethodSpanFactory(registry, keys, false, new SpanClock(),
      Resource.empty(), InstrumentationScopeInfo.create("test"), childBytes, null);
  private final RedisSpanFactory redis = new RedisSpanFactory(JedisArguments::decode, keys, ValueCapture.NONE, new SpanClock(),
      Resource.empty(), InstrumentationScopeInfo.create("test"), childBytes, null);
  private long nextSpanId = 100;

  private int rule(String method, String yaml) {
    return CompiledRules.memoryManager(registry, Notes.class, method, yaml);
  }

  private ValueFingerprintSpansTest fingerprints(boolean on) {
    ValueFingerprint f = on ? ValueFingerprint.keyed(hexKey()) : null;
    memory.fingerprinting(f);
    redis.fingerprinting(f);
    return this;
  }

  private static byte[] hexKey() {
    byte[] key = new byte[16];
    for (int i = 0; i < 16; i++) {
      key[i] = (byte) Integer.parseInt(new String(KEY, 2 * i, 2, StandardCharsets.US_ASCII), 16);
    }
    return key;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** The spans of one memory call and its one Redis command: {memory span, Redis span}. */
  private SpanRecord[] call(int rule, Object[] args, Object returned, List<byte[]> command, byte[] bulkReply) {
    long memorySpan = nextSpanId++;
    SpanEvent sent = new SpanEvent();
    sent.type = SpanEvent.Type.REDIS_COMMAND;
    sent.command = command;
    sent.spanId = nextSpanId++;
    sent.parentSpanId = memorySpan;
    sent.traceIdLow = 1;
    if (bulkReply != null) { // as RingPublisher hands it over: the length, and the array when fingerprints are on
      sent.replyLength = bulkReply.length;
      sent.reply = bulkReply;
    } else {
      sent.reply = command.get(0)[0] == 'G' ? null : "OK"; // a GET that found nothing; a SET's status
    }
    SpanRecord redisSpan = new SpanRecord();
    redis.command(sent, redisSpan);

    SpanRecord memorySpanRecord = new SpanRecord();
    assertThat(memory.ended(PipelineFixture.methodEnd(rule, new Notes(), args, returned, null, memorySpan, 2_000_000),
        memorySpanRecord)).isTrue();
    return new SpanRecord[] {memorySpanRecord, redisSpan};
  }

  private static List<byte[]> words(Object... words) {
    List<byte[]> args = new ArrayList<>();
    for (Object w : words) {
      args.add(w instanceof byte[] ? (byte[]) w : utf8((String) w));
    }
    return args;
  }

  private SpanRecord[] storeNote(String key, String json) {
    return call(store, new Object[] {key, new Note(json), null, null, null, null}, null,
        words("SET", key, json, "EX", "60"), null);
  }

  private SpanRecord[] retrieveNote(String key, String json) {
    return call(retrieve, new Object[] {key, null, null, null, null, null}, json == null ? null : new Note(json),
        words("GET", key), json == null ? null : utf8(json));
  }

  @Test
  void shouldGiveAStoreAndARetrieveOfOneValueOneFingerprint() {
    fingerprints(true);
    SpanRecord[] stored = storeNote("notes:1", "{\"text\":\"buy milk\"}");
    SpanRecord[] read = retrieveNote("notes:1", "{\"text\":\"buy milk\"}");
    SpanRecord[] elsewhere = storeNote("notes:2", "{\"text\":\"buy milk\"}");

    Object fingerprint = attribute(stored[1], FINGERPRINT);
    assertThat(fingerprint).asString().matches("[0-9a-f]{16}")
        .isEqualTo(ValueFingerprint.toHex(ValueFingerprint.keyed(hexKey()).of(utf8("{\"text\":\"buy milk\"}"))));
    assertThat(attribute(stored[0], FINGERPRINT)).as("the memory store, from its SET").isEqualTo(fingerprint);
    assertThat(attribute(read[1], FINGERPRINT)).as("the GET").isEqualTo(fingerprint);
    assertThat(attribute(read[0], FINGERPRINT)).as("the memory retrieve, from its GET").isEqualTo(fingerprint);
    assertThat(attribute(elsewhere[0], FINGERPRINT)).as("the same value under another key").isEqualTo(fingerprint);
    assertThat(attribute(stored[0], "memory.value_size")).isEqualTo(19L);
  }

  @Test
  void shouldGiveAnotherValueAnotherFingerprint() {
    fingerprints(true);
    Object milk = attribute(storeNote("notes:1", "{\"text\":\"buy milk\"}")[0], FINGERPRINT);
    Object bread = attribute(storeNote("notes:1", "{\"text\":\"buy bread\"}")[0], FINGERPRINT);
    assertThat(milk).isNotNull();
    assertThat(bread).isNotNull().isNotEqualTo(milk);
  }

  @Test
  void shouldFingerprintAValueWithBytesOfItsOwnAsItsRedisCommandDoes() {
    fingerprints(true);
    SpanRecord[] put = call(this.put, new Object[] {"notes:3", "naïve café", null, null, null, null}, null,
        words("SET", "notes:3", "naïve café"), null);
    assertThat(attribute(put[0], FINGERPRINT)).isNotNull().isEqualTo(attribute(put[1], FINGERPRINT));
  }

  @Test
  void shouldGiveAMissNoFingerprint() {
    fingerprints(true);
    SpanRecord[] miss = retrieveNote("notes:404", null);
    assertThat(attribute(miss[0], "memory.found")).isEqualTo(false);
    assertThat(attribute(miss[0], FINGERPRINT)).isNull();
    assertThat(attribute(miss[1], FINGERPRINT)).isNull();
  }

  @Test
  void shouldGiveNoSpanAFingerprintWhenFingerprintsAreOff() {
    fingerprints(false);
    SpanRecord[] stored = storeNote("notes:1", "{\"text\":\"buy milk\"}");
    SpanRecord[] read = retrieveNote("notes:1", "{\"text\":\"buy milk\"}");
    for (SpanRecord span : new SpanRecord[] {stored[0], stored[1], read[0], read[1]}) {
      assertThat(attribute(span, FINGERPRINT)).isNull();
    }
    assertThat(attribute(stored[0], "memory.value_size")).as("sizes as before").isEqualTo(19L);
  }

  @Test
  void shouldKeepTheValuesOfOneCommandApart() {
    fingerprints(true);
    SpanRecord[] a = call(put, new Object[] {"h:1", null, null, null, null, null}, null,
        words("HSET", "h:1", "ab", "c"), null);
    SpanRecord[] b = call(put, new Object[] {"h:1", null, null, null, null, null}, null,
        words("HSET", "h:1", "a", "bc"), null);
    assertThat(attribute(a[1], FINGERPRINT)).isNotNull().isNotEqualTo(attribute(b[1], FINGERPRINT));
  }
}
