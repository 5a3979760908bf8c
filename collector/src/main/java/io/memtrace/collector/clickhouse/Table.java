package io.memtrace.collector.clickhouse;

import java.util.ArrayList;
import java.util.List;

/**
 * One table of the schema, as data: its columns, engine family, keys and sharding. On one server it is one
 * {@code CREATE TABLE}; on a cluster it is {@code NAME_local}, a Replicated table on every node, and {@code NAME}, a
 * {@code Distributed} table over them sharded by {@link #shardingKey}, so readers and writers name the same table in
 * both layouts.
 *
 * @param engine     the MergeTree family member without {@code Replicated} ({@code MergeTree},
 *                   {@code AggregatingMergeTree}, {@code ReplacingMergeTree}), with its own arguments if it takes
 *                   any ({@code ReplacingMergeTree(Version)})
 * @param ttlTime    the time the TTL counts from (a DateTime expression), or null for a table kept whole
 * @param shardingKey the Distributed table's sharding expression; null for a table every node holds whole
 */
record Table(String name, String comment, String columns, String engine, String partitionBy, String primaryKey,
             String orderBy, String ttlTime, String settings, String shardingKey) {

  /**
   * The codec of a column of integers that use few of their 64 bits (counts, sizes, TTLs, times in a table not sorted
   * by time): {@code T64} drops the bits no value of a block uses, then ZSTD. Left to the default LZ4,
   * {@code memtrace_layer_keys} took 12.1 bytes a span, 6.9 with it; {@code memtrace_memory_calls} 29.1 and 24.6 with
   * it and the codecs beside it (400,000 sizing spans, merged, 2026-11-30; docs/fleet-schema.md).
   */
  static final String SMALL = " CODEC(T64, ZSTD(1))";

  /** The node's own table: {@code NAME_local} of a sharded table on a cluster, else the table itself. */
  String local(SchemaOptions options) {
    return options.clustered() && shardingKey != null ? name + "_local" : name;
  }

  /** The statements that make it, each without a trailing semicolon. */
  List<String> ddl(SchemaOptions options) {
    List<String> out = new ArrayList<>();
    String local = local(options);
    StringBuilder create = new StringBuilder()
        .append("CREATE TABLE IF NOT EXISTS ").append(options.qualified(local)).append(options.onCluster())
        .append(" (\n").append(columns.strip()).append("\n) ENGINE = ").append(engine(options, local));
    if (partitionBy != null) {
      create.append("\nPARTITION BY ").append(partitionBy);
    }
    if (primaryKey != null) {
      create.append("\nPRIMARY KEY ").append(primaryKey);
    }
    create.append("\nORDER BY ").append(orderBy);
    if (ttlTime != null) {
      create.append(options.ttl(ttlTime));
    }
    if (settings != null) {
      create.append("\nSETTINGS ").append(settings);
    }
    create.append("\nCOMMENT '").append(comment.replace("'", "\\'")).append("'");
    out.add(create.toString());
    if (options.clustered() && shardingKey != null) {
      out.add("CREATE TABLE IF NOT EXISTS " + options.qualified(name) + options.onCluster() + " AS "
          + options.qualified(local) + "\nENGINE = Distributed('" + options.cluster() + "', '" + options.database()
          + "', '" + local + "', " + shardingKey + ")");
    }
    return out;
  }

  private String engine(SchemaOptions options, String local) {
    // an engine's own arguments, as ReplacingMergeTree(Version), follow the replication path on a cluster
    int open = engine.indexOf('(');
    String family = open < 0 ? engine : engine.substring(0, open);
    String arguments = open < 0 ? "" : engine.substring(open + 1, engine.length() - 1);
    if (!options.clustered()) {
      return family + "(" + arguments + ")";
    }
    // {shard} in the path for sharded tables; none for a table every node keeps whole (one replication log)
    String path = "/clickhouse/tables/" + (shardingKey == null ? "" : "{shard}/") + "{database}/" + local;
    return "Replicated" + family + "('" + path + "', '{replica}'" + (arguments.isEmpty() ? "" : ", " + arguments) + ")";
  }
}
