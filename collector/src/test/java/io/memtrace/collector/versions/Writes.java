package io.memtrace.collector.versions;

import io.memtrace.collector.values.CapturedValue;
import io.memtrace.collector.values.ValueChange;
import java.time.Instant;

/** Captured writes for the tests, as the store gives them. */
final class Writes {

  private Writes() {
  }

  static CapturedValue write(int second, String trace, String operation, ValueChange change, String type,
      String value) {
    return new CapturedValue(trace, "span-" + trace, 0, Instant.ofEpochSecond(1_800_000_000L + second), "agent-app",
        "127.0.0.1:6379", 0, "notes", "k", operation, change, type, false, value, value.length(), false);
  }

  static CapturedValue cut(int second, String trace, String value, long size) {
    return new CapturedValue(trace, "span-" + trace, 0, Instant.ofEpochSecond(1_800_000_000L + second), "agent-app",
        "127.0.0.1:6379", 0, "notes", "k", "SET", ValueChange.REPLACE, "string", false, value, size, true);
  }

  static long micros(int second) {
    return (1_800_000_000L + second) * 1_000_000;
  }
}
