package io.memtrace.bench.stress.app;

import java.util.Locale;

/**
 * A one-line JSON object of numbers, {@code {"name":number,...}}, in the order given: the form of the
 * samples file and of the RESULT line, which the harness reads with a {@code "name":number} pattern.
 */
final class JsonLine {

  private final StringBuilder text = new StringBuilder(512).append('{');

  JsonLine add(String name, long value) {
    name(name).append(value);
    return this;
  }

  /** One decimal: latencies in µs and sizes in MiB need no more. */
  JsonLine add(String name, double value) {
    return add(name, value, 1);
  }

  /** A value that is not a number (nothing measured) is written -1, as the harness reads "unknown". */
  JsonLine add(String name, double value, int decimals) {
    StringBuilder out = name(name);
    if (Double.isFinite(value)) {
      out.append(String.format(Locale.ROOT, "%." + decimals + "f", value));
    } else {
      out.append(-1);
    }
    return this;
  }

  private StringBuilder name(String name) {
    if (text.length() > 1) {
      text.append(',');
    }
    return text.append('"').append(name).append("\":");
  }

  @Override
  public String toString() {
    return text + "}";
  }
}
