package io.memtrace.agent.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class Utf8TextTest {

  private static byte[] bytesOf(Utf8Text text) {
    return Arrays.copyOf(text.bytes(), text.length());
  }

  @Test
  void encodesAsStringGetBytesDoes() {
    for (String s : new String[] {"", "plain", "clé", "日本語", "😀 emoji", "lone \ud800 high", "lone \udc00 low",
        "end \ud83d"}) {
      Utf8Text text = new Utf8Text(1);
      text.append(s);

      assertThat(bytesOf(text)).as(s).isEqualTo(s.getBytes(StandardCharsets.UTF_8));
      assertThat(Utf8Text.encodedLength(s)).as(s).isEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
    }
  }

  @Test
  void copiesAsciiBytesAndDecodesAnythingElseWithReplacement() {
    byte[] invalid = {'k', (byte) 0xC3, ':', (byte) 0xFF};
    Utf8Text text = new Utf8Text(2);

    text.appendUtf8("user:42".getBytes(StandardCharsets.US_ASCII)).append(' ').appendUtf8(invalid);

    String expected = "user:42 " + new String(invalid, StandardCharsets.UTF_8);
    assertThat(text.toString()).isEqualTo(expected).contains("\ufffd");
    assertThat(bytesOf(text)).isEqualTo(expected.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void cutsOnlyBetweenCharacters() {
    Utf8Text text = new Utf8Text(8);
    text.append("ab日😀");  // 2 + 3 + 4 bytes

    text.cut(20);
    assertThat(text.toString()).isEqualTo("ab日😀");
    text.cut(8); // inside the emoji: it goes whole
    assertThat(text.toString()).isEqualTo("ab日");
    text.cut(4); // inside 日
    assertThat(text.toString()).isEqualTo("ab");
    assertThat(text.length()).isEqualTo(2);
  }

  @Test
  void isAsciiLooksOnlyAtTheGivenLength() {
    byte[] bytes = {'a', 'b', (byte) 0x80};

    assertThat(Utf8Text.isAscii(bytes, 2)).isTrue();
    assertThat(Utf8Text.isAscii(bytes, 3)).isFalse();
  }
}
