package io.memtrace.agent.export;

import java.nio.charset.StandardCharsets;

/** What a warning quotes of an endpoint's error answer: its text on one line, a protobuf Status by its message. */
final class AnswerText {

  private AnswerText() {
  }

  static String describe(byte[] body) {
    if (body == null || body.length == 0) {
      return "";
    }
    byte[] message = statusMessage(body);
    byte[] shown = message != null ? message : body;
    String text = new String(shown, 0, Math.min(shown.length, 200), StandardCharsets.UTF_8).replaceAll("\\s+", " ");
    if (message == null && !printable(text)) {
      return ": a binary answer of " + body.length + " bytes";
    }
    return ": " + text;
  }

  /**
   * An OTLP/HTTP endpoint answers an error in protobuf as a {@code google.rpc.Status}: the message is its field 2,
   * a length-delimited string (tag 0x12), after the varint code of field 1 (tag 0x08). Null when the body is not that.
   */
  static byte[] statusMessage(byte[] body) {
    int i = 0;
    if (i < body.length && body[i] == 0x08) {
      i++;
      while (i < body.length && (body[i] & 0x80) != 0) {
        i++;
      }
      i++;
    }
    if (i >= body.length || body[i] != 0x12) {
      return null;
    }
    i++;
    int length = 0;
    for (int shift = 0; i < body.length && shift < 32; shift += 7) {
      byte b = body[i++];
      length |= (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        return length > 0 && length <= body.length - i ? java.util.Arrays.copyOfRange(body, i, i + length) : null;
      }
    }
    return null;
  }

  private static boolean printable(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\uFFFD' || Character.isISOControl(c)) {
        return false;
      }
    }
    return true;
  }
}
