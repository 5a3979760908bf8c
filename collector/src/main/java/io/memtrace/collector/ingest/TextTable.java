package io.memtrace.collector.ingest;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Recently decoded texts by their bytes, one table per thread ({@link SpanDecoder} keeps one for each): an attribute
 * key, or a short value, comes back as the same string for every span that sends it. A slot holds one text; a miss
 * replaces it. Text that is not well-formed UTF-8 throws {@link UncommonPayload}.
 */
final class TextTable {
  private static final int SLOTS = 1024;
  /** Values longer than this are mostly unique (keys, statements): decoded each time, not kept. */
  private static final int MAX_SHARED_VALUE = 48;
  /** Keys longer than this are decoded each time too, so that the table holds at most 256 KiB of text. */
  private static final int MAX_SHARED_KEY = 256;
  private final byte[][] bytes = new byte[SLOTS][];
  private final String[] strings = new String[SLOTS];

  String key(byte[] buf, int from, int to) throws UncommonPayload {
    return to - from <= MAX_SHARED_KEY ? shared(buf, from, to) : decoded(buf, from, to);
  }

  String value(byte[] buf, int from, int to) throws UncommonPayload {
    return to - from <= MAX_SHARED_VALUE ? shared(buf, from, to) : decoded(buf, from, to);
  }

  private String shared(byte[] buf, int from, int to) throws UncommonPayload {
    int h = 1;
    for (int i = from; i < to; i++) {
      h = 31 * h + buf[i];
    }
    int slot = (h ^ (h >>> 16)) & (SLOTS - 1);
    byte[] held = bytes[slot];
    if (held != null && Arrays.equals(held, 0, held.length, buf, from, to)) {
      return strings[slot];
    }
    String s = decoded(buf, from, to);
    bytes[slot] = Arrays.copyOfRange(buf, from, to);
    strings[slot] = s;
    return s;
  }

  private static String decoded(byte[] buf, int from, int to) throws UncommonPayload {
    if (!wellFormed(buf, from, to)) {
      throw UncommonPayload.INSTANCE; // the generated parser's path repairs it and says so
    }
    return new String(buf, from, to - from, StandardCharsets.UTF_8);
  }

  /**
   * Whether the bytes are well-formed UTF-8 as protobuf requires of a {@code string}: no overlong form,
   * no surrogate, nothing past U+10FFFF (the Unicode standard's table of well-formed byte sequences).
   */
  static boolean wellFormed(byte[] b, int from, int to) {
    int i = from;
    while (i < to) {
      int c = b[i] & 0xff;
      if (c < 0x80) {
        i++;
        continue;
      }
      int need;
      int low = 0x80;
      int high = 0xbf;
      if (c >= 0xc2 && c <= 0xdf) {
        need = 1;
      } else if (c >= 0xe0 && c <= 0xef) {
        need = 2;
        low = c == 0xe0 ? 0xa0 : 0x80;
        high = c == 0xed ? 0x9f : 0xbf;
      } else if (c >= 0xf0 && c <= 0xf4) {
        need = 3;
        low = c == 0xf0 ? 0x90 : 0x80;
        high = c == 0xf4 ? 0x8f : 0xbf;
      } else {
        return false;
      }
      if (to - i <= need) {
        return false;
      }
      int second = b[i + 1] & 0xff;
      if (second < low || second > high) {
        return false;
      }
      for (int k = 2; k <= need; k++) {
        int next = b[i + k] & 0xff;
        if (next < 0x80 || next > 0xbf) {
          return false;
        }
      }
      i += need + 1;
    }
    return true;
  }
}
