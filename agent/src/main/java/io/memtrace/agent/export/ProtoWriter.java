package io.memtrace.agent.export;

import io.memtrace.agent.util.Utf8Text;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable, reusable protobuf output buffer. Nested messages are written in place: the length
 * prefix is reserved as one byte and, when the message turns out to be 128 bytes or longer, its
 * content is shifted right to make room (a short memmove, once per span or batch), so no message is
 * sized twice and nothing is allocated once the buffer has grown to the largest batch.
 */
public final class ProtoWriter {

  static final int VARINT = 0;
  static final int FIXED64 = 1;
  static final int LEN = 2;
  static final int FIXED32 = 5;
  /** Characters past which a string is encoded by the JDK, in one array, rather than a character at a time. */
  private static final int LONG_STRING = 256;

  byte[] buf;
  int pos;

  public ProtoWriter(int capacity) {
    buf = new byte[capacity];
  }

  public void reset() {
    pos = 0;
  }

  public byte[] array() {
    return buf;
  }

  public int size() {
    return pos;
  }

  private void ensure(int more) {
    if (pos + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
    }
  }

  void tag(int field, int wireType) {
    varint(((long) field << 3) | wireType);
  }

  void varint(long value) {
    ensure(10);
    while ((value & ~0x7FL) != 0) {
      buf[pos++] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    buf[pos++] = (byte) value;
  }

  void fixed64(long value) {
    ensure(8);
    for (int i = 0; i < 8; i++) {
      buf[pos++] = (byte) (value >>> (8 * i));
    }
  }

  void fixed32(int value) {
    ensure(4);
    for (int i = 0; i < 4; i++) {
      buf[pos++] = (byte) (value >>> (8 * i));
    }
  }

  /** A field of {@code bytes} holding {@code count} big-endian bytes of {@code hi}, then of {@code lo}. */
  void idField(int field, long hi, long lo, boolean twoLongs) {
    tag(field, LEN);
    int n = twoLongs ? 16 : 8;
    varint(n);
    ensure(n);
    if (twoLongs) {
      bigEndian(hi);
    }
    bigEndian(lo);
  }

  private void bigEndian(long v) {
    for (int i = 7; i >= 0; i--) {
      buf[pos++] = (byte) (v >>> (8 * i));
    }
  }

  void raw(byte[] bytes, int offset, int length) {
    ensure(length);
    System.arraycopy(bytes, offset, buf, pos, length);
    pos += length;
  }

  /** A string field, UTF-8 encoded in place (unpaired surrogates become '?', as String.getBytes does). */
  void stringField(int field, String s) {
    if (s.length() > LONG_STRING) {
      // the JDK's encoder copies an ASCII string's bytes in bulk; the loops below take a couple of nanoseconds a
      // character (a key event carrier's lines are tens of KB)
      byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
      utf8Field(field, utf8, utf8.length);
      return;
    }
    tag(field, LEN);
    int length = Utf8Text.encodedLength(s);
    varint(length);
    ensure(length);
    pos = Utf8Text.encode(s, buf, pos);
  }

  /** A string field whose UTF-8 bytes are already at hand (and valid). */
  void utf8Field(int field, byte[] utf8, int length) {
    tag(field, LEN);
    varint(length);
    raw(utf8, 0, length);
  }

  /** Starts a nested message in {@code field}; pass the result to {@link #end(int)}. */
  int begin(int field) {
    tag(field, LEN);
    ensure(1);
    pos++;
    return pos;
  }

  /** Ends the message begun at {@code start}, writing its length prefix. */
  void end(int start) {
    int length = pos - start;
    if (length < 0x80) {
      buf[start - 1] = (byte) length;
      return;
    }
    int extra = varintSize(length) - 1;
    ensure(extra);
    System.arraycopy(buf, start, buf, start + extra, length);
    pos += extra;
    int at = start - 1;
    long value = length;
    while ((value & ~0x7FL) != 0) {
      buf[at++] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    buf[at] = (byte) value;
  }

  static int varintSize(long value) {
    int n = 1;
    while ((value & ~0x7FL) != 0) {
      value >>>= 7;
      n++;
    }
    return n;
  }
}
