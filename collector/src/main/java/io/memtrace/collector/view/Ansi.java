package io.memtrace.collector.view;

/** Terminal colours, or none when the output is not a terminal. */
final class Ansi {

  static final String RED = "\u001b[31m";
  static final String CYAN = "\u001b[36m";
  static final String DIM = "\u001b[2m";
  static final String BOLD = "\u001b[1m";
  private static final String RESET = "\u001b[0m";

  private final boolean enabled;

  Ansi(boolean enabled) {
    this.enabled = enabled;
  }

  String paint(String style, String text) {
    return enabled && !text.isEmpty() ? style + text + RESET : text;
  }
}
