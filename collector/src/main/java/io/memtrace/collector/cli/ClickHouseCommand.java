package io.memtrace.collector.cli;

import io.memtrace.collector.clickhouse.ClickHouseSession;
import io.memtrace.collector.clickhouse.ClickHouseUrl;
import io.memtrace.collector.clickhouse.SchemaInit;
import io.memtrace.collector.clickhouse.SchemaOptions;
import io.memtrace.collector.keyspace.MemoryStateConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "clickhouse", mixinStandardHelpOptions = true,
    description = {"The fleet store: memtrace's schema on ClickHouse, beside the otel_traces table the "
        + "OpenTelemetry Collector's clickhouseexporter writes (docs/fleet.md)."},
    subcommands = {ClickHouseCommand.Init.class})
final class ClickHouseCommand implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  @Command(name = "init", mixinStandardHelpOptions = true,
      description = {"Creates the fleet schema in the database the URL names: otel_traces as the clickhouseexporter "
          + "writes it (run the exporter with create_schema: false), and memtrace's tables and materialized views "
          + "beside it. What exists is kept: a second run changes nothing, and an otel_traces the exporter made is "
          + "adopted, or refused with the difference named. deploy/clickhouse/schema.sql is the same DDL.",
          "Credentials come from MEMTRACE_CLICKHOUSE_USER and MEMTRACE_CLICKHOUSE_PASSWORD (default: user "
              + "default, no password)."})
  static final class Init implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--clickhouse", required = true, paramLabel = "URL",
        description = "ClickHouse's HTTP interface and the database: http://HOST:8123/DATABASE (or https://).")
    String clickhouse;

    @Option(names = "--cluster", paramLabel = "NAME",
        description = "A cluster from the servers' remote_servers: Replicated tables NAME_local on every node, and "
            + "Distributed tables over them, sharded by a hash of the key (spans by trace).")
    String cluster;

    @Option(names = "--ttl", paramLabel = "DAYS", defaultValue = "0",
        description = "Keep this many days of spans, operations and rollups (a ClickHouse TTL). A table made earlier "
            + "with another TTL is altered to this one; without --ttl, tables keep whatever TTL they have.")
    int ttlDays;

    @Option(names = "--lineage-at-insert",
        description = "Also keep each read's writer as the spans arrive (table memtrace_lineage, filled by views; on "
            + "a store with spans already, filled once from them): the report's lineage sections then read it instead "
            + "of joining every read to the writes, a sixth to a quarter of their CPU at 10M spans, but each insert costs more, "
            + "15 to 32 us a span at the exporter's batch sizes and growing with the store (docs/fleet.md). Off by default.")
    boolean keptLineage;

    @Option(names = "--config", paramLabel = "FILE",
        description = "memtrace's YAML file (the agent's memtrace.yaml): the views read the namespace of a key that "
            + "another language's statement names with its redis.namespace-from-key, as serve --config does (the "
            + "agent's default rule when the file names none). A store made with another rule has its views redefined; "
            + "without --config, the views keep the rule they have.")
    Path config;

    @Override
    public Integer call() {
      ClickHouseUrl url = ClickHouseUrl.parse(clickhouse, System.getenv());
      String rule = config == null ? null : MemoryStateConfig.read(config).namespaceRule().pattern().pattern();
      SchemaOptions options = new SchemaOptions(url.database(), cluster, ttlDays, keptLineage, rule);
      PrintWriter out = spec.commandLine().getOut();
      try (ClickHouseSession session = ClickHouseSession.open(url)) {
        SchemaInit.run(session, options).forEach(out::println);
      }
      out.flush();
      return 0;
    }
  }
}
