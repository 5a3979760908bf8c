package io.memtrace.collector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.common.GeneratedPage;
import io.memtrace.testsupport.BuildPaths;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * docs/reference/collector-cli.md is the picocli declarations written out: a command or an option
 * added, renamed or given another default without the page following fails here. Run with
 * {@code -Dmemtrace.docs.update=true} to rewrite the page ({@link CommandReference#REGENERATE}).
 */
class CommandReferenceTest {

  @Test
  void shouldFindThePageAsTheDeclarationsRenderIt() throws IOException {
    GeneratedPage page = new GeneratedPage(BuildPaths.ROOT, CommandReference.PATH, CommandReference.page(),
        CommandReference.REGENERATE);

    assertThat(page.check()).isEmpty();
  }

  @Test
  void shouldGiveEveryCommandASectionAndEveryOptionARow() {
    String page = CommandReference.page();
    CommandSpec root = CollectorMain.commandLine().getCommandSpec();

    for (CommandLine sub : root.subcommands().values()) {
      CommandSpec spec = sub.getCommandSpec();
      assertThat(page).as(spec.name()).contains("\n## `" + spec.name() + "`\n\n```text\n" + spec.qualifiedName());
      for (var option : spec.options()) {
        assertThat(page).as("%s %s", spec.name(), option.longestName()).contains("`" + option.longestName());
      }
    }
    assertThat(page).contains("```text\nmemtrace-collector snapshot --out FILE --redis URL [OPTIONS]\n```");
    assertThat(page).contains("```text\nmemtrace-collector query [OPTIONS] SQL\n```");
    assertThat(page).contains("| `--port PORT` | `4318` | ");
    assertThat(page).contains("| `--watch-redis URL` (repeatable) |  | ");
    assertThat(page).contains("| `--redis URL` (required, repeatable) |  | ");
    assertThat(page).contains("| code | meaning |\n|---|---|\n| 0 | Success, also after --help and --version. |\n");
    assertThat(page).contains("| `--redis URL` (required) |  | ");
    assertThat(page).contains("| `--format table\\|csv\\|json` | `table` | ");
  }

  @Test
  void shouldDescribeEveryOptionAndParameterOfEveryCommand() {
    CommandSpec root = CollectorMain.commandLine().getCommandSpec();
    List<String> missing = new ArrayList<>();
    List<CommandSpec> commands = new ArrayList<>(List.of(root));
    root.subcommands().values().forEach(c -> commands.add(c.getCommandSpec()));

    for (CommandSpec spec : commands) {
      if (String.join("", spec.usageMessage().description()).isBlank()) {
        missing.add(spec.qualifiedName());
      }
      List<ArgSpec> args = new ArrayList<>(spec.options());
      args.addAll(spec.positionalParameters());
      for (ArgSpec arg : args) {
        String description = String.join(" ", arg.renderedDescription()).strip();
        if (description.length() < 12) {
          missing.add(spec.qualifiedName() + " " + arg.paramLabel() + ": '" + description + "'");
        }
      }
    }
    assertThat(missing).as("commands, options and parameters with no real description").isEmpty();
  }

  @Test
  void shouldSummariseEveryCommandInOneCompleteSentence() {
    CommandSpec root = CollectorMain.commandLine().getCommandSpec();

    for (CommandLine sub : root.subcommands().values()) {
      assertThat(CommandReference.summary(sub.getCommandSpec())).as(sub.getCommandName()).endsWith(".");
    }
  }

  @Test
  void shouldEscapeMarkdownOutsideCodeAndKeepCodeAsWritten() {
    assertThat(CommandReference.text("a glob 'agent:*', redis://[user:password@]host, `a*b` and <N>"))
        .isEqualTo("a glob 'agent:\\*', redis://\\[user:password@\\]host, `a*b` and \\<N\\>");
  }
}
