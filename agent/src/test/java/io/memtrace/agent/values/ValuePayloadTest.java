package io.memtrace.agent.values;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ValuePayloadTest {

  @Test
  void shouldTellWellFormedUtf8FromEverythingElse() {
    assertThat(ValuePayload.isUtf8("héllo €𝄞".getBytes(StandardCharsets.UTF_8))).isTrue();
    assertThat(ValuePayload.isUtf8(new byte[0])).isTrue();
    assertThat(ValuePayload.isUtf8(new byte[] {(byte) 0xC3})).as("cut short").isFalse();
    assertThat(ValuePayload.isUtf8(new byte[] {(byte) 0xC0, (byte) 0x80})).as("overlong").isFalse();
    assertThat(ValuePayload.isUtf8(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80})).as("surrogate").isFalse();
    assertThat(ValuePayload.isUtf8(new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}))
        .as("past U+10FFFF").isFalse();
    assertThat(ValuePayload.isUtf8(new byte[] {(byte) 0xFF})).isFalse();
  }

  @Test
  void shouldEncodeBase64AsTheJdkDoes() {
    for (int n = 0; n < 8; n++) {
      byte[] bytes = new byte[n];
      for (int i = 0; i < n; i++) {
        bytes[i] = (byte) (i * 97 + 200);
      }
      assertThat(new ValuePayload(64).start(true).text(bytes).text())
          .isEqualTo(Base64.getEncoder().encodeToString(bytes));
    }
  }

  @Test
  void shouldCountEveryByteButKeepOnlyTheCap() {
    ValuePayload payload = new ValuePayload(16).start(false).text(new byte[1000]);

    assertThat(payload.size()).isEqualTo(1000);
    assertThat(payload.truncated()).isTrue();
    assertThat(payload.text()).hasSize(16);
  }
}
