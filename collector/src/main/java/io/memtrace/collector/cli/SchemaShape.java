package io.memtrace.collector.cli;

import io.memtrace.collector.clickhouse.SchemaOptions;
import io.memtrace.collector.keyspace.MemoryStateConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * What shapes the fleet schema besides its database, the same for {@code clickhouse init}, which applies it, and
 * {@code clickhouse schema}, which prints it: so the file a team applies by hand is the DDL init would run.
 */
final class SchemaShape {

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

  /** The schema in {@code database}, shaped by these options. */
  SchemaOptions options(String database) {
    String rule = config == null ? null : MemoryStateConfig.read(config).namespaceRule().pattern().pattern();
    return new SchemaOptions(database, cluster, ttlDays, keptLineage, rule);
  }
}
