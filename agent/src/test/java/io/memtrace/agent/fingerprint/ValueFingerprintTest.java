package io.memtrace.agent.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memtrace.agent.config.ConfigLoader;
import io.memtrace.agent.config.MemtraceConfig;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ValueFingerprintTest {

  private static final byte[] KEY = new byte[16];
  private static final String KEY_HEX = "000102030405060708090a0b0c0d0e0f";

  static {
    for (int i = 0; i < 16; i++) {
      KEY[i] = (byte) i;
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void shouldHashTheSameValueUnderTheSameKeyAlike() {
    ValueFingerprint a = ValueFingerprint.keyed(KEY);
    ValueFingerprint b = ValueFingerprint.keyed(KEY.clone());
    assertThat(a.of(utf8("a memory"))).isEqualTo(b.of(utf8("a memory")));
    assertThat(a.of(utf8("a memory"))).isNotEqualTo(a.of(utf8("a memory!")));
  }

  @Test
  void shouldHashAlikeUnderAnotherKeyNever() {
    byte[] other = KEY.clone();
    other[15] ^= 1;
    assertThat(ValueFingerprint.keyed(KEY).of(utf8("a memory")))
        .isNotEqualTo(ValueFingerprint.keyed(other).of(utf8("a memory")));
  }

  @Test
  void shouldHashTextAsItsUtf8Bytes() {
    ValueFingerprint f = ValueFingerprint.keyed(KEY);
    String text = "Ada Lovelace é 😀";
    long bytes = f.of(utf8(text));
    // the vector Guava's Hashing.sipHash24 gives for these UTF-8 bytes under the reference key
    assertThat(bytes).isEqualTo(0xe9ebc30b4bcaf7e5L);
    assertThat(f.of(text)).isEqualTo(bytes);
    assertThat(f.of(new StringBuilder(text))).isEqualTo(bytes);
    assertThat(f.of(ByteBuffer.wrap(utf8(text)))).isEqualTo(bytes);
  }

  @Test
  void shouldHashOneRedisValueAsItIsAndSeveralKeptApart() {
    ValueFingerprint f = ValueFingerprint.keyed(KEY);
    List<byte[]> args = List.of(utf8("HSET"), utf8("k"), utf8("ab"), utf8("c"), utf8("a"), utf8("bc"));
    assertThat(f.ofParts(args, new int[] {2}, 1)).isEqualTo(f.of(utf8("ab")));
    assertThat(f.ofParts(args, new int[] {2, 3}, 2)).isNotEqualTo(f.ofParts(args, new int[] {4, 5}, 2));
  }

  @Test
  void shouldWriteSixteenLowercaseHexDigits() {
    ValueFingerprint f = ValueFingerprint.keyed(KEY);
    assertThat(new String(f.hex(0x00ab0200f58b01d1L), StandardCharsets.US_ASCII)).isEqualTo("00ab0200f58b01d1");
    assertThat(ValueFingerprint.toHex(-1L)).isEqualTo("ffffffffffffffff");
    assertThat(ValueFingerprint.toHex(0x1fL)).isEqualTo("000000000000001f");
  }

  @Test
  void shouldRefuseAValueWithoutBytesOfItsOwn() {
    assertThat(ValueFingerprint.hasOwnBytes(Map.of("a", 1))).isFalse();
    assertThatThrownBy(() -> ValueFingerprint.keyed(KEY).of(Map.of("a", 1))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldUseTheGivenKeyOrDrawOnePerInstance() {
    MemtraceConfig keyed = ConfigLoader.load(null, Map.of("MEMTRACE_CAPTURE_FINGERPRINT_KEY", KEY_HEX.toUpperCase()),
        new Properties()).config();
    assertThat(ValueFingerprint.from(keyed).of(utf8("v"))).isEqualTo(ValueFingerprint.keyed(KEY).of(utf8("v")));

    MemtraceConfig defaults = MemtraceConfig.defaults();
    long first = ValueFingerprint.from(defaults).of(utf8("v"));
    assertThat(ValueFingerprint.from(defaults).of(utf8("v"))).as("a key drawn anew").isNotEqualTo(first);
  }

  @Test
  void shouldBeOffWhenFingerprintsAreSwitchedOff() {
    MemtraceConfig off = ConfigLoader.load(null, Map.of("MEMTRACE_CAPTURE_FINGERPRINTS", "false"),
        new Properties()).config();
    assertThat(ValueFingerprint.from(off)).isNull();
  }
}
