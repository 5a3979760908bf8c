package io.memtrace.collector.ingest;

/**
 * How many strings of one request {@link ValidText} repaired; owned by the thread decoding that
 * request, so the answer can warn the sender (an OTLP partial success with nothing rejected).
 */
public final class TextRepairs {

  private int strings;

  void add(int count) {
    strings += count;
  }

  public int strings() {
    return strings;
  }

  /** The warning for the sender, or null when nothing was repaired. */
  String warning() {
    return strings == 0 ? null : strings + (strings == 1 ? " string was" : " strings were")
        + " not valid Unicode (a lone surrogate or invalid UTF-8) and stored with U+FFFD in place of the bad characters";
  }
}
