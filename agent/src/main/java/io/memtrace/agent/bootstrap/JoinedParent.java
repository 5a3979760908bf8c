package io.memtrace.agent.bootstrap;

/**
 * The OpenTelemetry span a root memtrace span joins: its ids as memtrace keeps them (two longs for
 * the trace id, one for the span id) and whether it was sampled. One per thread, reused; filled by
 * an {@link OtelSpanReader}.
 */
public final class JoinedParent {

  long traceIdHigh;
  long traceIdLow;
  long spanId;
  boolean sampled;

  JoinedParent() {
  }

  /** Sets the ids from their numeric form. */
  public void set(long traceIdHigh, long traceIdLow, long spanId, boolean sampled) {
    this.traceIdHigh = traceIdHigh;
    this.traceIdLow = traceIdLow;
    this.spanId = spanId;
    this.sampled = sampled;
  }

  /**
   * Sets the ids from the OpenTelemetry API's lowercase hex strings (32 and 16 characters), without
   * allocating.
   *
   * @return false, leaving this unchanged, when either is malformed or all zeros
   */
  public boolean setHex(CharSequence traceId, CharSequence spanId, boolean sampled) {
    if (traceId == null || spanId == null || traceId.length() != 32 || spanId.length() != 16
        || !allHex(traceId) || !allHex(spanId)) {
      return false;
    }
    long high = hex(traceId, 0);
    long low = hex(traceId, 16);
    long span = hex(spanId, 0);
    if ((high | low) == 0 || span == 0) {
      return false;
    }
    set(high, low, span, sampled);
    return true;
  }

  private static boolean allHex(CharSequence s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.digit(s.charAt(i), 16) < 0) {
        return false;
      }
    }
    return true;
  }

  /** Sixteen hex digits from {@code offset}, already checked by {@link #allHex}. */
  private static long hex(CharSequence s, int offset) {
    long value = 0;
    for (int i = offset; i < offset + 16; i++) {
      value = value << 4 | Character.digit(s.charAt(i), 16);
    }
    return value;
  }

  public long traceIdHigh() {
    return traceIdHigh;
  }

  public long traceIdLow() {
    return traceIdLow;
  }

  public long spanId() {
    return spanId;
  }

  public boolean sampled() {
    return sampled;
  }
}
