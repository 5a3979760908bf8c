package io.memtrace.collector.clickhouse;

import io.memtrace.collector.health.MemoryHealth;
import io.memtrace.collector.lineage.LineageViews;
import java.util.List;

/**
 * Memory health's counts per store and operation, kept at insert, so the report reads a few rows instead of every
 * memory call of {@code memtrace_memory_calls} with {@code FINAL} (5.5 to 6.6 s of CPU at 10M spans, 3.75M calls:
 * docs/fleet.md, "Memory health's counts kept at insert"). Four tables, each fed by a view on
 * {@code memtrace_memory_calls} itself, which sees the rows the calls' view makes of each inserted block: one per call
 * of the block, with the block's commands of that call.
 * <ul>
 *   <li>{@code memtrace_memory_call_totals}: per store, operation and hour, each call of the block counted with the
 *       commands that came in its block (calls, reads, writes, searches, empty searches, commands, bytes, N+1 calls,
 *       TTL findings);</li>
 *   <li>{@code memtrace_memory_call_late}: the calls whose commands came in a block without the call (before or after
 *       it: another batch of the exporter, a retried export), and Redis commands whose parent is no memory call;</li>
 *   <li>{@code memtrace_memory_call_counted}: what each call was counted as in the totals (its block's commands, its
 *       N+1, its TTL finding, and its start where the finding is one the report lists), read only for the late calls
 *       and the latest listed findings;</li>
 *   <li>{@code memtrace_memory_call_keys}: the keys memory calls wrote per store, as hashes.</li>
 * </ul>
 * The reader adds, for each late call, what its merged row gives minus what it was counted as, so the counts are the
 * ones every call joined to all its commands gives, whatever the order the spans arrived in; a store where most
 * commands come apart from their calls reads as many merged calls as before.
 */
public final class MemoryCallTotals {

  public static final String TOTALS = "memtrace_memory_call_totals";
  public static final String LATE = "memtrace_memory_call_late";
  public static final String COUNTED = "memtrace_memory_call_counted";
  public static final String KEYS = "memtrace_memory_call_keys";

  /** The findings the report lists call by call (the latest of each); the others it only counts. */
  public static final String LISTED = "('ttl_lost', 'ttl_differs')";

  private MemoryCallTotals() {
  }

  /**
   * A call's access as lineage classifies its operation, over a row of {@code memtrace_memory_calls} (its
   * {@code Operation} is lower case).
   */
  public static final String ACCESS = LineageViews.MEMORY_ACCESS.replace("lower(memory_operation)", "Operation");

  /**
   * The most distinct keys one command of a call touched, when the call has enough commands for an N+1 and one
   * command touched as many keys; else 0. Over a row of {@code memtrace_memory_calls}.
   */
  public static final String FAN;

  /**
   * Whether a call is an N+1 ({@link #FAN} {@code > 0}), with the distinct keys counted once in the expression: the
   * analyser resolves each of its lambdas wherever it appears, and memory health's statement names the calls' rows
   * in several places.
   */
  public static final String FAN_FOUND;

  static {
    String n = String.valueOf(MemoryHealth.N_PLUS_ONE);
    // the commands' distinct keys counted only for the calls with enough commands for an N+1 (few): counting them
    // for every call took a quarter of memory health's statement over the calls
    String most = "if(empty(CommandKeys), 0, arrayMax(arrayMap(c -> length(arrayFilter(x -> x.1 = c, CommandKeys)), "
        + "arrayDistinct(arrayMap(x -> x.1, CommandKeys)))))";
    FAN = "if(Commands < " + n + ", 0, if(" + most + " >= " + n + ", " + most + ", 0))";
    // the AND is evaluated in order (short_circuit_function_evaluation), so the keys only for enough commands
    FAN_FOUND = "(Commands >= " + n + " AND " + most + " >= " + n + ")";
  }

  /**
   * A call's TTL finding ({@code ttl_unchecked}, {@code ttl_lost}, {@code ttl_differs}, or '' for none) over a row of
   * {@code memtrace_memory_calls}: memory health's, a write that asked a TTL and did not fail, by what its commands
   * set.
   */
  public static final String FINDING = "multiIf(NOT (" + ACCESS + " = 'write' AND coalesce(Ttl > 0, 0) AND Error = 0), "
      + "'', TtlCommands = 0 AND (Commands = 0 OR Carried > 0), 'ttl_unchecked', TtlCommands = 0, 'ttl_lost', "
      + "coalesce(GotTtl > 0 AND NOT (LowTtl = Ttl OR GotTtl = Ttl), 0), 'ttl_differs', '')";

  static List<Table> tables() {
    String counts = "SimpleAggregateFunction(sum, UInt64)";
    Table totals = new Table(TOTALS, "memtrace: memory calls per store, operation and hour, each with the commands of "
        + "its insert, kept at insert", String.join("\n",
        "    Store LowCardinality(String),",
        "    Operation LowCardinality(String),",
        "    Hour DateTime,",
        "    Calls " + counts + ",",
        "    Reads " + counts + ",",
        "    Writes " + counts + ",",
        "    Searches " + counts + ",",
        "    EmptySearches " + counts + ",",
        "    Commands SimpleAggregateFunction(sum, Int64),",
        "    Bytes SimpleAggregateFunction(sum, Int64),",
        "    NPlusOne " + counts + ",",
        "    TtlLost " + counts + ",",
        "    TtlDiffers " + counts + ",",
        "    TtlUnchecked " + counts), "AggregatingMergeTree", "toYYYYMM(Hour)", null,
        "(Store, Operation, Hour)", "Hour", null, "cityHash64(Store, Operation)");
    Table late = new Table(LATE, "memtrace: memory calls whose Redis commands came in an insert without the call",
        String.join("\n",
            "    Call UInt64 CODEC(Delta(8), ZSTD(1)),",
            "    Day Date"), "ReplacingMergeTree", null, null, "Call", "Day", null, "Call");
    Table counted = new Table(COUNTED, "memtrace: what each memory call was counted as in " + TOTALS, String.join("\n",
        "    Call UInt64 CODEC(Delta(8), ZSTD(1)),",
        "    Commands Int64 CODEC(T64, ZSTD(1)),",
        "    Bytes Int64 CODEC(T64, ZSTD(1)),",
        "    NPlusOne UInt8,",
        "    Finding LowCardinality(String),",
        // the start only of a call the report lists (0 otherwise): the latest are found without the merged calls
        "    Start Int64 CODEC(ZSTD(1)),",
        // the day only, for the TTL: sorted by call, a time takes 6 bytes a row, a day nothing
        "    Day Date"), "MergeTree", null, null, "Call", "Day", null, "Call");
    Table keys = new Table(KEYS, "memtrace: the keys memory calls wrote per store, as hashes", String.join("\n",
        "    Store LowCardinality(String),",
        "    HasKey UInt8,",
        "    KeyHash UInt64 CODEC(Delta(8), ZSTD(1)),",
        "    Day Date"), "ReplacingMergeTree(Day)", null, null, "(Store, HasKey, KeyHash)", "Day", null, "KeyHash");
    return List.of(totals, late, counted, keys);
  }

  /** The calls of {@code calls} (rows of memtrace_memory_calls) with their access, N+1 and finding. */
  private static String calls(String calls) {
    return "(SELECT *, " + ACCESS + " AS access, " + FAN_FOUND + " AS n_plus_one, " + FINDING + " AS finding FROM "
        + calls + " WHERE IsCall > 0)";
  }

  static String totalsSelect(String calls) {
    return "SELECT Store, Operation, toStartOfHour(Seen) AS Hour, count() AS Calls, countIf(access = 'read') AS Reads, "
        + "countIf(access = 'write') AS Writes, countIf(Operation = 'search') AS Searches, countIf(Operation = 'search' "
        + "AND coalesce(Results = 0, 0)) AS EmptySearches, sum(toInt64(Carried) + toInt64(Commands)) AS Commands, "
        + "sum(Bytes) AS Bytes, countIf(n_plus_one) AS NPlusOne, countIf(finding = 'ttl_lost') AS TtlLost, "
        + "countIf(finding = 'ttl_differs') AS TtlDiffers, countIf(finding = 'ttl_unchecked') AS TtlUnchecked\nFROM "
        + calls(calls) + "\nGROUP BY Store, Operation, Hour";
  }

  static String lateSelect(String calls) {
    return "SELECT Call, toDate(Seen) AS Day FROM " + calls + " WHERE IsCall = 0 AND Commands > 0";
  }

  static String countedSelect(String calls) {
    return "SELECT Call, toInt64(Carried) + toInt64(Commands) AS Commands, Bytes, n_plus_one AS NPlusOne, "
        + "finding AS Finding, if(finding IN " + LISTED + ", Start, 0) AS Start, toDate(Seen) AS Day FROM " + calls(calls);
  }

  static String keysSelect(String calls) {
    return "SELECT Store, Key IS NOT NULL AS HasKey, if(HasKey, cityHash64(Key), 0) AS KeyHash, toDate(Seen) AS Day FROM "
        + calls(calls) + " WHERE access = 'write'";
  }

  /** Each table's rows of the calls read from {@code calls}, in the order of {@link #tables}. */
  private static List<String> selects(String calls) {
    return List.of(totalsSelect(calls), lateSelect(calls), countedSelect(calls), keysSelect(calls));
  }

  /** The views, on memtrace_memory_calls, in the order they are made; on a cluster each writes the node's tables. */
  static List<String> views(SchemaOptions options) {
    List<Table> tables = tables();
    List<String> selects = selects(options.qualified(MemoryCallRows.table().local(options)));
    List<String> out = new java.util.ArrayList<>();
    for (int i = 0; i < tables.size(); i++) {
      out.add("CREATE MATERIALIZED VIEW IF NOT EXISTS " + options.qualified(tables.get(i).name() + "_mv")
          + options.onCluster() + "\nTO " + options.qualified(tables.get(i).local(options)) + "\nAS " + selects.get(i));
    }
    return out;
  }

  /**
   * Fills the tables once from the calls stored before them (a store made by an earlier schema), each call counted
   * with all its commands stored so far, as one insert would have; on a cluster the node's own calls.
   */
  static List<String> fill(SchemaOptions options) {
    List<Table> tables = tables();
    List<String> selects = selects("(SELECT * FROM " + options.qualified(MemoryCallRows.table().local(options))
        + " FINAL)");
    List<String> out = new java.util.ArrayList<>();
    for (int i = 0; i < tables.size(); i++) {
      out.add("INSERT INTO " + options.qualified(tables.get(i).local(options)) + " " + selects.get(i));
    }
    return out;
  }
}
