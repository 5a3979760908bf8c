package io.memtrace.agent.util;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A reusable buffer of UTF-8 text, always valid UTF-8, and the UTF-8 encoding the rest of the
 * agent shares.
 *
 * <p>Why bytes rather than a {@code StringBuilder}: Redis keys arrive as bytes and leave in OTLP as
 * bytes. Turning each key into a {@code String} (and the query text built from it into another)
 * only for the encoder to turn them back into bytes was, with a new key on every command, most of
 * what the consumer allocated (about 140 of its 145 bytes per span in the overhead run) and a tenth
 * of its time. ASCII bytes, by far the common case for keys, are copied as they are; anything else
 * goes through a {@code String} so that invalid sequences are replaced exactly as before.
 */
public final class Utf8Text {

  private byte[] bytes;
  private int length;

  public Utf8Text(int capacity) {
    bytes = new byte[capacity];
  }

  public void clear() {
    length = 0;
  }

  /** The length in bytes. */
  public int length() {
    return length;
  }

  /** The backing array: bytes {@code [0, length())} are the text. */
  public byte[] bytes() {
    return bytes;
  }

  private void ensure(int more) {
    if (length + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
    }
  }

  public Utf8Text append(String s) {
    ensure(encodedLength(s));
    length = encode(s, bytes, length);
    return this;
  }

  /** Appends one ASCII character. */
  public Utf8Text append(char ascii) {
    ensure(1);
    bytes[length++] = (byte) ascii;
    return this;
  }

  /** Appends {@code raw}, decoded as UTF-8 with invalid sequences replaced (as {@code new String} does). */
  public Utf8Text appendUtf8(byte[] raw) {
    if (!isAscii(raw, raw.length)) {
      return append(new String(raw, StandardCharsets.UTF_8));
    }
    ensure(raw.length);
    System.arraycopy(raw, 0, bytes, length, raw.length);
    length += raw.length;
    return this;
  }

  /**
   * Cuts the text to at most {@code max} bytes, never inside a character: a multi-byte sequence
   * that does not fit is dropped whole.
   */
  public void cut(int max) {
    if (length <= max) {
      return;
    }
    int end = max;
    while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
      end--; // bytes[end] continues a sequence that starts before it
    }
    length = end;
  }

  @Override
  public String toString() {
    return new String(bytes, 0, length, StandardCharsets.UTF_8);
  }

  /** True when the first {@code length} bytes are all ASCII, so they are valid UTF-8 as they are. */
  public static boolean isAscii(byte[] raw, int length) {
    for (int i = 0; i < length; i++) {
      if (raw[i] < 0) {
        return false;
      }
    }
    return true;
  }

  /** The UTF-8 length of {@code s}; an unpaired surrogate counts as the one byte {@code '?'}. */
  public static int encodedLength(String s) {
    int n = s.length();
    int length = n;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        if (c < 0x800) {
          length += 1;
        } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
          length += 2; // four bytes for the two chars
          i++;
        } else if (!Character.isSurrogate(c)) {
          length += 2;
        }
      }
    }
    return length;
  }

  /**
   * Writes {@code s} as UTF-8 into {@code buf} at {@code pos}, which has room for
   * {@link #encodedLength}; unpaired surrogates become {@code '?'}, as {@code String.getBytes} does.
   * Returns the position after the text.
   */
  public static int encode(String s, byte[] buf, int pos) {
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        buf[pos++] = (byte) c;
      } else if (c < 0x800) {
        buf[pos++] = (byte) (0xC0 | (c >>> 6));
        buf[pos++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        buf[pos++] = (byte) (0xF0 | (cp >>> 18));
        buf[pos++] = (byte) (0x80 | ((cp >>> 12) & 0x3F));
        buf[pos++] = (byte) (0x80 | ((cp >>> 6) & 0x3F));
        buf[pos++] = (byte) (0x80 | (cp & 0x3F));
      } else if (Character.isSurrogate(c)) {
        buf[pos++] = (byte) '?';
      } else {
        buf[pos++] = (byte) (0xE0 | (c >>> 12));
        buf[pos++] = (byte) (0x80 | ((c >>> 6) & 0x3F));
        buf[pos++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    return pos;
  }
}
