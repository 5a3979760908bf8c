package io.memtrace.agent.config;

/**
 * The configuration reference, {@code docs/reference/configuration.md}, written from the
 * declarations in {@link Settings} and {@link OtelSettings} so the documentation cannot drift from
 * what the loader accepts. {@code ConfigurationReferenceTest} fails while the page differs from
 * {@link #page()} and rewrites it when run with {@code -Dmemtrace.docs.update=true}.
 */
public final class ConfigurationReference {

  /** Where the page lives, relative to the repository root. */
  public static final String PATH = "docs/reference/configuration.md";

  /** The command that rewrites the page from the declarations, run in the repository root. */
  public static final String REGENERATE = "mvn -pl agent -am test -Dtest=ConfigurationReferenceTest "
      + "-Dsurefire.failIfNoSpecifiedTests=false -Dmemtrace.docs.update=true";

  /** The file shown on the page; the test loads it and expects no problem. */
  public static final String EXAMPLE = "span-prefix: aqe\n"
      + "capture:\n"
      + "  values: false\n"
      + "  redact-keys: [\"*:token:*\"]\n"
      + "redis:\n"
      + "  namespace-from-key: \"^([^:]+):\"   # only the first part of a key is its namespace\n"
      + "ring:\n"
      + "  size: 16384\n"
      + "retention:\n"
      + "  slow-threshold: 25ms\n";

  private ConfigurationReference() {
  }

  /** The whole page, ending in a newline. */
  public static String page() {
    StringBuilder out = new StringBuilder();
    out.append("# Configuration reference\n\n")
        .append("<!-- generated from the declarations in Settings and OtelSettings; do not edit -->\n")
        .append("> This page is generated from the setting declarations in\n")
        .append("> `agent/src/main/java/io/memtrace/agent/config/Settings.java` and `OtelSettings.java`.\n")
        .append("> Do not edit it by hand: change a declaration, then regenerate the page from the\n")
        .append("> repository root with\n> `").append(REGENERATE).append("`.\n")
        .append("> The same test fails the build while the page is out of date.\n\n");
    out.append(INTRO.replace("{example}", EXAMPLE));
    out.append("\n## memtrace's own settings\n\n")
        .append("Keys of the YAML file; each is also an environment variable and a system property.\n\n");
    fileTable(out);
    out.append("\n## Exporters: the standard OpenTelemetry settings\n\n")
        .append("With the file's location and memtrace's file exporters: environment variables and system\n")
        .append("properties only, not keys of the file. A bad value is reported and the default (or the nearest\n")
        .append("allowed value) is used. The second name in a cell is the memtrace-only twin.\n\n");
    variableTable(out);
    return out.toString();
  }

  private static final String INTRO = String.join("\n",
      "## How settings are given",
      "",
      "memtrace reads two kinds of settings; the manual's [Configuration](../configuration.md) page explains",
      "them by task.",
      "",
      "- **Its own settings** are keys of a YAML file. Every key but a rule section is also an environment",
      "  variable, `MEMTRACE_` and the key in upper case with dots and dashes as `_` (`ring.size` is",
      "  `MEMTRACE_RING_SIZE`), and a system property, `memtrace.` and the key (`-Dmemtrace.ring.size=16384`).",
      "  For one key the system property wins over the environment variable, which wins over the file, which",
      "  wins over the default. The rule sections (`memory-managers`, `tasks`, `memory-state`) are file only.",
      "- **The exporter settings** are the standard OpenTelemetry variables (`OTEL_EXPORTER_OTLP_ENDPOINT`)",
      "  and their system properties (`-Dotel.exporter.otlp.endpoint`, which wins), beside memtrace's own",
      "  `MEMTRACE_CONFIG`, `MEMTRACE_TRACES_FILE` and `MEMTRACE_METRICS_FILE`. None of them is a key of the",
      "  file. A per-signal form (`OTEL_EXPORTER_OTLP_TRACES_TIMEOUT`) wins over the general one",
      "  (`OTEL_EXPORTER_OTLP_TIMEOUT`); without it, the general one's value is used.",
      "",
      "The file is the first of: the agent argument `-javaagent:memtrace-agent.jar=config=PATH` (or",
      "`java -jar memtrace-agent.jar attach <pid> config=PATH`), `-Dmemtrace.config=PATH`,",
      "`MEMTRACE_CONFIG=PATH`. Without any of them no file is read. For example:",
      "",
      "```yaml",
      "{example}```",
      "",
      "An empty variable or property counts as not given. Durations are milliseconds; a unit may be",
      "added (`500ms`, `10s`, `2m`, `1h`, `1d`), as the OpenTelemetry Java SDK allows.",
      "",
      "**Twins.** The OpenTelemetry Java agent reads the same `OTEL_*` settings, so each one has a twin",
      "that only memtrace reads: `MEMTRACE_` for `OTEL_` and `-Dmemtrace.` for `-Dotel.`",
      "(`MEMTRACE_EXPORTER_OTLP_ENDPOINT`, `-Dmemtrace.exporter.otlp.endpoint`). Precedence: `-Dmemtrace.…`,",
      "then `MEMTRACE_…`, then `-Dotel.…`, then `OTEL_…`, then the default. The twins are a layer above the",
      "standard forms: a general twin such as `MEMTRACE_EXPORTER_OTLP_ENDPOINT` also wins over",
      "`OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`. `service.name` is taken from `MEMTRACE_SERVICE_NAME`, else",
      "`MEMTRACE_RESOURCE_ATTRIBUTES`, else `OTEL_SERVICE_NAME`, else `OTEL_RESOURCE_ATTRIBUTES`. A bad twin",
      "falls back to the default, not to the `OTEL_*` value meant for the other agent.",
      "",
      "**Mistakes never stop the application.** A bad value or an unknown key is reported once at start-up,",
      "naming the key as it was written and where (file and line, variable or property), and costs what the",
      "column \"bad value\" says: memtrace switches itself off, Redis tracing is switched off, the default (or",
      "for a number out of range the nearest allowed value) is used, or the faulty rule is dropped. An",
      "unknown key in the `redis` section switches Redis tracing off, any other unknown key memtrace. A file",
      "named that does not exist switches memtrace off.",
      "");

  private static void fileTable(StringBuilder out) {
    out.append("| key | environment variable, system property | default | values | bad value | description |\n")
        .append("|---|---|---|---|---|---|\n");
    for (Setting<?> s : Settings.all()) {
      if (!s.inFile()) {
        continue;
      }
      String names = s.isSection() ? "(file only)"
          : code(s.environmentName()) + "<br>" + code(s.propertyName());
      row(out, anchor(s.key()) + code(s.key()), names, defaultCell(s), s.type().describe(), effect(s), s.doc());
    }
  }

  private static void variableTable(StringBuilder out) {
    out.append("| environment variable | system property | default | values | description |\n")
        .append("|---|---|---|---|---|\n");
    for (Setting<?> s : Settings.all()) {
      if (s.inFile()) {
        continue;
      }
      String env = anchor(s.environmentName()) + code(s.environmentName());
      String property = code(s.propertyName());
      if (s.twinEnvironmentName() != null) {
        env += "<br>" + code(s.twinEnvironmentName());
        property += "<br>" + code(s.twinPropertyName());
      }
      row(out, env, property, defaultCell(s), s.type().describe(), s.doc());
    }
  }

  private static void row(StringBuilder out, String... cells) {
    out.append('|');
    for (String cell : cells) {
      if (cell.indexOf('|') >= 0 || cell.indexOf('\n') >= 0) {
        throw new IllegalStateException("a table cell cannot hold '|' or a line break: " + cell);
      }
      out.append(' ').append(cell).append(" |");
    }
    out.append('\n');
  }

  /** A link target for the row, so the manual can link to one setting: {@code configuration.md#ring.size}. */
  private static String anchor(String id) {
    return "<a id=\"" + id + "\"></a>";
  }

  private static String code(String text) {
    return "`" + text + "`";
  }

  private static String defaultCell(Setting<?> s) {
    if (s.inherits() != null) {
      return "as " + code(s.inherits().environmentName());
    }
    return s.defaultText() == null || s.defaultText().isEmpty() ? "" : code(s.defaultText());
  }

  private static String effect(Setting<?> s) {
    if (s.type() == ValueTypes.FOREIGN_SECTION) {
      return "not read by the agent";
    }
    switch (s.onProblem()) {
      case AGENT_OFF:
        return "memtrace off";
      case REDIS_OFF:
        return "Redis tracing off";
      case RULE_DROPPED:
        return "that rule dropped";
      default:
        return "default used";
    }
  }
}
