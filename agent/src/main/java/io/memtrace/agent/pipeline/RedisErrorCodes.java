package io.memtrace.agent.pipeline;

/** The Redis error code that starts an error reply ({@code WRONGTYPE}, {@code ERR}), as spans and metrics name it. */
final class RedisErrorCodes {

  private RedisErrorCodes() {
  }

  /** The metrics' {@code error.type}: the reply's code, or the exception's class when it has none. */
  static String errorType(Throwable error) {
    String prefix = prefix(String.valueOf(error.getMessage()));
    return prefix != null ? prefix : error.getClass().getName();
  }

  /** The code {@code message} starts with, if any: upper-case letters and underscores, up to 32 of them. */
  static String prefix(String message) {
    int space = message.indexOf(' ');
    String first = space < 0 ? message : message.substring(0, space);
    if (first.isEmpty() || first.length() > 32) {
      return null;
    }
    for (int i = 0; i < first.length(); i++) {
      char c = first.charAt(i);
      if (!(c >= 'A' && c <= 'Z') && c != '_') {
        return null;
      }
    }
    return first;
  }
}
