package io.memtrace.collector.truth;

import java.time.Instant;

/** The wall clock in epoch microseconds, the unit memtrace's answers use. */
final class TimeUs {

  private TimeUs() {
  }

  static long now() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
  }
}
