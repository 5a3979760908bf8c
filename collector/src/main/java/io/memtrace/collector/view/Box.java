package io.memtrace.collector.view;

import io.memtrace.collector.Visible;
import java.util.ArrayList;
import java.util.List;

/**
 * Draws lines in a box as wide as its longest line, but never wider than the terminal: a line
 * that does not fit is cut with {@code …}, or, if it asks to, wrapped onto lines indented under
 * its start (a long error message stays readable). Widths count characters, colours excluded.
 */
final class Box {

  static final int MIN_WIDTH = 73;
  static final int DURATION_WIDTH = 9;
  /** The narrowest box drawn, however narrow the terminal says it is. */
  static final int FLOOR = 40;

  /** Text in one style; {@code style} null is plain. */
  record Segment(String text, String style) {
  }

  /**
   * One line: its segments, an optional right-aligned duration, and whether it wraps (else it is
   * cut); wrapped lines continue after {@code indent} spaces.
   */
  record Line(List<Segment> segments, String duration, String durationStyle, boolean wraps, int indent) {

    static Line blank() {
      return new Line(List.of(), "", null, false, 0);
    }

    int length() {
      return segments.stream().mapToInt(s -> s.text().length()).sum();
    }

    String plain() {
      StringBuilder b = new StringBuilder();
      segments.forEach(s -> b.append(s.text()));
      return b.toString();
    }
  }

  private final Ansi ansi;
  private final int columns;

  /** @param columns the terminal's width; the box, borders included, stays within it */
  Box(Ansi ansi, int columns) {
    this.ansi = ansi;
    this.columns = columns;
  }

  /**
   * The box around {@code lines}. Their text is made {@link Visible} first, so a control character
   * in a span name or key is shown as an escape, counted in the width, and never reaches the terminal.
   */
  String draw(Line title, List<Line> lines) {
    title = visible(title);
    lines = lines.stream().map(Box::visible).toList();
    int natural = Math.max(MIN_WIDTH, title.length() + 2);
    for (Line line : lines) {
      natural = Math.max(natural, line.length() + 2 + (line.duration().isEmpty() ? 0 : DURATION_WIDTH + 3));
    }
    int width = Math.min(natural, Math.max(FLOOR, columns - 2));
    StringBuilder out = new StringBuilder();
    out.append('┌').append("─".repeat(width)).append("┐\n");
    row(out, title, width);
    out.append('├').append("─".repeat(width)).append("┤\n");
    for (Line line : lines) {
      row(out, line, width);
    }
    out.append('└').append("─".repeat(width)).append("┘\n");
    return out.toString();
  }

  private void row(StringBuilder out, Line line, int width) {
    boolean timed = !line.duration().isEmpty();
    int room = timed ? width - 1 - DURATION_WIDTH - 3 : width - 1;
    List<List<Segment>> rows = new ArrayList<>();
    if (line.length() <= room) {
      rows.add(line.segments());
    } else if (line.wraps()) {
      rows.addAll(wrap(line, room));
    } else {
      List<Segment> cut = new ArrayList<>(slice(line.segments(), 0, room - 1));
      cut.add(new Segment("…", cut.isEmpty() ? null : cut.get(cut.size() - 1).style()));
      rows.add(cut);
    }
    for (int r = 0; r < rows.size(); r++) {
      List<Segment> segments = rows.get(r);
      int length = segments.stream().mapToInt(s -> s.text().length()).sum();
      out.append("│ ");
      segments.forEach(s -> out.append(s.style() == null ? s.text() : ansi.paint(s.style(), s.text())));
      if (timed && r == 0) {
        String duration = line.duration();
        out.append(" ".repeat(Math.max(1, width - 1 - length - DURATION_WIDTH - 2)))
            .append(" ".repeat(Math.max(0, DURATION_WIDTH - duration.length())))
            .append(line.durationStyle() == null ? duration : ansi.paint(line.durationStyle(), duration)).append("  ");
      } else {
        out.append(" ".repeat(Math.max(0, width - 1 - length)));
      }
      out.append("│\n");
    }
  }

  private static Line visible(Line line) {
    List<Segment> segments = line.segments().stream().map(s -> new Segment(Visible.text(s.text()), s.style())).toList();
    return new Line(segments, Visible.text(line.duration()), line.durationStyle(), line.wraps(), line.indent());
  }

  /** Rows of at most {@code room} characters, broken after a space where one is near the end. */
  private static List<List<Segment>> wrap(Line line, int room) {
    String plain = line.plain();
    List<List<Segment>> rows = new ArrayList<>();
    int indent = Math.min(line.indent(), room / 2);
    int from = 0;
    while (from < plain.length()) {
      int space = rows.isEmpty() ? room : room - indent;
      int to = Math.min(plain.length(), from + space);
      if (to < plain.length()) {
        int breakAt = plain.lastIndexOf(' ', to - 1);
        if (breakAt > from + space / 2) {
          to = breakAt + 1;
        }
      }
      List<Segment> row = new ArrayList<>();
      if (!rows.isEmpty()) {
        row.add(new Segment(" ".repeat(indent), null));
      }
      row.addAll(slice(line.segments(), from, to));
      rows.add(row);
      from = to;
    }
    return rows;
  }

  /** The segments covering characters {@code [from, to)} of the line's text. */
  static List<Segment> slice(List<Segment> segments, int from, int to) {
    List<Segment> out = new ArrayList<>();
    int at = 0;
    for (Segment s : segments) {
      int start = Math.max(from, at);
      int end = Math.min(to, at + s.text().length());
      if (start < end) {
        out.add(new Segment(s.text().substring(start - at, end - at), s.style()));
      }
      at += s.text().length();
    }
    return out;
  }
}
