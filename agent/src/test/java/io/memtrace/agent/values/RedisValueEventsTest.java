package io.memtrace.agent.values;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.agent.config.ValueScope;
import io.memtrace.agent.redis.KeyPolicy;
import io.memtrace.agent.redis.RedisCommandInfo;
import io.memtrace.agent.span.SpanRecord;
import io.memtrace.common.NamespaceRule;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.trace.data.EventData;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedisValueEventsTest {

  private static final KeyPolicy KEYS = new KeyPolicy(true, List.of("secret:*"), NamespaceRule.defaultRule().pattern());

  private static List<EventData> scoped(ValueScope scope, int max, Object reply, Object... words) {
    List<byte[]> args = new ArrayList<>();
    for (Object w : words) {
      args.add(w instanceof byte[] ? (byte[]) w : ((String) w).getBytes(StandardCharsets.UTF_8));
    }
    SpanRecord record = new SpanRecord();
    new RedisValueEvents(new ValueCapture(scope, KEYS, max)).add(RedisCommandInfo.of(args), reply, -1, 42L, record);
    return record.events();
  }

  private static List<EventData> events(Object... words) {
    return scoped(ValueScope.all(), 65536, "OK", words);
  }

  private static String attr(EventData e, String name) {
    Object v = e.getAttributes().get(AttributeKey.stringKey(name));
    return v == null ? null : v.toString();
  }

  @Test
  void shouldReplaceAStringWithASet() {
    assertThat(events("SET", "user:1:name", "Ada", "EX", "60")).singleElement().satisfies(e -> {
      assertThat(e.getName()).isEqualTo("memory.value");
      assertThat(e.getEpochNanos()).isEqualTo(42L);
      assertThat(attr(e, "memory.key")).isEqualTo("user:1:name");
      assertThat(attr(e, "memory.value.change")).isEqualTo("replace");
      assertThat(attr(e, "memory.value.type")).isEqualTo("string");
      assertThat(attr(e, "memory.value")).isEqualTo("Ada");
      assertThat(attr(e, "memory.value.encoding")).isEqualTo("utf8");
      assertThat(e.getAttributes().get(AttributeKey.longKey("memory.value.size"))).isEqualTo(3L);
      assertThat(e.getAttributes().get(AttributeKey.booleanKey("memory.value.truncated"))).isNull();
    });
    assertThat(events("SETEX", "a:b", "10", "v")).singleElement()
        .satisfies(e -> assertThat(attr(e, "memory.value")).isEqualTo("v"));
  }

  @Test
  void shouldKeepAHashesFieldsAsAJsonObject() {
    assertThat(events("HSET", "user:1", "name", "A\"da", "bio", "line1\nline2")).singleElement().satisfies(e -> {
      assertThat(attr(e, "memory.value.change")).isEqualTo("fields_set");
      assertThat(attr(e, "memory.value.type")).isEqualTo("hash");
      assertThat(attr(e, "memory.value")).isEqualTo("{\"name\":\"A\\\"da\",\"bio\":\"line1\\u000aline2\"}");
    });
    assertThat(events("HDEL", "user:1", "bio")).singleElement()
        .satisfies(e -> assertThat(attr(e, "memory.value")).isEqualTo("[\"bio\"]"));
  }

  @Test
  void shouldRecordListPushesAndSetMembersInCommandOrder() {
    assertThat(events("RPUSH", "chat:1", "m1", "m2")).singleElement().satisfies(e -> {
      assertThat(attr(e, "memory.value.change")).isEqualTo("push_tail");
      assertThat(attr(e, "memory.value")).isEqualTo("[\"m1\",\"m2\"]");
    });
    assertThat(events("LPUSH", "chat:1", "m0")).singleElement()
        .satisfies(e -> assertThat(attr(e, "memory.value.change")).isEqualTo("push_head"));
    assertThat(events("SREM", "tags", "x")).singleElement()
        .satisfies(e -> assertThat(attr(e, "memory.value.type")).isEqualTo("set"));
  }

  @Test
  void shouldMapSortedSetMembersToScores() {
    assertThat(events("ZADD", "rank", "CH", "1.5", "a", "+inf", "b")).singleElement().satisfies(e -> {
      assertThat(attr(e, "memory.value.type")).isEqualTo("zset");
      assertThat(attr(e, "memory.value")).isEqualTo("{\"a\":1.5,\"b\":\"inf\"}");
    });
    assertThat(events("ZADD", "rank", "NX", "1", "a")).as("which members changed is unknown").isEmpty();
  }

  @Test
  void shouldGiveOneEventPerKeyOfAnMset() {
    assertThat(events("MSET", "a:1", "x", "secret:2", "y", "b:3", "z"))
        .extracting(e -> attr(e, "memory.key") + "=" + attr(e, "memory.value"))
        .as("the redacted key gets none").containsExactly("a:1=x", "b:3=z");
  }

  @Test
  void shouldWriteNothingWhenAConditionalWriteDeclined() {
    assertThat(scoped(ValueScope.all(), 65536, 0L, "SETNX", "k", "v")).isEmpty();
    assertThat(scoped(ValueScope.all(), 65536, 1L, "SETNX", "k", "v")).hasSize(1);
    assertThat(scoped(ValueScope.all(), 65536, Boolean.FALSE, "HSETNX", "k", "f", "v")).isEmpty();
    assertThat(scoped(ValueScope.all(), 65536, null, "SET", "k", "v", "NX")).isEmpty();
    assertThat(scoped(ValueScope.all(), 65536, "OK", "SET", "k", "v", "NX")).hasSize(1);
    assertThat(scoped(ValueScope.all(), 65536, 0L, "RPUSHX", "k", "v")).isEmpty();
    assertThat(scoped(ValueScope.all(), 65536, RedisValueEvents.REPLY_UNKNOWN, "SET", "k", "v", "XX"))
        .as("a batch's conditional write").isEmpty();
  }

  @Test
  void shouldEncodeEveryTextInBase64WhenAnyIsNotUtf8() {
    byte[] invalid = {'o', 'k', (byte) 0xC3, (byte) 0x28};
    assertThat(events("HSET", "h", "f", invalid)).singleElement().satisfies(e -> {
      assertThat(attr(e, "memory.value.encoding")).isEqualTo("base64");
      assertThat(attr(e, "memory.value")).isEqualTo("{\"" + b64("f".getBytes()) + "\":\"" + b64(invalid) + "\"}");
    });
    assertThat(events("SET", "s", invalid)).singleElement()
        .satisfies(e -> assertThat(attr(e, "memory.value")).isEqualTo(b64(invalid)));
  }

  @Test
  void shouldCutALongValueAtACharacterBoundaryAndKeepItsSize() {
    String value = "ab" + "é".repeat(20); // 2 + 40 bytes
    assertThat(scoped(ValueScope.all(), 17, "OK", "SET", "k", value)).singleElement().satisfies(e -> {
      assertThat(attr(e, "memory.value")).isEqualTo("ab" + "é".repeat(7)); // 16 bytes: the 17th starts an é
      assertThat(e.getAttributes().get(AttributeKey.longKey("memory.value.size"))).isEqualTo(42L);
      assertThat(e.getAttributes().get(AttributeKey.booleanKey("memory.value.truncated"))).isTrue();
    });
  }

  @Test
  void shouldCaptureOnlyKeysInScope() {
    ValueScope scope = ValueScope.of(List.of("chat"));
    assertThat(scoped(scope, 65536, "OK", "SET", "chat:1", "in")).hasSize(1);
    assertThat(scoped(scope, 65536, "OK", "SET", "session:1", "out")).isEmpty();
    assertThat(scoped(ValueScope.none(), 65536, "OK", "SET", "chat:1", "off")).isEmpty();
    assertThat(events("SET", "secret:1", "never")).as("redacted").isEmpty();
  }

  @Test
  void shouldGiveNoEventForWritesWhoseValueIsNotCaptured() {
    assertThat(events("INCR", "n")).isEmpty();
    assertThat(events("LSET", "l", "0", "v")).isEmpty();
    assertThat(events("GET", "k")).isEmpty();
  }

  private static String b64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }
}
