package io.memtrace.collector.view;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The lines under the box, as in seed 000: total duration, memory-manager operations by kind,
 * Redis commands by name on a line of their own, and the bytes moved. A memory operation and the
 * Redis command it sent move the same bytes, so a command's bytes count only when no
 * memory-manager span encloses it (a Redis call the app made directly).
 */
final class TraceSummary {

  private TraceSummary() {
  }

  static String of(List<TraceSpan> spans, long start) {
    StringBuilder out = new StringBuilder();
    long end = spans.stream().mapToLong(s -> s.startMicros + Math.round(s.durationMillis * 1000)).max().orElse(start);
    out.append("Total Duration: ").append(TimelineRenderer.duration((end - start) / 1000.0)).append('\n');
    Map<String, TraceSpan> byId = new HashMap<>();
    spans.forEach(s -> byId.put(s.spanId, s));
    Map<String, Integer> operations = new LinkedHashMap<>();
    Map<String, Integer> commands = new LinkedHashMap<>();
    long bytes = 0;
    int errors = 0;
    long compressed = 0;
    for (TraceSpan s : spans.stream().sorted(Comparator.comparingLong(s -> s.startMicros)).toList()) {
      errors += s.error ? 1 : 0;
      compressed += s.compressed.stream().mapToLong(CompressedCount::count).sum();
      if (s.isMemoryOperation()) {
        operations.merge(s.memoryOperation.toLowerCase(Locale.ROOT), 1, Integer::sum);
        bytes += s.size == null ? 0 : s.size;
      } else if (s.database) {
        commands.merge(s.dbOperation == null ? s.name : s.dbOperation, 1, Integer::sum);
        bytes += s.size == null || underMemoryOperation(s, byId) ? 0 : s.size;
      }
    }
    out.append("Memory Operations: ").append(counted(operations)).append('\n');
    if (!commands.isEmpty()) {
      out.append("Redis Commands: ").append(counted(commands)).append('\n');
    }
    if (compressed > 0) {
      out.append("Compressed Redis Commands: ").append(String.format(Locale.ROOT, "%,d", compressed)).append('\n');
    }
    out.append("Data Transferred: ").append(TimelineRenderer.size(bytes)).append('\n');
    if (errors > 0) {
      out.append("Errors: ").append(errors).append('\n');
    }
    return out.toString();
  }

  private static String counted(Map<String, Integer> counts) {
    int total = counts.values().stream().mapToInt(Integer::intValue).sum();
    List<String> parts = new ArrayList<>();
    counts.forEach((name, n) -> parts.add(n + " " + name));
    return total + (parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")");
  }

  private static boolean underMemoryOperation(TraceSpan span, Map<String, TraceSpan> byId) {
    TraceSpan parent = span.parentSpanId == null ? null : byId.get(span.parentSpanId);
    for (int depth = 0; parent != null && depth < 64; depth++) {
      if (parent.isMemoryOperation()) {
        return true;
      }
      parent = parent.parentSpanId == null ? null : byId.get(parent.parentSpanId);
    }
    return false;
  }
}
