package io.memtrace.collector.clickhouse;

import io.memtrace.collector.reader.Layer;
import io.memtrace.collector.report.KeyOperations;
import java.util.List;

/**
 * The report's sections that each read a layer's spans once (overview, slowest operations, operations by namespace,
 * latency per operation, cache and error rates, the Redis layer's counts of keys read from statements), kept at
 * insert in {@code memtrace_layer_ops}: one row per report layer, namespace, operation and hour, and one per hour for
 * every span (layer {@code span}, for the overview). Each of those statements scanned the layer again at each report
 * (0.3 to 0.9 s of CPU each at 10M spans, docs/fleet.md); their answers are sums, a least and a greatest, and three
 * aggregate states that merge to the same answer as one pass over the spans:
 * <ul>
 *   <li>the durations as {@code quantilesExactInclusive(0.5, 0.95, 0.99)} states: every duration is kept, so the
 *       merged percentiles are the exact ones the sections compute (a digest would not agree row by row with the
 *       embedded store);</li>
 *   <li>the ten slowest spans as a {@code groupArraySorted(10)} state of (minus the rounded duration, start, key,
 *       namespace, operation, service): the section's order, so the ten least of the merged states are its rows;</li>
 *   <li>the ten largest writes (the report's largest values) as a {@code groupArraySorted(10)} state of (minus the
 *       size, key, namespace, operation), the writes as the key sections tell them ({@link KeyOperations});</li>
 *   <li>the traces as a {@code uniqCombined(16)} state, which depends only on the set of trace ids, as the overview's
 *       estimate does.</li>
 * </ul>
 * The spans' view writes the node's own table on a cluster; the reader's {@code GROUP BY} over the Distributed table
 * merges the nodes' rows.
 */
final class LayerOpsRows {

  static final String TABLE = "memtrace_layer_ops";

  private LayerOpsRows() {
  }

  /**
   * Sorted by (layer, namespace, operation, hour): a layer is one range of few rows. Partitioned by month: the
   * reader groups, so a group's rows need not meet in one part.
   */
  static Table table() {
    String columns = String.join("\n",
        "    Layer Enum8('memory' = 1, 'redis' = 2, 'span' = 3),",
        "    Namespace LowCardinality(String),",
        "    Operation LowCardinality(String),",
        "    Hour DateTime,",
        "    Spans SimpleAggregateFunction(sum, UInt64),",
        "    Errors SimpleAggregateFunction(sum, UInt64),",
        "    Hits SimpleAggregateFunction(sum, UInt64),",
        "    Misses SimpleAggregateFunction(sum, UInt64),",
        "    DurationSum SimpleAggregateFunction(sum, Float64),",
        "    Durations AggregateFunction(quantilesExactInclusive(0.5, 0.95, 0.99), Float64),",
        "    Slowest AggregateFunction(groupArraySorted(10), Tuple(Float64, Int64, Nullable(String), Nullable(String), "
            + "String, String)),",
        "    Largest AggregateFunction(groupArraySorted(10), Tuple(Int64, String, String, String)),",
        "    KeysFromAgent SimpleAggregateFunction(sum, UInt64),",
        "    KeysFromStatements SimpleAggregateFunction(sum, UInt64),",
        "    KeysHidden SimpleAggregateFunction(sum, UInt64),",
        "    SizesUnknown SimpleAggregateFunction(sum, UInt64),",
        "    Derived SimpleAggregateFunction(sum, UInt64),",
        "    Traces AggregateFunction(uniqCombined(16), String),",
        "    Services SimpleAggregateFunction(groupUniqArrayArray, Array(String)),",
        "    FirstStart SimpleAggregateFunction(min, Int64),",
        "    LastEnd SimpleAggregateFunction(max, Int64)");
    return new Table(TABLE, "memtrace: each report layer's spans per namespace, operation and hour, kept at insert",
        columns, "AggregatingMergeTree", "toYYYYMM(Hour)", null, "(Layer, Namespace, Operation, Hour)", "Hour", null,
        "cityHash64(Namespace, Operation)");
  }

  /**
   * The rows of the spans read from {@code spans} (the span facts' columns): a span counts once in the {@code span}
   * layer and once in each report layer it belongs to, grouped as the sections group it (the namespace as
   * {@code '(none)'} where it has none, the operation as the memory operation, else the command, else the span's
   * name). The per-span states are only filled for the rows that read them.
   */
  static String select(String spans) {
    String layers = "arrayFilter(l -> l = 'span' OR (l = 'memory' AND " + SpanColumns.inLayer(Layer.MEMORY)
        + ") OR (l = 'redis' AND " + SpanColumns.inLayer(Layer.REDIS) + "), ['span', 'memory', 'redis'])";
    String start = "intDiv(toUnixTimestamp64Nano(Timestamp), 1000)";
    String operation = "coalesce(memory_operation, db_operation_name, toString(SpanName))";
    String statement = "memtrace_derived_from IS NOT NULL";
    String keyOperation = "upper(coalesce(memory_operation, db_operation_name))";
    return "SELECT Layer, if(Layer = 'span', '', coalesce(memory_namespace, '(none)')) AS Namespace, "
        + "if(Layer = 'span', '', " + operation + ") AS Operation, toStartOfHour(Timestamp) AS Hour, count() AS Spans, "
        + "countIf(StatusCode IN ('Error', 'STATUS_CODE_ERROR')) AS Errors, countIf(memory_found) AS Hits, "
        + "countIf(NOT memory_found) AS Misses, sum(Duration / 1e6) AS DurationSum,\n"
        + "    quantilesExactInclusiveStateIf(0.5, 0.95, 0.99)(Duration / 1e6, Layer != 'span') AS Durations,\n"
        + "    groupArraySortedStateIf(10)((-round(Duration / 1e6, 3), " + start + ", memory_key, memory_namespace, "
        + operation + ", toString(ServiceName)), Layer != 'span') AS Slowest,\n"
        + "    groupArraySortedStateIf(10)((-assumeNotNull(memory_value_size), assumeNotNull(memory_key), "
        + "coalesce(memory_namespace, ''), assumeNotNull(" + keyOperation + ")), Layer != 'span' AND memory_key IS NOT NULL "
        + "AND memory_value_size IS NOT NULL AND " + KeyOperations.sqlIs(KeyOperations.Kind.WRITE, keyOperation)
        + ") AS Largest,\n"
        + "    countIf(memory_key IS NOT NULL AND NOT " + statement + ") AS KeysFromAgent, "
        + "countIf(memory_key IS NOT NULL AND " + statement + ") AS KeysFromStatements, "
        + "countIf(position(coalesce(memtrace_unknown, ''), 'memory.key') > 0) AS KeysHidden, "
        + "countIf(position(coalesce(memtrace_unknown, ''), 'memory.value_size') > 0) AS SizesUnknown, "
        + "countIf(" + statement + ") AS Derived,\n"
        + "    uniqCombinedStateIf(16)(TraceId, Layer = 'span') AS Traces, "
        + "groupUniqArrayIf(toString(ServiceName), Layer = 'span') AS Services, min(" + start + ") AS FirstStart, "
        + "max(intDiv(toUnixTimestamp64Nano(Timestamp) + Duration, 1000)) AS LastEnd\n"
        + "FROM " + spans + " ARRAY JOIN " + layers + " AS Layer\nGROUP BY Layer, Namespace, Operation, Hour";
  }

  /** The span facts to the table; on a cluster each node's spans to its own table. */
  static String view(SchemaOptions options) {
    return "CREATE MATERIALIZED VIEW IF NOT EXISTS " + options.qualified(TABLE + "_mv") + options.onCluster()
        + "\nTO " + options.qualified(table().local(options)) + "\nAS "
        + select(SpanFacts.source(options));
  }

  /** Fills the table once from the spans stored before it (a store made by an earlier schema); on a cluster the node's. */
  static String fill(SchemaOptions options) {
    return "INSERT INTO " + options.qualified(table().local(options)) + " "
        + select(SpanFacts.stored(options));
  }

  static List<String> views(SchemaOptions options) {
    return List.of(view(options));
  }
}
