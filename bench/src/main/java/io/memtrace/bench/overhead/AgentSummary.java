package io.memtrace.bench.overhead;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * memtrace's shutdown line ({@code [memtrace] INFO shutdown: memtrace.events.exported=N ...}) read
 * from a fork's log. Each counter is read by its name wherever it stands on the line, so counters
 * the agent adds (produced, compressed) or reorders are read too, and one it does not print is
 * absent rather than a wrong number.
 */
public final class AgentSummary {

  private static final Pattern COUNTER = Pattern.compile("\\bmemtrace\\.((?:events|export)\\.[a-z_]+)=(\\d+)");

  private final Map<String, Long> counters;

  private AgentSummary(Map<String, Long> counters) {
    this.counters = counters;
  }

  /** The last shutdown line in {@code log}; empty (every counter absent) when there is none. */
  public static AgentSummary parse(String log) {
    String line = null;
    for (String l : log.split("\n")) {
      if (l.contains("shutdown: ") && l.contains("memtrace.events.")) {
        line = l;
      }
    }
    Map<String, Long> counters = new LinkedHashMap<>();
    if (line != null) {
      Matcher m = COUNTER.matcher(line);
      while (m.find()) {
        counters.put(m.group(1), Long.parseLong(m.group(2)));
      }
    }
    return new AgentSummary(counters);
  }

  /** Whether the log had a shutdown line at all. */
  public boolean found() {
    return !counters.isEmpty();
  }

  /** A counter by its name after {@code memtrace.}, e.g. {@code events.exported}. */
  public OptionalLong get(String name) {
    Long v = counters.get(name);
    return v == null ? OptionalLong.empty() : OptionalLong.of(v);
  }

  /** The counters as {@code memtrace_<last part>} values (memtrace_exported, ...) for a fork's outcome. */
  void copyInto(Map<String, Double> values) {
    counters.forEach((name, v) -> values.put("memtrace_" + name.replace("export.", "export_")
        .replace("events.", ""), (double) v));
  }
}
