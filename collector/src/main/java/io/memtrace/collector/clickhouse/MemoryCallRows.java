package io.memtrace.collector.clickhouse;

import io.memtrace.collector.health.TtlTruth;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Each memory call with its Redis commands' totals, kept at insert in {@code memtrace_memory_calls}, so memory health
 * and the TTL truth read one row per call instead of joining every call to its commands (by the call's span id) at
 * each report: 7 to 14 s of CPU at 10M spans (docs/fleet.md, "Memory calls kept at insert"). A call and its commands
 * arrive as separate spans, in one insert or several, so each gives a row of its own under the call's key (a hash of
 * the call's span id: the call's own, a command's parent's), and readers merge a call's rows ({@link #merged}) by the
 * functions its columns' {@code SimpleAggregateFunction} types name. A plain {@code MergeTree} since 2026-12-02: the
 * view's {@code GROUP BY} already gives one row a call an insert, and an {@code AggregatingMergeTree} merged each
 * inserted block again (ClickHouse's {@code optimize_on_insert}) for nothing, 1.6 µs of a span's 4.4 for the calls and
 * memory health's views (docs/history/fleet-2026-12-02-calls.md); a store made earlier keeps its
 * {@code AggregatingMergeTree}, which the same readers read. Three views keep it: the calls and
 * their commands from the span facts ({@link SpanFacts}; one row per role a span plays: a memory span is a call, a
 * Redis span with a parent a command of it, a span may be both), whether a call carried a value's fingerprint
 * included ({@link SpanFacts#FINGERPRINTED}). Until 2026-11-29 a second view read the fingerprints from
 * {@code otel_traces}: {@link SpanFactsUpgrades#foldFingerprints} drops it from a store of an earlier init.
 */
final class MemoryCallRows {

  static final String TABLE = "memtrace_memory_calls";

  private MemoryCallRows() {
  }

  /**
   * Sorted by the call's key, not partitioned: a call's rows are read together whatever day its commands arrived on. Each
   * row's TTL counts from its own span ({@code Seen}), the merged row's from the latest of them. On a cluster a call's
   * spans are on its trace's node, as otel_traces' are, and the views write the node's own table.
   */
  static Table table() {
    String columns = String.join("\n",
        // the call's key, a hash: sorted, so delta-coded (3.0 bytes a span with LZ4, 2.7)
        "    Call UInt64 CODEC(Delta(8), ZSTD(1)),",
        "    IsCall SimpleAggregateFunction(max, UInt8) CODEC(ZSTD(1)),",
        "    TraceId SimpleAggregateFunction(max, String) CODEC(ZSTD(1)),",
        "    SpanId SimpleAggregateFunction(max, String) CODEC(ZSTD(1)),",
        "    Start SimpleAggregateFunction(max, Int64)" + Table.SMALL + ",",
        "    Store SimpleAggregateFunction(max, String) CODEC(ZSTD(1)),",
        "    Operation SimpleAggregateFunction(max, String) CODEC(ZSTD(1)),",
        "    Key SimpleAggregateFunction(max, Nullable(String)) CODEC(ZSTD(1)),",
        "    Ttl SimpleAggregateFunction(max, Nullable(Int64))" + Table.SMALL + ",",
        "    Results SimpleAggregateFunction(max, Nullable(Int64))" + Table.SMALL + ",",
        "    Carried SimpleAggregateFunction(max, Int64)" + Table.SMALL + ",",
        "    Error SimpleAggregateFunction(max, UInt8) CODEC(ZSTD(1)),",
        "    Fingerprinted SimpleAggregateFunction(max, UInt8) CODEC(ZSTD(1)),",
        "    Commands SimpleAggregateFunction(sum, UInt64)" + Table.SMALL + ",",
        "    Bytes SimpleAggregateFunction(sum, Int64)" + Table.SMALL + ",",
        "    TtlCommands SimpleAggregateFunction(sum, UInt64)" + Table.SMALL + ",",
        "    LowTtl SimpleAggregateFunction(min, Nullable(Int64))" + Table.SMALL + ",",
        "    GotTtl SimpleAggregateFunction(max, Nullable(Int64))" + Table.SMALL + ",",
        "    RedisKey SimpleAggregateFunction(min, Nullable(String)) CODEC(ZSTD(1)),",
        // each command with a hash of its key: the distinct keys of one command in a call (an N+1's fan); 5.6 bytes a
        // span with LZ4, 3.7 with ZSTD
        "    CommandKeys SimpleAggregateFunction(groupUniqArrayArray, Array(Tuple(String, UInt64))) CODEC(ZSTD(1)),",
        // sorted by call, the times of neighbouring rows are far apart: a delta is no smaller than the time
        "    Seen SimpleAggregateFunction(max, DateTime64(9))" + Table.SMALL);
    return new Table(TABLE, "memtrace: each memory call with its Redis commands totals, kept at insert", columns,
        "MergeTree", null, null, "Call", "toDateTime(Seen)", null, "Call");
  }

  /** A column and the function its {@code SimpleAggregateFunction} type merges its rows with. */
  private static final Pattern MERGED_BY = Pattern.compile("^\\s*(\\w+) SimpleAggregateFunction\\((\\w+),",
      Pattern.MULTILINE);

  /**
   * The calls of {@code table} (memtrace_memory_calls, unqualified or qualified) with their rows merged, one row a
   * call, each column by the function its type names: what {@code FINAL} gives over the {@code AggregatingMergeTree}
   * of an earlier init, and over this init's {@code MergeTree} too. {@code where} (over the stored rows, by
   * {@code Call}) may be empty.
   */
  static String merged(String table, String where) {
    StringBuilder select = new StringBuilder("(SELECT Call");
    Matcher column = MERGED_BY.matcher(table().columns());
    while (column.find()) {
      select.append(", ").append(column.group(2)).append('(').append(column.group(1)).append(") AS ")
          .append(column.group(1));
    }
    return select.append(" FROM ").append(table).append(where.isEmpty() ? "" : " WHERE " + where)
        .append(" GROUP BY Call)").toString();
  }

  /** The views, in the order they are made. */
  static List<String> views(SchemaOptions options) {
    return List.of(callsView(options));
  }

  /** The view an earlier init read the calls' fingerprints from {@code otel_traces} with. */
  static final String FINGERPRINTS_VIEW = TABLE + "_fingerprints_mv";

  /** A span's roles: 1 as a memory call, 2 as a Redis command under a parent. */
  private static final String ROLES = "arrayFilter(r -> (r = 1 AND memory_operation IS NOT NULL) OR (r = 2 AND "
      + "(db_system_name IS NOT NULL OR db_system IS NOT NULL) AND ParentSpanId != ''), [1, 2])";

  /** The typed columns of the span facts the rows are made of. */
  private static final List<String> COLUMNS = List.of("memory_operation", "memory_namespace", "memory_key",
      "memory_ttl", "memory_result_count", "gen_ai_memory_record_count", "memtrace_compressed_count",
      "memory_value_size", "db_operation_name", "db_system_name", "db_system");

  /** The rows of the spans read from {@code spans} (the span facts' columns), one per call their roles name. */
  static String callsSelect(String spans) {
    String call = "Role = 1";
    String command = "Role = 2";
    // the spans' ids and times under names of their own: an alias of the SELECT (TraceId, SpanId) would shadow them
    return "SELECT cityHash64(if(" + call + ", span_id, parent_span_id)) AS Call, max(" + call + ") AS IsCall, "
        + "maxIf(trace_id, " + call + ") AS TraceId, maxIf(span_id, " + call + ") AS SpanId, "
        + "maxIf(intDiv(toUnixTimestamp64Nano(time), 1000), " + call + ") AS Start, "
        + "maxIf(coalesce(memory_namespace, '(none)'), " + call + ") AS Store, "
        + "maxIf(lower(coalesce(memory_operation, '')), " + call + ") AS Operation, "
        + "maxIf(memory_key, " + call + ") AS Key, maxIf(memory_ttl, " + call + ") AS Ttl, "
        + "maxIf(coalesce(memory_result_count, if(lower(memory_operation) IN ('retrieve', 'search'), "
        + "gen_ai_memory_record_count, NULL)), " + call + ") AS Results, "
        + "maxIf(coalesce(memtrace_compressed_count, 0), " + call + ") AS Carried, "
        + "maxIf(status IN ('Error', 'STATUS_CODE_ERROR'), " + call + ") AS Error, "
        + "toUInt8(maxIf(fingerprint, " + call + ")) AS " + SpanFacts.FINGERPRINTED + ", "
        + "countIf(" + command + ") AS Commands, sumIf(coalesce(memory_value_size, 0), " + command + ") AS Bytes, "
        + "countIf(" + command + " AND (memory_ttl > 0 OR upper(db_operation_name) IN " + TtlTruth.TTL_COMMANDS
        + ")) AS TtlCommands, minIf(if(memory_ttl > 0, memory_ttl, NULL), " + command + ") AS LowTtl, "
        + "maxIf(memory_ttl, " + command + ") AS GotTtl, minIf(memory_key, " + command + ") AS RedisKey, "
        + "groupUniqArrayIf((upper(coalesce(db_operation_name, '')), cityHash64(memory_key)), " + command
        + " AND memory_key IS NOT NULL) AS CommandKeys, max(time) AS Seen"
        + "\nFROM (SELECT TraceId AS trace_id, SpanId AS span_id, ParentSpanId AS parent_span_id, Timestamp AS time, "
        + "StatusCode AS status, " + SpanFacts.FINGERPRINTED + " AS fingerprint, " + String.join(", ", COLUMNS)
        + ", Role FROM " + spans + "\nARRAY JOIN " + ROLES
        + " AS Role)\nGROUP BY Call";
  }

  private static String callsView(SchemaOptions options) {
    return "CREATE MATERIALIZED VIEW IF NOT EXISTS " + options.qualified(VIEW) + options.onCluster()
        + "\nTO " + options.qualified(table().local(options)) + "\nAS " + callsSelect(SpanFacts.source(options));
  }

  static final String VIEW = TABLE + "_mv";

  /**
   * Fills the table once from the spans stored before it (a store made by an earlier schema), as the views would
   * have at insert; on a cluster the node's own spans.
   */
  static List<String> fill(SchemaOptions options) {
    return List.of("INSERT INTO " + options.qualified(table().local(options)) + " "
        + callsSelect(SpanFacts.stored(options)));
  }
}
