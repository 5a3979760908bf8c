package io.memtrace.collector.values;

import io.memtrace.collector.redis.SnapshotEntry;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The form in which {@link ValueState} holds every text of a value (a string value, a field, an element, a member):
 * its raw bytes, one {@code char} a byte (ISO-8859-1), so that UTF-8 and base64 payloads compare and combine as Redis
 * compares bytes. An ASCII text is its own held form, which spares a copy of a large value.
 */
public final class HeldText {

  private HeldText() {
  }

  /** The raw bytes a held text stands for. */
  public static byte[] bytes(String held) {
    return held.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** The held form of some bytes. */
  public static String of(byte[] bytes) {
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  /** The held form of a captured payload: base64 when {@code base64}, else UTF-8 text. */
  static String ofPayload(String payload, boolean base64) {
    if (!base64 && ascii(payload)) {
      return payload; // its UTF-8 bytes held as Latin-1 are the same characters
    }
    return of(base64 ? Base64.getDecoder().decode(payload) : payload.getBytes(StandardCharsets.UTF_8));
  }

  /** A held text as people read it: its UTF-8 text, or {@code base64:…} when its bytes are not UTF-8. */
  public static String display(String held) {
    if (ascii(held)) {
      return held; // ASCII bytes are their own UTF-8 text: no copy of a large value per version
    }
    byte[] bytes = bytes(held);
    String text = SnapshotEntry.text(bytes);
    return text != null ? text : "base64:" + Base64.getEncoder().encodeToString(bytes);
  }

  /** Whether every character is ASCII, so the text's UTF-8 bytes and its held form are the text itself. */
  static boolean ascii(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }
}
