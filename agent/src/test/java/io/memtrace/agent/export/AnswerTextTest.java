package io.memtrace.agent.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What the agent's warning quotes of an endpoint's error answer: text as it is, a protobuf Status by its message. */
class AnswerTextTest {

  @Test
  void shouldQuoteATextAnswerOnOneLine() {
    assertThat(AnswerText.describe("bad\n  request".getBytes(StandardCharsets.UTF_8))).isEqualTo(": bad request");
    assertThat(AnswerText.describe(new byte[0])).isEmpty();
  }

  @Test
  void shouldQuoteTheMessageOfAProtobufStatus() {
    // google.rpc.Status { code: 3, message: "malformed payload: ..." } as a collector answers a 400 in protobuf
    String message = "malformed payload: resourceSpans[0].scopeSpans[0].spans[1].traceId has 15 bytes, not 16";
    assertThat(AnswerText.describe(status(3, message))).isEqualTo(": " + message);
    assertThat(AnswerText.describe(status(0, "x".repeat(300)))).as("the code left out, a long message cut")
        .isEqualTo(": " + "x".repeat(200));
  }

  @Test
  void shouldNotQuoteBinaryItCannotRead() {
    byte[] binary = {0x1f, (byte) 0x8b, 0x08, 0x00, 0x01, 0x02, (byte) 0xff, (byte) 0xfe};
    assertThat(AnswerText.describe(binary)).isEqualTo(": a binary answer of 8 bytes");
    assertThat(AnswerText.statusMessage(new byte[] {0x12, 0x7f, 'a'})).as("a length past the end").isNull();
  }

  private static byte[] status(int code, String message) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (code != 0) {
      out.write(0x08);
      out.write(code);
    }
    byte[] text = message.getBytes(StandardCharsets.UTF_8);
    out.write(0x12);
    int n = text.length;
    while (n >= 0x80) {
      out.write((n & 0x7f) | 0x80);
      n >>>= 7;
    }
    out.write(n);
    out.writeBytes(text);
    return out.toByteArray();
  }
}
