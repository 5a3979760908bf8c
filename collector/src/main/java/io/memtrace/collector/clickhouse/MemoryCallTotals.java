package io.memtrace.collector.clickhouse;

import io.memtrace.collector.health.MemoryHealth;
import io.memtrace.collector.lineage.LineageViews;
import java.util.List;

/**
 * Memory health's counts per store and operation, kept at insert, so the report reads a few rows instead of every
 * memory call of {@code memtrace_memory_calls} with {@code FINAL} (5.5 to 6.6 s of CPU at 10M spans, 3.75M calls:
 * docs/fleet.md, "Memory health's counts kept at insert"). Four tables, fed from the rows the calls' view makes of each
 * inserted block (one per call of the block, with the block's commands of that call): the late calls by a view on
 * {@code memtrace_memory_calls} itself, the others by views on {@link #FINDINGS}, which one view on it fills with each
 * call's access, N+1 and TTL finding, computed once.
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

  /**
   * The calls of an insert with their access, N+1 and finding, kept nowhere ({@code Null}): one view computes them
   * once from the rows the calls' view makes of the block, and the totals', counted and keys' views read them, so
   * ClickHouse plans and computes the finding's and N+1's expressions once an insert, not in each of three views.
   */
  static final String FINDINGS = "memtrace_memory_call_findings";

  /** The view of memtrace_memory_calls that fills {@link #FINDINGS}. */
  static final String FINDINGS_VIEW = FINDINGS + "_mv";

  /** The views that read {@link #FINDINGS} (those of an earlier init read the calls, each computing them). */
  static final List<String> FINDINGS_READERS = List.of(TOTALS + "_mv", COUNTED + "_mv", KEYS + "_mv");

  /** The Null table of the calls with their findings: the columns the totals', counted and keys' views read. */
  static String findingsTable(SchemaOptions options) {
    return "CREATE TABLE IF NOT EXISTS " + options.qualified(FINDINGS) + options.onCluster() + " (\n    "
        + String.join(",\n    ", "Call UInt64", "Store String", "Operation String", "Key Nullable(String)",
            "Results Nullable(Int64)", "Carried Int64", "Commands UInt64", "Bytes Int64", "Start Int64",
            "Seen DateTime64(9)", "Access String", "NPlusOne UInt8", "Finding String")
        + "\n) ENGINE = Null\n"
        + "COMMENT 'memtrace: the memory calls of an insert with their access, N+1 and TTL finding, for memory "
        + "health\\'s counts'";
  }

  /** The calls of {@code calls} (rows of memtrace_memory_calls) with their access, N+1 and finding. */
  static String findingsSelect(String calls) {
    return "SELECT Call, Store, Operation, Key, Results, Carried, Commands, Bytes, Start, Seen, " + ACCESS
        + " AS Access, " + FAN_FOUND + " AS NPlusOne, " + FINDING + " AS Finding FROM " + calls + " WHERE IsCall > 0";
  }

  static String totalsSelect(String findings) {
    return "SELECT Store, Operation, toStartOfHour(Seen) AS Hour, count() AS Calls, countIf(Access = 'read') AS Reads, "
        + "countIf(Access = 'write') AS Writes, countIf(Operation = 'search') AS Searches, countIf(Operation = 'search' "
        + "AND coalesce(Results = 0, 0)) AS EmptySearches, sum(toInt64(Carried) + toInt64(Commands)) AS Commands, "
        + "sum(Bytes) AS Bytes, countIf(NPlusOne) AS NPlusOne, countIf(Finding = 'ttl_lost') AS TtlLost, "
        + "countIf(Finding = 'ttl_differs') AS TtlDiffers, countIf(Finding = 'ttl_unchecked') AS TtlUnchecked\nFROM "
        + findings + "\nGROUP BY Store, Operation, Hour";
  }

  static String lateSelect(String calls) {
    return "SELECT Call, toDate(Seen) AS Day FROM " + calls + " WHERE IsCall = 0 AND Commands > 0";
  }

  static String countedSelect(String findings) {
    return "SELECT Call, toInt64(Carried) + toInt64(Commands) AS Commands, Bytes, NPlusOne, Finding, "
        + "if(Finding IN " + LISTED + ", Start, 0) AS Start, toDate(Seen) AS Day FROM " + findings;
  }

  static String keysSelect(String findings) {
    return "SELECT Store, Key IS NOT NULL AS HasKey, if(HasKey, cityHash64(Key), 0) AS KeyHash, toDate(Seen) AS Day FROM "
        + findings + " WHERE Access = 'write'";
  }

  /**
   * Each table's rows, in the order of {@link #tables}: the late calls read from {@code calls}, the others from
   * {@code findings} (rows of {@link #findingsSelect}).
   */
  private static List<String> selects(String calls, String findings) {
    return List.of(totalsSelect(findings), lateSelect(calls), countedSelect(findings), keysSelect(findings));
  }

  /**
   * The views, in the order they are made: the findings' and the late calls' on memtrace_memory_calls, the others on
   * the findings; on a cluster each writes the node's tables.
   */
  static List<String> views(SchemaOptions options) {
    List<Table> tables = tables();
    String calls = options.qualified(MemoryCallRows.table().local(options));
    List<String> selects = selects(calls, options.qualified(FINDINGS));
    List<String> out = new java.util.ArrayList<>();
    out.add(findingsView(options));
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
    String calls = "(SELECT * FROM " + options.qualified(MemoryCallRows.table().local(options)) + " FINAL)";
    List<String> selects = selects(calls, "(" + findingsSelect(calls) + ")");
    List<String> out = new java.util.ArrayList<>();
    for (int i = 0; i < tables.size(); i++) {
      out.add("INSERT INTO " + options.qualified(tables.get(i).local(options)) + " " + selects.get(i));
    }
    return out;
  }

  /** memtrace_memory_calls to {@link #FINDINGS}: the node's own calls. */
  static String findingsView(SchemaOptions options) {
    return "CREATE MATERIALIZED VIEW IF NOT EXISTS " + options.qualified(FINDINGS_VIEW) + options.onCluster() + "\nTO "
        + options.qualified(FINDINGS) + "\nAS " + findingsSelect(options.qualified(MemoryCallRows.table().local(options)));
  }

  /**
   * The totals', counted and keys' views of an earlier init, each computing the calls' findings, put behind
   * {@link #FINDINGS} before init's statements: the table and its view made (nothing reads the table yet), then each
   * view given its SELECT over the table in one statement, so no call is counted twice or missed. Null when the store
   * has no totals' view, or has the findings' view already.
   */
  static String shareFindings(ClickHouseSession session, SchemaOptions options, java.util.Set<String> before) {
    if (!before.contains(TOTALS + "_mv") || before.contains(FINDINGS_VIEW)) {
      return null;
    }
    session.execute(findingsTable(options));
    session.execute(findingsView(options));
    for (String statement : views(options)) {
      String view = ClickHouseSchema.viewName(statement);
      if (FINDINGS_READERS.contains(view)) {
        session.execute("ALTER TABLE " + options.qualified(view) + options.onCluster() + " MODIFY QUERY "
            + ClickHouseSchema.viewSelect(statement));
      }
    }
    String db = options.database();
    return "redefined " + FINDINGS_READERS.stream().map(v -> db + "." + v).collect(java.util.stream.Collectors.joining(
        ", ")) + " to read " + db + "." + FINDINGS + ", which " + db + "." + FINDINGS_VIEW + " fills with each "
        + "inserted call's access, N+1 and TTL finding: the same counts, computed once an insert, not in each view";
  }
}
