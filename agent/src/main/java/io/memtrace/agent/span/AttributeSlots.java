package io.memtrace.agent.span;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A {@link SpanRecord}'s attributes, held in parallel arrays indexed by slot: numbers unboxed, strings as they
 * are or as UTF-8 bytes kept per slot across spans. A key set twice keeps its last value, as
 * {@code AttributesBuilder} does, and nothing is allocated once the arrays have grown to the widest span seen.
 * Read slot by slot by the OTLP encoder; {@link #toAttributes} gives the SDK's shape.
 */
public final class AttributeSlots {

  public static final byte STRING = 0;
  public static final byte LONG = 1;
  public static final byte DOUBLE = 2;
  public static final byte BOOLEAN = 3;
  /** A string held as UTF-8 bytes in the slot ({@link #utf8Bytes}), written to OTLP as they are. */
  public static final byte UTF8 = 4;
  /**
   * Longest {@link #UTF8} value kept as bytes (the query text is cut at 1024 bytes; keys are not):
   * with up to three such attributes in each of a batch's 512 records, the buffers stay under
   * 2 MB whatever the application's keys look like. Longer values are held as a String.
   */
  public static final int MAX_KEPT_UTF8 = 1024;

  private int count;
  private String[] keys = new String[16];
  private int[] hashes = new int[16];
  private byte[] types = new byte[16];
  private long[] numbers = new long[16];
  private String[] strings = new String[16];
  /** Per slot, a buffer the slot keeps across spans for {@link #UTF8} values. */
  private byte[][] utf8 = new byte[16][];
  private int[] utf8Lengths = new int[16];

  AttributeSlots() {
  }

  /** Empties the slots for the next span; their UTF-8 buffers stay. */
  void clear() {
    for (int i = 0; i < count; i++) {
      strings[i] = null;
    }
    count = 0;
  }

  void put(String key, String value) {
    if (value != null) {
      int i = slot(key);
      types[i] = STRING;
      strings[i] = value;
    }
  }

  /** See {@link SpanRecord#putUtf8}. */
  void putUtf8(String key, byte[] value, int length) {
    if (length > MAX_KEPT_UTF8) {
      // a huge key must not leave a buffer that size in every record of the batch for good
      put(key, new String(value, 0, length, StandardCharsets.UTF_8));
      return;
    }
    int i = slot(key);
    types[i] = UTF8;
    strings[i] = null;
    byte[] into = utf8[i];
    if (into == null || into.length < length) {
      into = utf8[i] = new byte[Math.max(length, 64)];
    }
    System.arraycopy(value, 0, into, 0, length);
    utf8Lengths[i] = length;
  }

  void put(String key, byte type, long bits) {
    int i = slot(key);
    types[i] = type;
    numbers[i] = bits;
    strings[i] = null;
  }

  private int slot(String key) {
    int hash = key.hashCode(); // cached by String: comparing hashes first keeps this scan cheap
    for (int i = 0; i < count; i++) {
      String k = keys[i];
      if (k == key || (hashes[i] == hash && k.equals(key))) {
        return i;
      }
    }
    if (count == keys.length) {
      int n = keys.length * 2;
      keys = Arrays.copyOf(keys, n);
      hashes = Arrays.copyOf(hashes, n);
      types = Arrays.copyOf(types, n);
      numbers = Arrays.copyOf(numbers, n);
      strings = Arrays.copyOf(strings, n);
      utf8 = Arrays.copyOf(utf8, n);
      utf8Lengths = Arrays.copyOf(utf8Lengths, n);
    }
    keys[count] = key;
    hashes[count] = hash;
    return count++;
  }

  public int count() {
    return count;
  }

  public String key(int i) {
    return keys[i];
  }

  public byte type(int i) {
    return types[i];
  }

  /** A {@link #STRING} value, or a {@link #UTF8} one decoded (which allocates). */
  public String stringValue(int i) {
    return types[i] == UTF8 ? new String(utf8[i], 0, utf8Lengths[i], StandardCharsets.UTF_8) : strings[i];
  }

  /** The bytes of a {@link #UTF8} value: the first {@link #utf8Length} of them. */
  public byte[] utf8Bytes(int i) {
    return utf8[i];
  }

  public int utf8Length(int i) {
    return utf8Lengths[i];
  }

  public long longValue(int i) {
    return numbers[i];
  }

  public double doubleValue(int i) {
    return Double.longBitsToDouble(numbers[i]);
  }

  public boolean booleanValue(int i) {
    return numbers[i] != 0;
  }

  /** The attributes as the SDK's {@link Attributes}. */
  public Attributes toAttributes() {
    AttributesBuilder b = Attributes.builder();
    for (int i = 0; i < count; i++) {
      switch (types[i]) {
        case LONG:
          b.put(AttributeKey.longKey(keys[i]), numbers[i]);
          break;
        case DOUBLE:
          b.put(AttributeKey.doubleKey(keys[i]), doubleValue(i));
          break;
        case BOOLEAN:
          b.put(AttributeKey.booleanKey(keys[i]), numbers[i] != 0);
          break;
        default:
          b.put(AttributeKey.stringKey(keys[i]), stringValue(i));
      }
    }
    return b.build();
  }
}
