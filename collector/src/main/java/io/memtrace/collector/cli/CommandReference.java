package io.memtrace.collector.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The collector's command reference, {@code docs/reference/collector-cli.md}, written from
 * picocli's model of the commands ({@link CommandLine#getCommandSpec()}), so that a command or an
 * option cannot change without the page. {@code CommandReferenceTest} fails while the page differs
 * from {@link #page()} and rewrites it when run with {@code -Dmemtrace.docs.update=true}.
 */
public final class CommandReference {

  /** Where the page lives, relative to the repository root. */
  public static final String PATH = "docs/reference/collector-cli.md";

  /** The command that rewrites the page from the declarations, run in the repository root. */
  public static final String REGENERATE = "mvn -pl collector -am test -Dtest=CommandReferenceTest "
      + "-Dsurefire.failIfNoSpecifiedTests=false -Dmemtrace.docs.update=true";

  private CommandReference() {
  }

  /** The whole page, ending in a newline. */
  public static String page() {
    CommandSpec root = CollectorMain.commandLine().getCommandSpec();
    StringBuilder out = new StringBuilder();
    out.append("# Collector command reference\n\n")
        .append("<!-- generated from the picocli declarations of the collector's commands; do not edit -->\n")
        .append("> This page is generated from the picocli declarations in\n")
        .append("> `collector/src/main/java/io/memtrace/collector/cli/`. Do not edit it by hand: change an\n")
        .append("> annotation, then regenerate the page from the repository root with\n")
        .append("> `").append(REGENERATE).append("`.\n")
        .append("> The same test fails the build while the page is out of date.\n\n")
        .append("Every command runs as `java -jar memtrace-collector.jar COMMAND [OPTIONS]`;\n")
        .append("`").append(root.name()).append(" help COMMAND` or `COMMAND --help` prints the same description in the\n")
        .append("terminal. Options are listed in alphabetical order; an option that takes a value can also be\n")
        .append("written `--option=VALUE`.\n")
        .append("Exit codes, and the forms of DURATION and SIZE values, are under the main command. The manual's\n")
        .append("[Collector](../collector.md) page says how to run it and what each command is for.\n\n")
        .append("| command | what it does |\n|---|---|\n");
    for (CommandSpec command : root.subcommands().values().stream().map(CommandLine::getCommandSpec).toList()) {
      out.append("| [`").append(command.name()).append("`](#").append(command.name()).append(") | ")
          .append(cell(summary(command))).append(" |\n");
    }
    out.append('\n');
    command(out, root, "`" + root.name() + "` (no command)");
    for (CommandLine sub : root.subcommands().values()) {
      command(out, sub.getCommandSpec(), "`" + sub.getCommandName() + "`");
      // a command of commands (clickhouse init): each of its own a section, under its full name
      for (CommandLine nested : sub.getSubcommands().values()) {
        command(out, nested.getCommandSpec(), "`" + sub.getCommandName() + " " + nested.getCommandName() + "`");
      }
    }
    return out.toString();
  }

  private static void command(StringBuilder out, CommandSpec spec, String title) {
    out.append("## ").append(title).append("\n\n```text\n").append(synopsis(spec)).append("\n```\n\n");
    if (spec.aliases().length > 0) {
      out.append("Also called ").append(String.join(", ", spec.aliases())).append(".\n\n");
    }
    out.append(text(String.join("\n", lines(spec.usageMessage().description())))).append("\n\n");
    List<PositionalParamSpec> positionals = spec.positionalParameters().stream().filter(p -> !p.hidden()).toList();
    if (!positionals.isEmpty()) {
      out.append("| parameter | default | description |\n|---|---|---|\n");
      positionals.forEach(p -> row(out, code(p.paramLabel()) + marks(p), p));
      out.append('\n');
    }
    List<OptionSpec> options = new ArrayList<>(spec.options().stream().filter(o -> !o.hidden()).toList());
    options.sort(Comparator.comparing(o -> o.longestName().replaceFirst("^-+", "").toLowerCase(Locale.ROOT)));
    if (!options.isEmpty()) {
      out.append("| option | default | description |\n|---|---|---|\n");
      options.forEach(o -> row(out, optionCell(o), o));
      out.append('\n');
    }
    Map<String, String> exits = spec.usageMessage().exitCodeList();
    if (!exits.isEmpty()) {
      out.append("Exit codes:\n\n| code | meaning |\n|---|---|\n");
      exits.forEach((code, meaning) -> out.append("| ").append(code.strip()).append(" | ")
          .append(cell(format(meaning))).append(" |\n"));
      out.append('\n');
    }
    if (spec.usageMessage().footer().length > 0) {
      out.append(text(format(spec.usageMessage().footerHeading()).strip())).append("\n\n");
      lines(spec.usageMessage().footer()).forEach(line -> out.append("- ").append(text(line)).append('\n'));
      out.append('\n');
    }
  }

  /** The command, then its required options and parameters; the other options as {@code [OPTIONS]}. */
  static String synopsis(CommandSpec spec) {
    StringBuilder s = new StringBuilder(spec.qualifiedName());
    spec.options().stream().filter(o -> o.required() && !o.hidden()).sorted(Comparator.comparing(OptionSpec::longestName))
        .forEach(o -> s.append(' ').append(o.longestName()).append(o.arity().max() > 0 ? " " + o.paramLabel() : ""));
    if (spec.options().stream().anyMatch(o -> !o.required() && !o.hidden())) {
      s.append(" [OPTIONS]");
    }
    for (PositionalParamSpec p : spec.positionalParameters()) {
      String label = p.paramLabel() + (p.isMultiValue() ? "..." : "");
      s.append(' ').append(p.arity().min() > 0 ? label : "[" + label + "]");
    }
    if (!spec.subcommands().isEmpty()) {
      s.append(" COMMAND");
    }
    return s.toString();
  }

  private static void row(StringBuilder out, String names, ArgSpec arg) {
    String fallback = arg.defaultValue() == null ? "" : code(arg.defaultValue());
    out.append("| ").append(names).append(" | ").append(fallback).append(" | ")
        .append(cell(String.join(" ", strip(arg.renderedDescription())))).append(" |\n");
  }

  private static String optionCell(OptionSpec o) {
    StringBuilder names = new StringBuilder();
    for (String name : o.names()) {
      names.append(names.length() == 0 ? "" : ", ").append(code(name + (o.arity().max() > 0 ? " " + o.paramLabel() : "")));
    }
    if (o.negatable()) {
      // picocli accepts the negative form of each name too; the reader needs to see that it exists
      for (String name : o.names()) {
        names.append(", ").append(code(o.command().negatableOptionTransformer().makeNegative(name, o.command())));
      }
    }
    return names + marks(o);
  }

  private static String marks(ArgSpec arg) {
    String marks = (arg.required() ? ", required" : "") + (arg.isMultiValue() ? ", repeatable" : "");
    return marks.isEmpty() ? "" : " (" + marks.substring(2) + ")";
  }

  /** Description lines are format strings, as picocli's help treats them ({@code %n}, {@code %%}). */
  private static List<String> lines(String[] lines) {
    List<String> out = new ArrayList<>();
    for (String line : lines) {
      out.add(format(line).strip());
    }
    return out;
  }

  /** An option's description as picocli renders it: variables filled in and format strings applied. */
  private static List<String> strip(String[] lines) {
    return java.util.Arrays.stream(lines).map(String::strip).toList();
  }

  private static String format(String line) {
    return String.format(Locale.ROOT, line).replace(System.lineSeparator(), " ");
  }

  /** What the main command's help lists beside a command: its header, else its description's first line. */
  static String summary(CommandSpec command) {
    String[] header = command.usageMessage().header();
    return lines(header.length > 0 ? header : command.usageMessage().description()).get(0);
  }

  private static String code(String text) {
    return "`" + text.replace("|", "\\|") + "`";
  }

  /** {@link #text} for a table cell: a pipe would end the cell. */
  private static String cell(String terminal) {
    return text(terminal).replace("|", "\\|");
  }

  /**
   * Terminal text as Markdown: backtick spans stay code, everything else is escaped so that a
   * glob's {@code *}, a URL's {@code [user:password@]} or a {@code <placeholder>} shows as written.
   */
  static String text(String terminal) {
    StringBuilder out = new StringBuilder();
    boolean inCode = false;
    for (char c : terminal.toCharArray()) {
      if (c == '`') {
        inCode = !inCode;
        out.append(c);
      } else if (!inCode && "\\*_[]<>#".indexOf(c) >= 0) {
        out.append('\\').append(c);
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
