package io.memtrace.agent.pipeline;

import static io.memtrace.agent.semconv.AttributeNames.DB_RESPONSE_STATUS_CODE;
import static io.memtrace.agent.semconv.AttributeNames.ERROR_TYPE;

import io.memtrace.agent.span.SpanRecord;

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

  /**
   * Ends a Redis span ({@code attrs}, of {@code event}) that failed with {@code error}: the exception event, and the
   * reply's code as {@code error.type} and {@code db.response.status_code}. Nothing when {@code error} is null.
   */
  static void markFailed(SpanFactorySupport support, SpanEvent event, SpanRecord attrs, Throwable error) {
    if (error != null) {
      support.exception(error, event.endNanos, attrs);
      String prefix = prefix(String.valueOf(error.getMessage()));
      if (prefix != null) {
        attrs.put(ERROR_TYPE, prefix);
        attrs.put(DB_RESPONSE_STATUS_CODE, prefix);
      }
    }
  }
}
