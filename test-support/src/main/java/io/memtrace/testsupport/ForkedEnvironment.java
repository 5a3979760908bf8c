package io.memtrace.testsupport;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The environment of a {@link ForkedJvm}: nothing of whoever runs the tests reaches it. Exporter settings, memtrace's,
 * the demo's, {@code REDIS_URL} and {@code JAVA_TOOL_OPTIONS} (a {@code -javaagent} there would attach to every JVM)
 * are not inherited; the exporters are off unless the test turns them on, so nothing posts to whatever may listen on
 * localhost:4318; and what the test sets is set, the later of two settings of one variable winning.
 */
final class ForkedEnvironment {

  private static final List<String> NOT_INHERITED = List.of("OTEL_", "MEMTRACE_", "DEMO_");

  private final Map<String, String> set = new LinkedHashMap<>(Map.of(
      "OTEL_TRACES_EXPORTER", "none", "OTEL_METRICS_EXPORTER", "none"));

  void set(String name, String value) {
    set.put(name, value);
  }

  /** Makes {@code environment}, a process builder's copy of this JVM's, the forked JVM's. */
  void applyTo(Map<String, String> environment) {
    environment.keySet().removeIf(k -> NOT_INHERITED.stream().anyMatch(k::startsWith)
        || k.equals("REDIS_URL") || k.equals("JAVA_TOOL_OPTIONS"));
    environment.putAll(set);
  }
}
