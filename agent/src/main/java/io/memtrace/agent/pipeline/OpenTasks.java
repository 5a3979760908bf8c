package io.memtrace.agent.pipeline;

import java.util.HashMap;
import java.util.Map;

/**
 * Task spans that have started and not ended, with the attributes ({@code agent.id}, {@code agent.type}) the
 * memory spans inside them take when their own rule does not set them. Consumer thread only.
 */
final class OpenTasks {

  private static final int MAX_OPEN_TASKS = 10_000;

  private final Map<Long, Map<String, Object>> open = new HashMap<>();

  void started(long spanId, Map<String, Object> inherited) {
    if (open.size() >= MAX_OPEN_TASKS) {
      open.clear(); // tasks that never ended (dropped events); inheritance is best effort
    }
    open.put(spanId, inherited);
  }

  void ended(long spanId) {
    open.remove(spanId);
  }

  /** Adds to {@code values} what the task {@code parentSpanId} passes down and {@code values} lacks. */
  void inherit(long parentSpanId, Map<String, Object> values) {
    Map<String, Object> inherited = open.get(parentSpanId);
    if (inherited != null) {
      inherited.forEach(values::putIfAbsent);
    }
  }
}
