package io.memtrace.collector.view;

import io.memtrace.collector.Visible;
import java.util.ArrayList;
import java.util.List;

/**
 * A trace as a compact tree for a reader with little room (an assistant's context window): the lines of the
 * timeline box ({@link TimelineRenderer}) without the box, the colours or the padding, one span a line, its details,
 * the write each read saw or why it found nothing, and each model call's memory indented under it. Bounded: spans
 * deeper than {@code depth} and past the first {@code limit} are counted, not shown, and the last line says so.
 */
public final class CompactTree {

  private final int depth;
  private final int limit;
  private final StringBuilder out = new StringBuilder();
  private int shown;
  private int deeper;
  private int past;

  private CompactTree(int depth, int limit) {
    this.depth = depth;
    this.limit = limit;
  }

  /**
   * @param spans one trace's spans as a store's reader gives them (lineage and model-call memory set)
   * @param depth the deepest level shown, 0 for the roots only
   * @param limit the most spans shown
   */
  public static String render(List<TraceSpan> spans, int depth, int limit) {
    if (spans.isEmpty()) {
      return "";
    }
    CompactTree tree = new CompactTree(depth, limit);
    List<TraceSpan> roots = TimelineRenderer.tree(new ArrayList<>(spans));
    long start = spans.stream().mapToLong(s -> s.startMicros).min().orElse(0);
    TraceSpan first = roots.get(0);
    tree.out.append("trace ").append(first.traceId).append(" · ").append(Visible.text(first.name)).append(" · ")
        .append(Visible.text(String.valueOf(first.service))).append(" · ").append(spans.size()).append(" spans\n");
    for (TraceSpan root : roots) {
      tree.add(root, 0, start);
    }
    tree.out.append(TraceSummary.of(spans, start, 200));
    if (tree.deeper + tree.past > 0) {
      tree.out.append("cut: ").append(tree.shown).append(" of ").append(spans.size()).append(" spans shown");
      if (tree.deeper > 0) {
        tree.out.append("; ").append(tree.deeper).append(" deeper than depth ").append(depth);
      }
      if (tree.past > 0) {
        tree.out.append("; ").append(tree.past).append(" past limit ").append(limit);
      }
      tree.out.append(" (ask again with a larger depth or limit)\n");
    }
    return tree.out.toString();
  }

  private void add(TraceSpan span, int level, long start) {
    if (level > depth) {
      deeper += count(span);
      return;
    }
    if (shown >= limit) {
      past += count(span);
      return;
    }
    shown++;
    String indent = "  ".repeat(level);
    String label = span.label() != null ? " [" + span.label() + "]" : span.keyUnknown ? " (key unknown)" : "";
    out.append(indent).append(TimelineRenderer.offset(span.startMicros - start)).append(' ')
        .append(Visible.text(span.name + label)).append(span.error ? " ✗ " : " ")
        .append(TimelineRenderer.duration(span.durationMillis)).append('\n');
    String detail = TimelineRenderer.detail(span);
    if (!detail.isEmpty()) {
      out.append(indent).append("  ").append(Visible.text(detail)).append('\n');
    }
    if (span.lineage != null) {
      out.append(indent).append("  ").append(Visible.text(span.lineage)).append('\n');
    }
    if (span.context != null) {
      out.append(indent).append("  ").append(Visible.text(span.context)).append('\n');
    }
    for (CompressedCount c : span.compressed) {
      out.append(indent).append("  ").append(Visible.text(c.line())).append('\n');
    }
    for (TraceSpan child : span.children) {
      add(child, level + 1, start);
    }
  }

  private static int count(TraceSpan span) {
    int n = 1;
    for (TraceSpan child : span.children) {
      n += count(child);
    }
    return n;
  }
}
