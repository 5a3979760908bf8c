package io.memtrace.collector.values;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.collector.redis.SnapshotEntry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValueStateTest {

  private static CapturedValue write(ValueChange change, String type, String value) {
    return new CapturedValue("t", "s", 0, Instant.EPOCH, "svc", "localhost:6379", 0, "ns", "k", "CMD", change, type,
        false, value, value.length(), false);
  }

  @Test
  void aTextReadsAsItselfWhenAsciiAndDecodedOtherwiseAfterEveryKindOfWrite() {
    String plain = "{\"a\":\"plain text\"}";
    ValueState state = ValueState.absent();
    state.apply(write(ValueChange.REPLACE, "string", plain));
    assertThat(state.displayText()).isSameAs(plain);
    state.apply(write(ValueChange.APPEND, "string", " é"));
    assertThat(state.displayText()).isEqualTo(plain + " é").isEqualTo(HeldText.display(state.text()));
    state.apply(write(ValueChange.REPLACE, "string", "naïve ✓"));
    assertThat(state.displayText()).isEqualTo("naïve ✓");
    state.apply(new CapturedValue("t", "s", 0, Instant.EPOCH, "svc", "localhost:6379", 0, "ns", "k", "SET",
        ValueChange.REPLACE, "string", true, Base64.getEncoder().encodeToString(new byte[] {(byte) 0xff, 'a'}), 2,
        false));
    assertThat(state.displayText()).isEqualTo("base64:/2E=");
    ValueState copy = ValueState.absent();
    copy.apply(write(ValueChange.REPLACE, "object", plain));
    assertThat(copy.copy().displayText()).isSameAs(plain);
  }

  @Test
  void hashFieldsAreSetAndRemovedOneByOneAndAnEmptyHashIsGone() {
    ValueState state = ValueState.absent();
    state.apply(write(ValueChange.FIELDS_SET, "hash", "{\"a\":\"1\",\"b\":\"2\"}"));
    state.apply(write(ValueChange.FIELDS_SET, "hash", "{\"b\":\"3\"}"));
    assertThat(state.fields()).containsExactly(java.util.Map.entry("a", "1"), java.util.Map.entry("b", "3"));
    state.apply(write(ValueChange.FIELDS_REMOVED, "hash", "[\"a\",\"b\"]"));
    assertThat(state.exists()).isFalse();
  }

  @Test
  void listPushesKeepRedisOrder() {
    ValueState state = ValueState.absent();
    state.apply(write(ValueChange.PUSH_TAIL, "list", "[\"x\",\"y\"]"));
    state.apply(write(ValueChange.PUSH_HEAD, "list", "[\"a\",\"b\"]"));
    assertThat(state.list()).containsExactly("b", "a", "x", "y");
  }

  @Test
  void aReplaceOfAnotherTypeDropsTheOldValueAndAppendExtendsText() {
    ValueState state = ValueState.absent();
    state.apply(write(ValueChange.MEMBERS_ADDED, "zset", "{\"m\":2.5}"));
    assertThat(state.scores()).containsEntry("m", 2.5);
    state.apply(write(ValueChange.REPLACE, "string", "héllo"));
    state.apply(write(ValueChange.APPEND, "string", "!"));
    assertThat(HeldText.display(state.text())).isEqualTo("héllo!");
    assertThat(state.scores()).isEmpty();
  }

  @Test
  void anAsciiValueAndOneAppendedWithUtf8HoldTheirBytesAndReadBackAsWritten() {
    ValueState state = ValueState.absent();
    state.apply(write(ValueChange.REPLACE, "string", "plain\u0001\t{\"a\":1}"));
    assertThat(HeldText.bytes(state.text())).isEqualTo("plain\u0001\t{\"a\":1}".getBytes(StandardCharsets.UTF_8));
    assertThat(HeldText.display(state.text())).isEqualTo("plain\u0001\t{\"a\":1}");
    state.apply(write(ValueChange.APPEND, "string", " – ü"));
    assertThat(HeldText.bytes(state.text()))
        .isEqualTo("plain\u0001\t{\"a\":1} – ü".getBytes(StandardCharsets.UTF_8));
    assertThat(HeldText.display(state.text())).isEqualTo("plain\u0001\t{\"a\":1} – ü");
  }

  @Test
  void base64BytesRoundTripAndACutPayloadIsNotExact() {
    byte[] bad = {(byte) 0xff, 'a', (byte) 0xc3};
    ValueState state = ValueState.absent();
    state.apply(new CapturedValue("t", "s", 0, Instant.EPOCH, "svc", "", 0, "ns", "k", "SET", ValueChange.REPLACE,
        "string", true, Base64.getEncoder().encodeToString(bad), 3, false));
    SnapshotEntry entry = state.toEntry("k".getBytes(StandardCharsets.UTF_8), 5_000L);
    assertThat((byte[]) entry.value()).isEqualTo(bad);
    assertThat(HeldText.display(state.text())).startsWith("base64:");
    assertThat(state.exact()).isTrue();
    state.apply(new CapturedValue("t", "s", 1, Instant.EPOCH, "svc", "", 0, "ns", "k", "SET", ValueChange.REPLACE,
        "string", false, "abc", 9_000, true));
    assertThat(state.exact()).isFalse();
    state.apply(write(ValueChange.FIELDS_SET, "hash", "{\"f\":\"v\"}"));
    assertThat(state.exact()).as("a part written onto an unknown value leaves it unknown").isFalse();
    state.apply(write(ValueChange.REPLACE, "string", "whole"));
    assertThat(state.exact()).as("a whole value replaces what was unknown").isTrue();
    state.markInexact();
    state.remove();
    assertThat(state.exact()).as("a removed key is known to hold nothing").isTrue();
  }

  @Test
  void aSnapshotValueTakesLaterWrites() {
    SnapshotEntry hash = new SnapshotEntry("h".getBytes(StandardCharsets.UTF_8), "hash", null,
        List.<byte[][]>of(new byte[][] {"f".getBytes(StandardCharsets.UTF_8), "v".getBytes(StandardCharsets.UTF_8)}));
    ValueState state = ValueState.of(hash);
    state.apply(write(ValueChange.FIELDS_SET, "hash", "{\"g\":\"w\"}"));
    assertThat(state.fields()).containsOnlyKeys("f", "g");
    ValueState copy = state.copy();
    state.remove();
    assertThat(copy.fields()).hasSize(2);
    assertThat(state.exists()).isFalse();
  }
}
