package io.memtrace.agent.fingerprint;

import io.memtrace.agent.config.MemtraceConfig;
import io.memtrace.agent.config.Settings;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;

/**
 * {@code memory.value.fingerprint}: a keyed SipHash-2-4 of a value's bytes, 16 lowercase hex digits. The same
 * bytes under the same key give the same fingerprint, so the collector can find a value written again
 * unchanged, or the same value under two keys, without the value ever leaving the process.
 *
 * <p>What is hashed is what {@code memory.value_size} counts: a {@code byte[]} as it is, a {@code String} or any
 * other {@code CharSequence} as UTF-8 (an unpaired surrogate as {@code '?'}, as {@code String.getBytes} does), a
 * {@code ByteBuffer}'s remaining bytes (its position is not moved); several values of one Redis command (MSET,
 * HSET, RPUSH) each preceded by its length as four big-endian bytes, so that {@code ab,c} and {@code a,bc} differ.
 * Any other object has no fingerprint of its own. Consumer thread only: one instance is not shared.
 */
public final class ValueFingerprint {

  /** Hex digits of a fingerprint. */
  public static final int HEX_DIGITS = 16;
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private final SipHash24 hash;
  private final byte[] hex = new byte[HEX_DIGITS];

  private ValueFingerprint(byte[] key16) {
    this.hash = SipHash24.keyed(key16);
  }

  /** Fingerprints under {@code key16}, 16 bytes. */
  public static ValueFingerprint keyed(byte[] key16) {
    return new ValueFingerprint(key16);
  }

  /**
   * What {@code capture.fingerprints} and {@code capture.fingerprint-key} ask for: {@code null} when fingerprints
   * are off; under the given key, else under a key drawn once for this JVM.
   */
  public static ValueFingerprint from(MemtraceConfig config) {
    if (!config.get(Settings.CAPTURE_FINGERPRINTS)) {
      return null;
    }
    String given = config.get(Settings.CAPTURE_FINGERPRINT_KEY);
    byte[] key = new byte[16];
    if (given == null) {
      new SecureRandom().nextBytes(key);
    } else {
      for (int i = 0; i < 16; i++) {
        key[i] = (byte) Integer.parseInt(given.substring(2 * i, 2 * i + 2), 16);
      }
    }
    return new ValueFingerprint(key);
  }

  /** Whether {@code value} is of a kind that has a fingerprint of its own (see the class comment). */
  public static boolean hasOwnBytes(Object value) {
    return value instanceof byte[] || value instanceof CharSequence || value instanceof ByteBuffer;
  }

  /**
   * The fingerprint of {@code value}, which {@link #hasOwnBytes} (the caller checks).
   *
   * @throws IllegalArgumentException for another kind of value
   */
  public long of(Object value) {
    hash.reset();
    feed(value);
    return hash.finish();
  }

  /**
   * The fingerprint of several values sent together, each preceded by its length; one value alone is
   * hashed as it is, as {@link #of} would.
   */
  public long ofParts(List<byte[]> parts, int[] indexes, int count) {
    if (count == 1) {
      byte[] only = parts.get(indexes[0]);
      return hash.reset().update(only, 0, only.length).finish();
    }
    hash.reset();
    for (int i = 0; i < count; i++) {
      byte[] part = parts.get(indexes[i]);
      hash.updateInt(part.length).update(part, 0, part.length);
    }
    return hash.finish();
  }

  private void feed(Object value) {
    if (value instanceof byte[]) {
      byte[] bytes = (byte[]) value;
      hash.update(bytes, 0, bytes.length);
    } else if (value instanceof CharSequence) {
      // the JDK's encoder: for the common Latin-1 text, a check and a copy the JIT vectorizes, several times
      // faster than encoding char by char into a reused buffer; the array it allocates dies young
      byte[] utf8 = value.toString().getBytes(StandardCharsets.UTF_8);
      hash.update(utf8, 0, utf8.length);
    } else if (value instanceof ByteBuffer) {
      hash.update((ByteBuffer) value);
    } else {
      throw new IllegalArgumentException("no fingerprint for a " + (value == null ? "null" : value.getClass().getName()));
    }
  }

  /** {@code fingerprint} as 16 lowercase hex digits in a buffer this instance reuses: valid until the next call. */
  public byte[] hex(long fingerprint) {
    for (int i = HEX_DIGITS - 1; i >= 0; i--) {
      hex[i] = HEX[(int) (fingerprint & 0xF)];
      fingerprint >>>= 4;
    }
    return hex;
  }

  /** {@code fingerprint} as 16 lowercase hex digits. */
  public static String toHex(long fingerprint) {
    String digits = Long.toHexString(fingerprint);
    return "0000000000000000".substring(digits.length()) + digits;
  }
}
