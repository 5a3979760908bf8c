package io.memtrace.common;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The growing UTF-8 text of a {@link KeyEventLineWriter}, and the writes its lines are made of, each done in place in
 * the bytes: a signed decimal, a span or trace id as unpadded base64url, a name that is ASCII, a key's bytes. One
 * thread. A line has half a dozen numbers and two ids, written for every compressed command: no {@code String} or
 * {@code StringBuilder} is made for any of them.
 */
final class LineBuffer {

  private static final byte[] BASE64URL =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".getBytes(StandardCharsets.US_ASCII);

  /** "00" to "99", each number's two digits. */
  private static final byte[] PAIRS = new byte[200];

  static {
    for (int i = 0; i < 100; i++) {
      PAIRS[2 * i] = (byte) ('0' + i / 10);
      PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
    }
  }

  private byte[] text = new byte[512];
  private int length;

  /** The text written, as UTF-8: the first {@link #length()} bytes, valid until the next write. */
  byte[] bytes() {
    return text;
  }

  /** How many of {@link #bytes()} are the text written. */
  int length() {
    return length;
  }

  /** Keeps the first {@code length} bytes written and forgets the rest (0: all of them). */
  void truncate(int length) {
    this.length = length;
  }

  /** Replaces the last byte written (a separator) with {@code c}. */
  void replaceLast(char c) {
    text[length - 1] = (byte) c;
  }

  void put(char c) {
    room(1);
    text[length++] = (byte) c;
  }

  /** The first {@code count} bytes of {@code utf8}, as they are. */
  void put(byte[] utf8, int count) {
    room(count);
    System.arraycopy(utf8, 0, text, length, count);
    length += count;
  }

  /** A string that is ASCII, a byte a character. */
  void ascii(String s) {
    int n = s.length();
    room(n);
    for (int i = 0; i < n; i++) {
      text[length++] = (byte) s.charAt(i);
    }
  }

  /**
   * A signed decimal, as {@code Long.toString} writes it, digits written in place from the last, two at a time
   * (a line has half a dozen numbers; this is most of its cost after the key).
   */
  void number(long value) {
    if (value < 0) {
      if (value == Long.MIN_VALUE) {
        ascii(Long.toString(value));
        return;
      }
      put('-');
      value = -value;
    }
    int n = 1;
    for (long bound = 10; n < 19 && value >= bound; bound *= 10) {
      n++;
    }
    room(n);
    length += n;
    int at = length;
    while (value >= 100) {
      int pair = (int) (value % 100) * 2;
      value /= 100;
      text[--at] = PAIRS[pair + 1];
      text[--at] = PAIRS[pair];
    }
    if (value >= 10) {
      text[--at] = PAIRS[(int) value * 2 + 1];
      text[--at] = PAIRS[(int) value * 2];
    } else {
      text[--at] = (byte) ('0' + value);
    }
  }

  /** A span id: its 64 bits as unpadded base64url, 11 characters, taken from the long itself. */
  void id(long id) {
    room(11);
    for (int shift = 58; shift >= 0; shift -= 6) {
      text[length++] = BASE64URL[(int) (id >>> shift) & 0x3f];
    }
    text[length++] = BASE64URL[(int) (id << 2) & 0x3c]; // the last 4 bits, two zero bits after them
  }

  /** A trace id, its high half first: 128 bits as unpadded base64url, 22 characters. */
  void id(long high, long low) {
    room(22);
    for (int shift = 58; shift >= 4; shift -= 6) {
      text[length++] = BASE64URL[(int) (high >>> shift) & 0x3f];
    }
    text[length++] = BASE64URL[(int) ((high & 0xf) << 2 | low >>> 62)]; // 4 bits of one half, 2 of the other
    for (int shift = 56; shift >= 2; shift -= 6) {
      text[length++] = BASE64URL[(int) (low >>> shift) & 0x3f];
    }
    text[length++] = BASE64URL[(int) (low << 4) & 0x30]; // the last 2 bits, four zero bits after them
  }

  private void room(int more) {
    if (length + more > text.length) {
      text = Arrays.copyOf(text, Math.max(text.length * 2, length + more));
    }
  }
}
