package io.memtrace.bench.stress;

/**
 * What the proxy does with the next request. Immutable and swapped whole, so that a connection that
 * reads it once per request never sees half of a change (a new status with an old Retry-After).
 */
record FaultMode(Kind kind, long delayMillis, int status, long retryAfterSeconds) {

  enum Kind { PASS, DOWN, SLOW, ERROR }

  static final FaultMode PASS = new FaultMode(Kind.PASS, 0, 0, 0);
  static final FaultMode DOWN = new FaultMode(Kind.DOWN, 0, 0, 0);

  static FaultMode slow(long delayMillis) {
    if (delayMillis < 0) {
      throw new IllegalArgumentException("delayMillis must be >= 0, got " + delayMillis);
    }
    return new FaultMode(Kind.SLOW, delayMillis, 0, 0);
  }

  static FaultMode error(int status, long retryAfterSeconds) {
    if (status < 200 || status > 599) {
      throw new IllegalArgumentException("status must be a final HTTP status (200-599), got " + status);
    }
    return new FaultMode(Kind.ERROR, 0, status, Math.max(0, retryAfterSeconds));
  }
}
