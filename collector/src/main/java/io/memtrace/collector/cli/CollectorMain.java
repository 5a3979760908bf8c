package io.memtrace.collector.cli;

import io.memtrace.collector.CollectorException;
import io.memtrace.collector.Visible;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar memtrace-collector.jar <command>}. */
@Command(name = "memtrace-collector",
    mixinStandardHelpOptions = true,
    versionProvider = CollectorMain.Version.class,
    description = "The memtrace sidecar: receives OTLP, stores spans in DuckDB, answers SQL, shows traces "
        + "and key analytics, and backs up Redis.",
    exitCodeListHeading = "%nExit codes (of every command unless it lists its own):%n",
    exitCodeList = {
        "0:Success, also after --help and --version.",
        "1:The command failed or refused a value; the message on stderr says why.",
        "2:Usage error: an unknown command or option, a missing required option or parameter, or a value of the "
            + "wrong type."},
    footerHeading = "%nValues:%n",
    footer = {"DURATION: a number and ms, s, m, h or d (30s, 15m, 2h, 7d), or an ISO-8601 duration (PT15M).",
        "SIZE: bytes (1048576), or a number and KiB, MiB or GiB (512KiB, 16MiB); K, M and G count in 1024s too."})
public final class CollectorMain implements Runnable {

  /** The commands, in the order the usage and the command reference list them. */
  private static final List<Class<?>> COMMANDS = List.of(ServeCommand.class, QueryCommand.class, TracesCommand.class,
      ReportCommand.class, TimelineCommand.class, McpCommand.class, ImportCommand.class, SnapshotCommand.class, RestoreCommand.class, CleanCommand.class,
      WatchCommand.class, ClickHouseCommand.class, SnapshotsCommand.class, CommandLine.HelpCommand.class);

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    int bounded = BoundedHeap.runBounded(args);
    System.exit(bounded >= 0 ? bounded : execute(args));
  }

  /** Runs a command and returns its exit code; 1 for a failure, 2 for a usage error. */
  public static int execute(String... args) {
    CommandLine cli = commandLine(args.length == 0 ? null : args[0]);
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setExecutionExceptionHandler(CollectorMain::failed);
    return cli.execute(args);
  }

  /** The command line with every command. */
  static CommandLine commandLine() {
    return commandLine(null);
  }

  /**
   * The command line with only the command {@code first} names, when it names one, else with every command: picocli's
   * model of all eleven took about a tenth of a second of a short command's start (report, query), and that command
   * parses and runs as before.
   */
  private static CommandLine commandLine(String first) {
    CommandLine cli = new CommandLine(new CollectorMain());
    List<Class<?>> named = COMMANDS.stream().filter(c -> c.getAnnotation(Command.class).name().equals(first)).toList();
    for (Class<?> command : named.isEmpty() || first.equals("help") ? COMMANDS : named) {
      cli.addSubcommand(command);
    }
    return cli;
  }

  private static int failed(Exception e, CommandLine command, CommandLine.ParseResult parsed) {
    PrintWriter err = command.getErr();
    if (e instanceof CollectorException) {
      // a message may quote a key or a value from the store
      err.println("error: " + Visible.lines(e.getMessage()));
    } else {
      err.println("error: " + command.getCommandName() + " failed unexpectedly: " + Visible.lines(String.valueOf(e)));
      e.printStackTrace(err);
    }
    err.flush();
    return 1;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  /** The version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = CollectorMain.class.getPackage().getImplementationVersion();
      return new String[] {"memtrace-collector " + (version == null ? "(development build)" : version)};
    }
  }
}
