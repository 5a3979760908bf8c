package io.memtrace.collector.view;

import io.memtrace.collector.Visible;
import io.memtrace.collector.view.Box.Line;
import io.memtrace.collector.view.Box.Segment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Draws a trace as the box {@code traces} prints: one line per span with its start offset, name, key (or
 * agent, or test) in brackets and duration, children indented under parents, and under memory
 * operations a detail line with namespace, size, found, result and item count; under a read, which
 * write it saw ({@link io.memtrace.collector.lineage.ReadLineage}); and under a span that carries them
 * the Redis spans retention compressed into it ({@link CompressedCount}). Failed spans are marked with ✗.
 * The box fits the terminal ({@link Box}); the {@link TraceSummary} follows it, then the keyspace at the
 * trace's start when the watcher sampled it.
 */
public final class TimelineRenderer {

  /** The terminal width assumed when {@code COLUMNS} does not say. */
  public static final int DEFAULT_COLUMNS = 120;
  /** The narrowest output drawn, borders included: a narrower terminal gets this width. */
  public static final int MIN_COLUMNS = Box.FLOOR + 2;

  private final Ansi ansi;
  private final Box box;
  private final int columns;

  public TimelineRenderer(boolean colour, int columns) {
    this.ansi = new Ansi(colour);
    this.box = new Box(ansi, columns);
    this.columns = columns;
  }

  public String render(List<TraceSpan> spans) {
    return render(spans, List.of());
  }

  /** The box, the summary, and {@code state} (the keyspace at the trace's start: {@code StoreReader.keyspaceAtStart}). */
  public String render(List<TraceSpan> spans, List<String> state) {
    if (spans.isEmpty()) {
      return "";
    }
    List<TraceSpan> roots = tree(spans);
    long start = spans.stream().mapToLong(s -> s.startMicros).min().orElse(0);
    List<Line> lines = new ArrayList<>();
    for (int i = 0; i < roots.size(); i++) {
      if (i > 0) {
        lines.add(Line.blank());
      }
      addSpan(lines, roots.get(i), 0, start);
    }
    TraceSpan first = roots.get(0);
    Line title = new Line(List.of(new Segment("Trace: " + first.name, Ansi.BOLD),
        new Segment(" · " + first.service + " · " + first.traceId, null)), "", null, false, 0);
    StringBuilder after = new StringBuilder();
    // namespaces are the application's text: shown visibly and fitted like the summary
    state.forEach(line -> TraceSummary.fit(after, Visible.text(line), Math.max(Box.FLOOR + 2, columns)));
    return box.draw(title, lines) + TraceSummary.of(spans, start, columns) + after;
  }

  static List<TraceSpan> tree(List<TraceSpan> spans) {
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
    String label = span.label() != null ? " [" + span.label() + "]" : span.keyUnknown ? " (key unknown)" : "";
    String mark = span.error ? " ✗" : "";
    List<Segment> segments = new ArrayList<>();
    segments.add(new Segment(indent, null));
    segments.add(new Segment(offset(span.startMicros - traceStart), Ansi.DIM));
    segments.add(new Segment(" ", null));
    if (span.error) {
      segments.add(new Segment(span.name + label + mark, Ansi.RED));
    } else {
      segments.add(new Segment(span.name, depth == 0 ? Ansi.BOLD : null));
      segments.add(new Segment(label, Ansi.CYAN));
    }
    String duration = duration(span.durationMillis);
    lines.add(new Line(segments, duration, span.error ? Ansi.RED : null, false, 0));
    String detail = detail(span);
    if (!detail.isEmpty()) {
      lines.add(new Line(List.of(new Segment(indent + "  ", null),
          new Segment("└─ " + detail, span.error ? Ansi.RED : Ansi.DIM)), "", null, true, indent.length() + 5));
    }
    if (span.lineage != null) {
      lines.add(new Line(List.of(new Segment(indent + "  ", null), new Segment("└─ " + span.lineage, Ansi.DIM)), "", null,
          true, indent.length() + 5));
    }
    if (span.context != null) {
      lines.add(new Line(List.of(new Segment(indent + "  ", null), new Segment("└─ " + span.context,
          span.contextFlagged ? Ansi.RED : Ansi.DIM)), "", null,
          true, indent.length() + 5));
    }
    for (CompressedCount c : span.compressed) {
      lines.add(new Line(List.of(new Segment(indent + "  ", null), new Segment("└─ " + c.line(), Ansi.DIM)), "", null,
          false, 0));
    }
    for (TraceSpan child : span.children) {
      addSpan(lines, child, depth + 1, traceStart);
    }
  }

  static String detail(TraceSpan span) {
    List<String> parts = new ArrayList<>();
    if (span.namespace != null) {
      parts.add("namespace: " + span.namespace);
    }
    if (span.isSearch() && span.key != null) {
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
    if (span.items != null) {
      parts.add("items: " + span.items);
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

  static String offset(long micros) {
    long millis = micros / 1000;
    return String.format(Locale.ROOT, "%02d:%02d.%03d", millis / 60_000, (millis / 1000) % 60, millis % 1000);
  }

  public static String duration(double millis) {
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
}
