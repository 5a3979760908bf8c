package io.memtrace.agent.values;

import java.nio.charset.StandardCharsets;

/**
 * The payload of one {@code memory.value} event, written as UTF-8 into a buffer that keeps at most the cap's bytes
 * while counting them all: so a value of any size costs the consumer one pass and a bounded buffer. Text is written
 * as it is (the caller checked it is UTF-8) or, in base64 mode, as base64 of its bytes; JSON strings are escaped.
 * Reused by one thread (the consumer).
 */
final class ValuePayload {

  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] BASE64 =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".getBytes(StandardCharsets.US_ASCII);

  private final int max;
  /** The cap plus room to see whether the byte after it continues a character. */
  private final byte[] kept;
  private long size;
  private boolean base64;

  ValuePayload(int maxBytes) {
    this.max = maxBytes;
    this.kept = new byte[maxBytes + 4];
  }

  /** Starts a payload; {@code base64}: every text is written as base64 of its bytes. */
  ValuePayload start(boolean base64) {
    this.size = 0;
    this.base64 = base64;
    return this;
  }

  boolean base64() {
    return base64;
  }

  /** The payload's bytes before any cut. */
  long size() {
    return size;
  }

  boolean truncated() {
    return size > max;
  }

  /** The payload, cut at the cap on a character boundary when longer. */
  String text() {
    int length = (int) Math.min(size, max);
    if (size > max) {
      while (length > 0 && (kept[length] & 0xC0) == 0x80) {
        length--; // kept[length] continues a character that the cut would split
      }
    }
    return new String(kept, 0, length, StandardCharsets.UTF_8);
  }

  ValuePayload ascii(char c) {
    put((byte) c);
    return this;
  }

  ValuePayload ascii(String s) {
    for (int i = 0; i < s.length(); i++) {
      put((byte) s.charAt(i));
    }
    return this;
  }

  /** {@code bytes} as the whole payload's text, or one text of it. */
  ValuePayload text(byte[] bytes) {
    if (base64) {
      encodeBase64(bytes);
    } else {
      putAll(bytes, 0, bytes.length);
    }
    return this;
  }

  /** {@code bytes} as a JSON string: quoted, escaped, or base64 in base64 mode. */
  ValuePayload jsonString(byte[] bytes) {
    put((byte) '"');
    if (base64) {
      encodeBase64(bytes);
    } else {
      int run = 0; // the start of the bytes not yet written that need no escape
      for (int i = 0; i < bytes.length; i++) {
        byte b = bytes[i];
        if (b != '"' && b != '\\' && (b < 0 || b >= 0x20)) {
          continue;
        }
        putAll(bytes, run, i - run);
        run = i + 1;
        if (b == '"' || b == '\\') {
          put((byte) '\\');
          put(b);
        } else {
          put((byte) '\\');
          put((byte) 'u');
          put((byte) '0');
          put((byte) '0');
          put(HEX[b >> 4]);
          put(HEX[b & 0xF]);
        }
      }
      putAll(bytes, run, bytes.length - run);
    }
    put((byte) '"');
    return this;
  }

  /** A Java string as a JSON string (names of an object's fields, text of a memory-manager value). */
  ValuePayload jsonString(String s) {
    return jsonString(s.getBytes(StandardCharsets.UTF_8));
  }

  private void encodeBase64(byte[] bytes) {
    int i = 0;
    for (; i + 2 < bytes.length; i += 3) {
      int n = (bytes[i] & 0xFF) << 16 | (bytes[i + 1] & 0xFF) << 8 | bytes[i + 2] & 0xFF;
      put(BASE64[n >>> 18]);
      put(BASE64[n >>> 12 & 63]);
      put(BASE64[n >>> 6 & 63]);
      put(BASE64[n & 63]);
    }
    int rest = bytes.length - i;
    if (rest > 0) {
      int n = (bytes[i] & 0xFF) << 16 | (rest == 2 ? (bytes[i + 1] & 0xFF) << 8 : 0);
      put(BASE64[n >>> 18]);
      put(BASE64[n >>> 12 & 63]);
      put(rest == 2 ? BASE64[n >>> 6 & 63] : (byte) '=');
      put((byte) '=');
    }
  }

  /** {@code length} bytes of {@code bytes} from {@code from}, as many as the buffer keeps copied at once. */
  private void putAll(byte[] bytes, int from, int length) {
    if (size < kept.length) {
      System.arraycopy(bytes, from, kept, (int) size, (int) Math.min(length, kept.length - size));
    }
    size += length;
  }

  private void put(byte b) {
    if (size < kept.length) {
      kept[(int) size] = b;
    }
    size++;
  }

  /** Whether {@code bytes} are well-formed UTF-8 (no overlong forms, surrogates or code points past U+10FFFF). */
  static boolean isUtf8(byte[] bytes) {
    int i = 0;
    int n = bytes.length;
    while (i < n) {
      int b = bytes[i] & 0xFF;
      if (b < 0x80) {
        i++;
        continue;
      }
      int extra;
      int min;
      if (b >= 0xC2 && b <= 0xDF) {
        extra = 1;
        min = 0x80;
      } else if (b >= 0xE0 && b <= 0xEF) {
        extra = 2;
        min = 0x800;
      } else if (b >= 0xF0 && b <= 0xF4) {
        extra = 3;
        min = 0x10000;
      } else {
        return false;
      }
      if (i + extra >= n) {
        return false;
      }
      int cp = b & (0x3F >> extra);
      for (int k = 1; k <= extra; k++) {
        int c = bytes[i + k] & 0xFF;
        if ((c & 0xC0) != 0x80) {
          return false;
        }
        cp = cp << 6 | c & 0x3F;
      }
      if (cp < min || cp > 0x10FFFF || cp >= 0xD800 && cp <= 0xDFFF) {
        return false;
      }
      i += extra + 1;
    }
    return true;
  }
}
