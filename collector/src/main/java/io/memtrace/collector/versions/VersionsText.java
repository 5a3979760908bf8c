package io.memtrace.collector.versions;

import io.memtrace.collector.Visible;
import io.memtrace.collector.timeline.KeyRecord;

/**
 * A record's versions for the terminal or as JSON. The diffs are the application's own values, written by whoever
 * controls its input, so the text shows every control and bidirectional character as an escape ({@link Visible}),
 * one row a line (a value's newlines as {@code \n}); the JSON escapes them too.
 */
public final class VersionsText {

  private static final String INDENT = "      ";

  private VersionsText() {
  }

  public static String json(KeyVersions versions) {
    return Visible.json(VersionsJson.write(versions)) + "\n";
  }

  public static String text(KeyVersions versions) {
    StringBuilder out = new StringBuilder();
    out.append(Visible.text(versions.key())).append(": ").append(versions.versions().size()).append(" versions, ")
        .append(versions.captured()).append(" with a captured value, oldest first")
        .append(versions.truncated() ? " (older ones left out; see --limit)" : "").append(", times UTC\n");
    for (Version v : versions.versions()) {
      String what = v.what().equals("write") ? v.change() : v.what().replace('_', ' ');
      out.append(String.format("v%-5d %-25s %-19s ", v.number(), KeyRecord.time(v.timeUs()), what))
          .append(Visible.text(v.cause())).append('\n');
      out.append(INDENT).append(Visible.text(v.summary()));
      if (v.size() != null) {
        out.append(" · ").append(v.size()).append(" B written");
      }
      if (v.truncated()) {
        out.append(" · CUT at the agent's cap");
      }
      out.append('\n');
      if (v.note() != null) {
        out.append(INDENT).append("note: ").append(Visible.text(v.note())).append('\n');
      }
      for (DiffRow row : v.diff().rows()) {
        out.append(INDENT).append(row(v.diff().form(), row)).append('\n');
      }
      if (v.diff().more() > 0) {
        out.append(INDENT).append("… ").append(v.diff().more()).append(" more changes not shown\n");
      }
    }
    for (String note : versions.notes()) {
      out.append("note: ").append(Visible.text(note)).append('\n');
    }
    return out.toString();
  }

  /** One row of a diff as a line: {@code +} added, {@code -} removed, {@code ~} changed, values escaped. */
  static String row(String form, DiffRow row) {
    if (form.equals("lines")) {
      return switch (row.op()) {
        case "skipped" -> "  … " + row.name();
        case "same" -> "  " + line(row.beforeLine()) + " " + Visible.text(row.before());
        case "removed" -> "- " + line(row.beforeLine()) + " " + Visible.text(row.before());
        case "added" -> "+ " + line(row.afterLine()) + " " + Visible.text(row.after());
        default -> "- " + line(row.beforeLine()) + " " + Visible.text(row.before()) + "\n" + INDENT + "+ "
            + line(row.afterLine()) + " " + Visible.text(row.after());
      };
    }
    String name = row.name() == null ? "" : Visible.text(row.name());
    String label = form.equals("scores") ? name + " score " : name.isEmpty() ? "" : name + ": ";
    return switch (row.op()) {
      case "added" -> "+ " + label + Visible.text(row.after());
      case "removed" -> "- " + label + Visible.text(row.before());
      default -> "~ " + label + Visible.text(row.before()) + " → " + Visible.text(row.after());
    };
  }

  private static String line(Integer number) {
    return String.format("%4d |", number);
  }
}
