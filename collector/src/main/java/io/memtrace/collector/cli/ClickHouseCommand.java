package io.memtrace.collector.cli;

import io.memtrace.collector.clickhouse.ClickHouseSchema;
import io.memtrace.collector.clickhouse.ClickHouseSession;
import io.memtrace.collector.clickhouse.ClickHouseUrl;
import io.memtrace.collector.clickhouse.SchemaInit;
import io.memtrace.collector.clickhouse.SchemaOptions;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "clickhouse", mixinStandardHelpOptions = true,
    description = {"The fleet store: memtrace's schema on ClickHouse, beside the otel_traces table the "
        + "OpenTelemetry Collector's clickhouseexporter writes (docs/fleet.md)."},
    subcommands = {ClickHouseCommand.Init.class, ClickHouseCommand.Schema.class})
final class ClickHouseCommand implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  @Command(name = "init", mixinStandardHelpOptions = true,
      description = {"Creates the fleet schema in the database the URL names: otel_traces as the clickhouseexporter "
          + "writes it (run the exporter with create_schema: false),",
          "and memtrace's tables and materialized views beside it. What exists is kept: a second run changes nothing,",
          "and an otel_traces the exporter made is adopted, or refused with the difference named. `clickhouse schema` "
          + "prints the same DDL.",
          "Credentials come from MEMTRACE_CLICKHOUSE_USER and MEMTRACE_CLICKHOUSE_PASSWORD (default: user "
              + "default, no password)."})
  static final class Init implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--clickhouse", required = true, paramLabel = "URL",
        description = "ClickHouse's HTTP interface and the database: http://HOST:8123/DATABASE (or https://).")
    String clickhouse;

    @Mixin
    SchemaShape shape;

    @Override
    public Integer call() {
      ClickHouseUrl url = ClickHouseUrl.parse(clickhouse, System.getenv());
      SchemaOptions options = shape.options(url.database());
      PrintWriter out = spec.commandLine().getOut();
      try (ClickHouseSession session = ClickHouseSession.open(url)) {
        SchemaInit.run(session, options).forEach(out::println);
      }
      out.flush();
      return 0;
    }
  }

  @Command(name = "schema", mixinStandardHelpOptions = true,
      description = {"Prints the DDL that `clickhouse init` with the same options runs, as a file for teams that "
          + "apply schema by hand (clickhouse-client --multiquery < schema.sql);",
          "it connects to nothing. deploy/clickhouse/schema.sql is what it prints without options."})
  static final class Schema implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--database", paramLabel = "NAME", defaultValue = ClickHouseSchema.DATABASE,
        description = "The database the statements create and name: the one the OpenTelemetry Collector's exporter "
            + "writes to (default: ${DEFAULT-VALUE}).")
    String database;

    @Mixin
    SchemaShape shape;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      out.print(ClickHouseSchema.script(shape.options(database)));
      out.flush();
      return 0;
    }
  }
}
