package io.memtrace.collector.view;

import io.memtrace.collector.Visible;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The lines under the box {@code traces} draws: total duration, memory-manager operations by kind,
 * Redis commands by name on a line of their own, and the bytes moved. A memory operation and the
 * Redis command it sent move the same bytes, so a command's bytes count only when no
 * memory-manager span encloses it (a Redis call the app made directly).
 */
final class TraceSummary {

  private TraceSummary() {
  }

  /**
   * The summary lines, each within {@code columns} characters (as the box is): a long list of
   * commands continues on lines indented under its first item.
   */
  static String of(List<TraceSpan> spans, long start, int columns) {
    StringBuilder out = new StringBuilder();
    long end = spans.stream().mapToLong(s -> s.startMicros + Math.round(s.durationMillis * 1000)).max().orElse(start);
    out.append("Total Duration: ").append(TimelineRenderer.duration((end - start) / 1000.0)).append('\n');
    Map<String, TraceSpan> byId = new HashMap<>();
    spans.forEach(s -> byId.put(s.spanId, s));
    Map<String, Integer> operations = new LinkedHashMap<>();
    Map<String, Integer> commands = new LinkedHashMap<>();
    long bytes = 0;
    int unknown = 0;
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
        if (!underMemoryOperation(s, byId)) {
          bytes += s.size == null ? 0 : s.size;
          unknown += s.size == null && s.fromStatement ? 1 : 0;
        }
      }
    }
    out.append("Memory Operations: ").append(counted(operations)).append('\n');
    if (!commands.isEmpty()) {
      out.append("Redis Commands: ").append(counted(commands)).append('\n');
    }
    if (compressed > 0) {
      out.append("Compressed Redis Commands: ").append(String.format(Locale.ROOT, "%,d", compressed)).append('\n');
    }
    out.append("Data Transferred: ").append(transferred(bytes, unknown, commands.values().stream()
        .mapToInt(Integer::intValue).sum())).append('\n');
    if (errors > 0) {
      out.append("Errors: ").append(errors).append('\n');
    }
    StringBuilder fitted = new StringBuilder();
    out.toString().lines().forEach(line -> fit(fitted, Visible.text(line), Math.max(Box.FLOOR + 2, columns)));
    return fitted.toString();
  }

  /**
   * The bytes moved, and how many Redis commands' sizes are unknown: another instrumentation's statement gives no
   * size for a read and hides most values, and an unknown size is not a zero.
   */
  private static String transferred(long bytes, int unknown, int commands) {
    if (unknown == 0) {
      return TimelineRenderer.size(bytes);
    }
    String which = (unknown == commands ? "all " : "") + unknown + " Redis command" + (unknown == 1 ? "" : "s");
    String why = " read from other instrumentations' statements, which carry no size";
    return bytes == 0 ? "unknown (" + which + why + ")"
        : TimelineRenderer.size(bytes) + " and unknown for " + which + why;
  }

  /** {@code line}, broken after a ", " or a space so that no row is wider than {@code width}. */
  static void fit(StringBuilder out, String line, int width) {
    int open = line.indexOf(" (");
    int indent = open > 0 && open + 2 < width / 2 ? open + 2 : Math.min(line.indexOf(": ") + 2, width / 2);
    String rest = line;
    String lead = "";
    while (lead.length() + rest.length() > width) {
      int room = width - lead.length();
      int at = breakBefore(rest, room);
      out.append(lead).append(rest.substring(0, at).stripTrailing()).append('\n');
      rest = rest.substring(at);
      lead = " ".repeat(Math.max(0, indent));
    }
    out.append(lead).append(rest).append('\n');
  }

  /** Where to break {@code text} to fit {@code room}: after a ", ", else after a space, else at the edge. */
  private static int breakBefore(String text, int room) {
    int comma = text.lastIndexOf(", ", room - 2);
    if (comma > room / 3) {
      return comma + 2;
    }
    int space = text.lastIndexOf(' ', room - 1);
    return space > room / 3 ? space + 1 : room;
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
