package io.memtrace.collector.redis;

import java.math.BigInteger;

/**
 * What Redis itself accepts, checked before a restore writes anything: a value that Redis would
 * refuse half-way through must be refused while Redis is still untouched.
 */
final class RedisLimits {

  /** The largest string, field, member or key Redis stores ({@code proto-max-bulk-len}, 512 MiB). */
  static final long MAX_BULK = 512L << 20;

  /**
   * The largest {@code ttl_ms} restored: 2^62 ms, about 146 million years. Redis refuses an
   * expiry whose absolute time overflows a signed 64-bit count of milliseconds, so a TTL near
   * 2^63-1 cannot be set at all; rather than drop it (the key would live for ever) the restore
   * refuses the file.
   */
  static final long MAX_TTL_MS = 1L << 62;

  /** JSON string length that holds {@link #MAX_BULK} bytes in base64, with room to spare. */
  static final int MAX_BASE64_CHARS = (int) (MAX_BULK / 3 * 4 + 1024);

  private static final BigInteger MAX_ID_PART = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

  private RedisLimits() {
  }

  /** A stream id's two parts, each an unsigned 64-bit number; null when the text is not an id. */
  static BigInteger[] streamId(String text) {
    int dash = text.indexOf('-');
    if (dash <= 0 || dash == text.length() - 1 || !text.chars().allMatch(c -> c == '-' || c >= '0' && c <= '9')
        || text.indexOf('-', dash + 1) >= 0 || dash > 20 || text.length() - dash - 1 > 20) {
      return null;
    }
    BigInteger ms = new BigInteger(text.substring(0, dash));
    BigInteger seq = new BigInteger(text.substring(dash + 1));
    return ms.compareTo(MAX_ID_PART) > 0 || seq.compareTo(MAX_ID_PART) > 0 ? null : new BigInteger[] {ms, seq};
  }

  /** Orders two stream ids as Redis does: by milliseconds, then by sequence. */
  static int compareIds(BigInteger[] a, BigInteger[] b) {
    int byMs = a[0].compareTo(b[0]);
    return byMs != 0 ? byMs : a[1].compareTo(b[1]);
  }
}
