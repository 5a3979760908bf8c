package io.memtrace.agent.config;

import java.util.List;

/**
 * The README's settings tables, written from the declarations so the documentation cannot drift
 * from what the loader accepts. {@code SettingsTableTest} checks that README.md contains exactly
 * these tables between their markers (and rewrites them when run with
 * {@code -Dmemtrace.readme.update=true}).
 */
public final class SettingsTable {

  /** The block of memtrace's own (YAML) settings. */
  public static final String FILE = "file";
  /** The block of settings given only as environment variables or system properties. */
  public static final String VARIABLES = "variables";

  private SettingsTable() {
  }

  /** The line that opens a block in the README. */
  public static String begin(String block) {
    return "<!-- settings:" + block + " (generated from the declarations in Settings and OtelSettings; do not edit) -->";
  }

  /** The line that closes a block in the README. */
  public static String end(String block) {
    return "<!-- /settings:" + block + " -->";
  }

  /** The table of {@code block}, without its markers, ending in a newline. */
  public static String markdown(String block) {
    boolean file = block.equals(FILE);
    StringBuilder out = new StringBuilder();
    out.append(file ? "| key | environment variable / system property | default | values | |\n"
        : "| environment variable | system property | default | values | |\n");
    out.append("|---|---|---|---|---|\n");
    for (Setting<?> s : Settings.all()) {
      if (s.inFile() != file) {
        continue;
      }
      out.append("| `").append(file ? s.key() : s.environmentName()).append("` | ");
      if (s.isSection()) {
        out.append("(file only)");
      } else if (file) {
        out.append('`').append(s.environmentName()).append("`, `").append(s.propertyName()).append('`');
      } else {
        out.append('`').append(s.propertyName()).append('`');
      }
      if (s.twinEnvironmentName() != null) {
        // the env cell was written before the property cell: put each twin under its own form
        int cells = out.lastIndexOf("` | `");
        out.insert(cells + 1, "<br>`" + s.twinEnvironmentName() + "`");
        out.append("<br>`").append(s.twinPropertyName()).append('`');
      }
      out.append(" | ").append(defaultCell(s))
          .append(" | ").append(s.type().describe())
          .append(" | ").append(s.doc()).append(" |\n");
    }
    return out.toString();
  }

  private static String defaultCell(Setting<?> s) {
    if (s.inherits() != null) {
      return "as `" + s.inherits().environmentName() + "`";
    }
    if (s.defaultText() == null || s.defaultText().isEmpty()) {
      return "";
    }
    return "`" + s.defaultText() + "`";
  }

  /** Both blocks in README order. */
  static List<String> blocks() {
    return List.of(VARIABLES, FILE);
  }
}
