package io.memtrace.collector.view;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Draws a trace as the box of seed 000: one line per span with its start offset, name, key (or
 * agent) in brackets and duration, children indented under parents, and under memory operations a
 * detail line with namespace, size, found and result count. Failed spans are marked with ✗.
 */
public final class TimelineRenderer {

  private static final int MIN_WIDTH = 73;
  private static final int DURATION_WIDTH = 9;

  private final Ansi ansi;

  public TimelineRenderer(boolean colour) {
    this.ansi = new Ansi(colour);
  }

  public String render(List<TraceSpan> spans) {
    if (spans.isEmpty()) {
      return "";
    }
    List<TraceSpan> roots = tree(spans);
    long start = spans.stream().mapToLong(s -> s.startMicros).min().orElse(0);
    List<Line> lines = new ArrayList<>();
    for (int i = 0; i < roots.size(); i++) {
      if (i > 0) {
        lines.add(new Line("", ""));
      }
      addSpan(lines, roots.get(i), 0, start);
    }
    TraceSpan first = roots.get(0);
    Line title = new Line("Trace: " + first.name + " · " + first.service + " · " + first.traceId,
        ansi.paint(Ansi.BOLD, "Trace: " + first.name) + " · " + first.service + " · " + first.traceId);
    int width = Math.max(MIN_WIDTH, title.plain.length() + 2);
    for (Line line : lines) {
      width = Math.max(width, line.plain.length() + 2 + (line.duration.isEmpty() ? 0 : DURATION_WIDTH + 3));
    }
    StringBuilder out = new StringBuilder();
    out.append('┌').append("─".repeat(width)).append("┐\n");
    boxed(out, title, width);
    out.append('├').append("─".repeat(width)).append("┤\n");
    for (Line line : lines) {
      boxed(out, line, width);
    }
    out.append('└').append("─".repeat(width)).append("┘\n");
    summary(out, spans, start);
    return out.toString();
  }

  private static List<TraceSpan> tree(List<TraceSpan> spans) {
    Map<String, TraceSpan> byId = new HashMap<>();
    spans.forEach(s -> {
      s.children.clear();
      byId.put(s.spanId, s);
    });
    List<TraceSpan> roots = new ArrayList<>();
    for (TraceSpan s : spans) {
      TraceSpan parent = s.parentSpanId == null ? null : byId.get(s.parentSpanId);
      // a span whose parent never arrived still shows, at the top level
      (parent == null || parent == s ? roots : parent.children).add(s);
    }
    Comparator<TraceSpan> byStart = Comparator.comparingLong((TraceSpan s) -> s.startMicros).thenComparing(s -> s.spanId);
    roots.sort(byStart);
    spans.forEach(s -> s.children.sort(byStart));
    return roots;
  }

  private void addSpan(List<Line> lines, TraceSpan span, int depth, long traceStart) {
    String indent = "  ".repeat(depth);
    String offset = offset(span.startMicros - traceStart);
    String label = span.key != null ? " [" + span.key + "]" : span.agent != null ? " [" + span.agent + "]" : "";
    String mark = span.error ? " ✗" : "";
    String left = indent + offset + " " + span.name + label + mark;
    String duration = duration(span.durationMillis);
    String leftPainted = indent + ansi.paint(Ansi.DIM, offset) + " "
        + (span.error ? ansi.paint(Ansi.RED, span.name + label + mark)
            : (depth == 0 ? ansi.paint(Ansi.BOLD, span.name) : span.name) + ansi.paint(Ansi.CYAN, label));
    lines.add(new Line(left, leftPainted, duration, span.error ? ansi.paint(Ansi.RED, duration) : duration));
    String detail = detail(span);
    if (!detail.isEmpty()) {
      String text = indent + "  └─ " + detail;
      lines.add(new Line(text, indent + "  " + (span.error ? ansi.paint(Ansi.RED, "└─ " + detail)
          : ansi.paint(Ansi.DIM, "└─ " + detail))));
    }
    for (TraceSpan child : span.children) {
      addSpan(lines, child, depth + 1, traceStart);
    }
  }

  private static String detail(TraceSpan span) {
    List<String> parts = new ArrayList<>();
    if (span.namespace != null) {
      parts.add("namespace: " + span.namespace);
    }
    if ("SEARCH".equalsIgnoreCase(span.operation) && span.key != null) {
      parts.add("pattern: " + span.key);
    }
    if (span.found != null) {
      parts.add("found: " + span.found);
    }
    if (span.size != null) {
      parts.add("size: " + span.size + " bytes");
    }
    if (span.results != null) {
      parts.add("results: " + span.results);
    }
    if (span.error) {
      String why = span.errorType != null ? span.errorType : "";
      if (span.statusMessage != null && !span.statusMessage.isEmpty()) {
        why = why.isEmpty() ? span.statusMessage : why + ": " + span.statusMessage;
      }
      parts.add("ERROR" + (why.isEmpty() ? "" : " " + why));
    }
    return String.join(", ", parts);
  }

  private static void boxed(StringBuilder out, Line line, int width) {
    out.append("│ ");
    if (line.duration.isEmpty()) {
      out.append(line.painted).append(" ".repeat(width - 1 - line.plain.length()));
    } else {
      int pad = width - 1 - line.plain.length() - DURATION_WIDTH - 2;
      String dur = " ".repeat(Math.max(0, DURATION_WIDTH - line.duration.length())) + line.durationPainted;
      out.append(line.painted).append(" ".repeat(Math.max(1, pad))).append(dur).append("  ");
    }
    out.append("│\n");
  }

  private static void summary(StringBuilder out, List<TraceSpan> spans, long start) {
    long end = spans.stream().mapToLong(s -> s.startMicros + Math.round(s.durationMillis * 1000)).max().orElse(start);
    out.append("Total Duration: ").append(duration((end - start) / 1000.0)).append('\n');
    Map<String, Integer> ops = new LinkedHashMap<>();
    long bytes = 0;
    int memoryOps = 0;
    int errors = 0;
    for (TraceSpan s : spans.stream().sorted(Comparator.comparingLong(s -> s.startMicros)).toList()) {
      errors += s.error ? 1 : 0;
      if (s.isMemoryOperation()) {
        memoryOps++;
        ops.merge(s.operation.toLowerCase(Locale.ROOT), 1, Integer::sum);
        bytes += s.size == null ? 0 : s.size;
      }
    }
    List<String> counts = new ArrayList<>();
    ops.forEach((op, n) -> counts.add(n + " " + op));
    out.append("Memory Operations: ").append(memoryOps)
        .append(counts.isEmpty() ? "" : " (" + String.join(", ", counts) + ")").append('\n');
    out.append("Data Transferred: ").append(size(bytes)).append('\n');
    if (errors > 0) {
      out.append("Errors: ").append(errors).append('\n');
    }
  }

  static String offset(long micros) {
    long millis = micros / 1000;
    return String.format(Locale.ROOT, "%02d:%02d.%03d", millis / 60_000, (millis / 1000) % 60, millis % 1000);
  }

  static String duration(double millis) {
    if (millis >= 1000) {
      return String.format(Locale.ROOT, "%.2fs", millis / 1000);
    }
    if (millis >= 10 || millis == Math.rint(millis)) {
      return Math.round(millis) + "ms";
    }
    return String.format(Locale.ROOT, "%.2fms", millis);
  }

  static String size(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    if (bytes < 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1fKB", bytes / 1024.0);
    }
    return String.format(Locale.ROOT, "%.1fMB", bytes / (1024.0 * 1024));
  }

  /** A line of the box: its visible text (for padding) and the same text with colours. */
  private static final class Line {
    final String plain;
    final String painted;
    final String duration;
    final String durationPainted;

    Line(String plain, String painted) {
      this(plain, painted, "", "");
    }

    Line(String plain, String painted, String duration, String durationPainted) {
      this.plain = plain;
      this.painted = painted;
      this.duration = duration;
      this.durationPainted = durationPainted;
    }
  }
}
