package io.memtrace.collector.clickhouse;

import io.memtrace.collector.report.KeyOperations;
import java.util.List;

/**
 * Each key's totals per report layer, kept at insert in {@code memtrace_layer_keys}, so the report's key sections
 * (hot keys, the key lists, keys with no TTL, namespace growth, and the TTL truth's no-TTL keys) read one merged row per
 * key instead of grouping every access of the layer at each report (4 to 6 s of CPU at 10M spans, docs/fleet.md).
 * Totals per Redis store cannot answer them: the report groups a layer's accesses by key and namespace over every
 * store, and a span of both layers counts in each. The view groups each block of the span facts as the report's
 * statement does ({@code KeySections}: the kind of access by {@link KeyOperations}, searches left out) and ClickHouse
 * merges the rows of a key: an
 * {@code AggregatingMergeTree} of simple aggregates, read with {@code FINAL}.
 */
final class LayerKeyRows {

  static final String TABLE = "memtrace_layer_keys";

  /** A key's shard, on a cluster: its rows come from every node's spans, and meet on one shard to be merged. */
  static final String SHARD = "cityHash64(Key)";

  /**
   * Merge the table into one part once no insert has come for ten minutes. ClickHouse's ordinary merges leave a
   * loaded store's keys in several parts for good (a 10M-span store kept them in five, 1.67M and four of 0.53M rows),
   * and the key sections read one part as it is but must merge several: 0.32-0.34 s of CPU against 0.84-0.89 s, and
   * the memory layer's report 0.79-0.99 s of wall time against 1.12-1.33 s at 10M spans (docs/fleet.md). Only the
   * whole table, when quiet: a store taking inserts is merged as before, never rewritten every ten minutes.
   */
  static final String QUIET_MERGE = "min_age_to_force_merge_seconds = 600, min_age_to_force_merge_on_partition_only = 1";

  private LayerKeyRows() {
  }

  /**
   * Sorted by (layer, namespace, key): a layer is one range, and a key's rows merge. Not partitioned: a key's
   * rows must meet; its TTL counts from its last access. Merged into one part
   * when quiet ({@link #QUIET_MERGE}).
   */
  static Table table() {
    String columns = String.join("\n",
        "    Layer Enum8('memory' = 1, 'redis' = 2),",
        "    Namespace LowCardinality(String),",
        "    Key String CODEC(ZSTD(1)),",
        "    Accesses SimpleAggregateFunction(sum, UInt64)" + Table.SMALL + ",",
        "    Reads SimpleAggregateFunction(sum, UInt64)" + Table.SMALL + ",",
        "    Writes SimpleAggregateFunction(sum, UInt64)" + Table.SMALL + ",",
        "    Deletes SimpleAggregateFunction(sum, UInt64)" + Table.SMALL + ",",
        "    WithTtl SimpleAggregateFunction(sum, UInt64)" + Table.SMALL + ",",
        "    TtlUnknownWrites SimpleAggregateFunction(sum, UInt64)" + Table.SMALL + ",",
        "    LargestWrite SimpleAggregateFunction(max, Nullable(Int64))" + Table.SMALL + ",",
        "    BytesWritten SimpleAggregateFunction(sum, Nullable(Int64))" + Table.SMALL + ",",
        "    FirstWrite SimpleAggregateFunction(min, Nullable(Int64)) CODEC(ZSTD(1)),",
        "    LastSeen SimpleAggregateFunction(max, Int64)" + Table.SMALL);
    return new Table(TABLE, "memtrace: each key's totals per report layer, kept at insert", columns,
        "AggregatingMergeTree", null, null, "(Layer, Namespace, Key)", "toDateTime(fromUnixTimestamp64Micro(LastSeen))",
        QUIET_MERGE, SHARD);
  }

  /**
   * The rows of the spans read from {@code spans} (the span facts' columns): one per layer and key. Each kind of access
   * is one list of operations ({@link KeyOperations#sqlIs}), not the whole case: ClickHouse analyses the view at every
   * insert, and the case's four lists with a subquery around them planned 1-2 ms more an insert (2026-12-02).
   */
  static String select(String spans) {
    String layers = "arrayFilter(l -> (l = 'memory' AND memory_operation IS NOT NULL) OR (l = 'redis' AND "
        + "(db_system_name IS NOT NULL OR db_system IS NOT NULL)), ['memory', 'redis'])";
    String op = "upper(coalesce(memory_operation, db_operation_name))";
    String accesses = "SELECT Layer, coalesce(memory_namespace, '') AS Namespace, assumeNotNull(memory_key) AS Key, "
        + op + " AS op, memory_ttl AS ttl, position(coalesce(memtrace_unknown, ''), 'memory.ttl') > 0 AS ttl_unknown, "
        + "memory_value_size AS size, intDiv(toUnixTimestamp64Nano(Timestamp), 1000) AS start_us, ifNull("
        + KeyOperations.sqlIs(KeyOperations.Kind.WRITE, "op") + ", 0) AS is_write FROM " + spans + " ARRAY JOIN "
        + layers + " AS Layer WHERE memory_key IS NOT NULL";
    return "SELECT Layer, Namespace, Key, count() AS Accesses, countIf("
        + KeyOperations.sqlIs(KeyOperations.Kind.READ, "op") + ") AS Reads, countIf(is_write) AS Writes, countIf("
        + KeyOperations.sqlIs(KeyOperations.Kind.DELETE, "op") + ") AS Deletes, countIf(ttl > 0) AS WithTtl, "
        + "countIf(is_write AND ttl_unknown) AS TtlUnknownWrites, maxIf(size, is_write) AS LargestWrite, "
        + "sumIf(size, is_write) AS BytesWritten, minIf(toNullable(start_us), is_write) AS FirstWrite, "
        + "max(start_us) AS LastSeen\nFROM (" + accesses + ") WHERE coalesce(op, '') != 'SEARCH'"
        + "\nGROUP BY Layer, Namespace, Key";
  }

  /**
   * The span facts to the table; on a cluster from each node's spans to the Distributed table, which sends each key's
   * rows to its shard.
   */
  static String view(SchemaOptions options) {
    return "CREATE MATERIALIZED VIEW IF NOT EXISTS " + options.qualified(TABLE + "_mv") + options.onCluster()
        + "\nTO " + options.qualified(TABLE) + "\nAS " + select(SpanFacts.source(options));
  }

  /** Fills the table once from the spans stored before it (a store made by an earlier schema); on a cluster the node's. */
  static String fill(SchemaOptions options) {
    return "INSERT INTO " + options.qualified(TABLE) + " " + select(SpanFacts.stored(options));
  }

  static List<String> views(SchemaOptions options) {
    return List.of(view(options));
  }
}
