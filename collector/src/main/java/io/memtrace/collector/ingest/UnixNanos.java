package io.memtrace.collector.ingest;

/**
 * The rule for OTLP times, which are unsigned 64-bit nanoseconds since 1970 ({@code fixed64}):
 * the store takes those below 2^63 ns, that is before 2262-04-11T23:47:16Z. A later one (read
 * as a Java {@code long} it is negative) is refused with the field named, never stored as a
 * negative time or duration.
 */
final class UnixNanos {

  private UnixNanos() {
  }

  /** {@code nanos} when it is in range; else a 400 naming {@code where + field}. */
  static long check(long nanos, Object where, String field) throws PayloadException {
    if (nanos < 0) {
      throw PayloadException.bad(where + field + " is " + Long.toUnsignedString(nanos)
          + " ns since 1970, after 2262-04-11T23:47:16Z, the latest time the store holds (2^63 ns)");
    }
    return nanos;
  }
}
