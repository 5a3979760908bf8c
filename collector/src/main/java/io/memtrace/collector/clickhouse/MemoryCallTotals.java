package io.memtrace.collector.clickhouse;

import io.memtrace.collector.health.MemoryHealth;
import io.memtrace.collector.lineage.LineageViews;
import java.util.List;

/**
 * Memory health's counts per store and operation, kept at insert, so the report reads a few rows instead of every
 * memory call of {@code memtrace_memory_calls} with {@code FINAL} (5.5 to 6.6 s of CPU at 10M spans, 3.75M calls:
 * docs/fleet.md, "Memory health's counts kept at insert"). One table, {@link #COUNTS}, fed by one view from the rows
 * the calls' view makes of each inserted block (one per call of the block, with the block's commands of that call),
 * each call's access, N+1 and TTL finding computed once, in four kinds of row:
 * <ul>
 *   <li>{@code totals}: per store, operation and hour, each call of the block counted with the commands that came in
 *       its block (calls, reads, writes, searches, empty searches, commands, bytes, N+1 calls, TTL findings);</li>
 *   <li>{@code late}: the calls whose commands came in a block without the call (before or after it: another batch
 *       of the exporter, a retried export), and Redis commands whose parent is no memory call;</li>
 *   <li>{@code counted}: what each call was counted as in the totals (its block's commands, its N+1, its TTL finding,
 *       and its start where the finding is one the report lists), read only for the late calls and the latest listed
 *       findings;</li>
 *   <li>{@code keys}: the keys memory calls wrote per store, as hashes.</li>
 * </ul>
 * The reader adds, for each late call, what its merged row gives minus what it was counted as, so the counts are the
 * ones every call joined to all its commands gives, whatever the order the spans arrived in; a store where most
 * commands come apart from their calls reads as many merged calls as before. Until 2026-12-01 the four kinds were four
 * tables fed by five views (a Null table of the findings between): five plans and three parts an insert, where one view
 * plans in about as long as the five did (22.7-25.2 against 19.2-26.4 ms, docs/history/fleet-2026-12-01.md) and
 * writes one part.
 */
public final class MemoryCallTotals {

  /** The table of memory health's counts, of every kind ({@link #table}). */
  public static final String COUNTS = "memtrace_memory_call_counts";

  /** The tables an earlier init kept the same counts in, one a kind (until 2026-12-01). */
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

  /**
   * One table for the four kinds of row, told apart by {@code Kind}: the totals per store, operation and hour; the
   * late calls; what each call was counted as; the keys written per store. ClickHouse merges rows of one kind and key
   * (sums, a max of the start and of the day), which each reader's sums and distinct counts read as the rows of the
   * four tables an earlier init kept (until 2026-12-01: {@link #TOTALS}, {@link #LATE}, {@link #COUNTED},
   * {@link #KEYS}, fed by five views through {@link #FINDINGS}). Sorted by kind first, so each kind is one range of the
   * primary key, and a call's counted or late rows a lookup in it.
   */
  static Table table() {
    String counts = "SimpleAggregateFunction(sum, UInt64)" + Table.SMALL;
    String sums = "SimpleAggregateFunction(sum, Int64)" + Table.SMALL;
    return new Table(COUNTS, "memtrace: memory health\'s counts per store, operation and hour, the late calls, what "
        + "each call was counted as and the keys written per store, kept at insert", String.join("\n",
        "    Kind Enum8(" + KIND_VALUES + "),",
        "    Store LowCardinality(String),",
        "    Operation LowCardinality(String),",
        "    Hour DateTime,",
        // sorted within a kind: delta-coded, as the tables of an earlier init had them
        "    Call UInt64 CODEC(Delta(8), ZSTD(1)),",
        "    HasKey UInt8,",
        "    KeyHash UInt64 CODEC(Delta(8), ZSTD(1)),",
        "    Calls " + counts + ",",
        "    Reads " + counts + ",",
        "    Writes " + counts + ",",
        "    Searches " + counts + ",",
        "    EmptySearches " + counts + ",",
        "    Commands " + sums + ",",
        "    Bytes " + sums + ",",
        "    NPlusOne " + counts + ",",
        "    TtlLost " + counts + ",",
        "    TtlDiffers " + counts + ",",
        "    TtlUnchecked " + counts + ",",
        // the start only of a counted call the report lists (0 otherwise): the latest found without the merged calls
        "    Start SimpleAggregateFunction(max, Int64) CODEC(ZSTD(1)),",
        // the day only, for the TTL of the rows by call and key: sorted by a hash, a time takes 6 bytes a row
        "    Day SimpleAggregateFunction(max, Date)"), "AggregatingMergeTree", null, null,
        "(Kind, Store, Operation, Hour, Call, HasKey, KeyHash)", "if(Kind = 'totals', Hour, toDateTime(Day))", null,
        "cityHash64(Store, Call, KeyHash)");
  }

  static List<Table> tables() {
    return List.of(table());
  }

  /** The kinds of row of {@link #COUNTS}. */
  private static final String KIND_VALUES = "'totals' = 1, 'late' = 2, 'counted' = 3, 'keys' = 4";

  /**
   * The rows of {@link #COUNTS} from {@code calls} (rows of memtrace_memory_calls): each call's access, N+1 and finding
   * computed once, then one row of each kind the call gives (its totals and what it was counted as; the key it wrote
   * for a write), and one late row for each row of commands that came without their call.
   */
  static String countsSelect(String calls) {
    String both = "kind IN ('totals', 'counted')";
    String inner = "SELECT Call AS call, IsCall AS is_call, Store AS store, Operation AS operation, Key AS key, "
        + "Results AS results, toInt64(Carried) + toInt64(Commands) AS commands, Bytes AS bytes, Start AS start, "
        + "Seen AS seen, " + ACCESS + " AS access, " + FAN_FOUND + " AS n_plus_one, " + FINDING + " AS finding FROM "
        + calls + " WHERE IsCall > 0 OR Commands > 0";
    return "SELECT kind AS Kind, if(kind IN ('totals', 'keys'), store, '') AS Store, if(kind = 'totals', operation, '') "
        + "AS Operation, if(kind = 'totals', toStartOfHour(seen), toDateTime(0)) AS Hour, if(kind IN ('late', "
        + "'counted'), call, 0) AS Call, toUInt8(kind = 'keys' AND key IS NOT NULL) AS HasKey, if(kind = 'keys' AND key "
        + "IS NOT NULL, cityHash64(key), 0) AS KeyHash, toUInt64(kind = 'totals') AS Calls, toUInt64(kind = 'totals' AND "
        + "access = 'read') AS Reads, toUInt64(kind = 'totals' AND access = 'write') AS Writes, toUInt64(kind = 'totals' "
        + "AND operation = 'search') AS Searches, toUInt64(kind = 'totals' AND operation = 'search' AND coalesce(results "
        + "= 0, 0)) AS EmptySearches, if(" + both + ", commands, 0) AS Commands, if(" + both + ", bytes, 0) AS Bytes, "
        + "toUInt64(" + both + " AND n_plus_one) AS NPlusOne, toUInt64(" + both + " AND finding = 'ttl_lost') AS "
        + "TtlLost, toUInt64(" + both + " AND finding = 'ttl_differs') AS TtlDiffers, toUInt64(" + both + " AND finding "
        + "= 'ttl_unchecked') AS TtlUnchecked, if(kind = 'counted' AND finding IN " + LISTED + ", start, 0) AS Start, "
        + "toDate(seen) AS Day\nFROM (" + inner + ")\nARRAY JOIN if(is_call > 0, if(access = 'write', ['totals', "
        + "'counted', 'keys'], ['totals', 'counted']), ['late']) AS kind";
  }

  /** The view: memtrace_memory_calls to {@link #COUNTS}; on a cluster the node's own calls to its own table. */
  static List<String> views(SchemaOptions options) {
    return List.of("CREATE MATERIALIZED VIEW IF NOT EXISTS " + options.qualified(VIEW) + options.onCluster() + "\nTO "
        + options.qualified(table().local(options)) + "\nAS "
        + countsSelect(options.qualified(MemoryCallRows.table().local(options))));
  }

  static final String VIEW = COUNTS + "_mv";

  /**
   * Fills the table once from the calls stored before it (a store made by an earlier schema), each call counted with
   * all its commands stored so far, as one insert would have; on a cluster the node's own calls.
   */
  static List<String> fill(SchemaOptions options) {
    return List.of("INSERT INTO " + options.qualified(table().local(options)) + " "
        + countsSelect(MemoryCallRows.merged(options.qualified(MemoryCallRows.table().local(options)), "")));
  }

  /**
   * The calls of {@code memtrace_memory_calls}, as a reader names it, one merged row a call (the rows of a call whose
   * commands came in other inserts joined), for the calls {@code where} names over the stored rows (empty for all).
   */
  public static String mergedCalls(String where) {
    return MemoryCallRows.merged(MemoryCallRows.TABLE, where);
  }

  /** The Null table and the views an earlier init fed memory health's four tables through. */
  static final String FINDINGS = "memtrace_memory_call_findings";
  static final List<String> EARLIER_VIEWS = List.of(TOTALS + "_mv", LATE + "_mv", COUNTED + "_mv", KEYS + "_mv",
      FINDINGS + "_mv");

  /**
   * The views of an earlier init's four tables dropped (after {@link #COUNTS} was made and filled from the stored
   * calls), readers first, and its Null table of findings; the four tables are kept with their rows, which nothing
   * reads now, and the line says how to drop them. Null where the store has none of those views.
   */
  static String dropEarlierViews(ClickHouseSession session, SchemaOptions options, java.util.Set<String> before) {
    List<String> views = EARLIER_VIEWS.stream().filter(before::contains).toList();
    if (views.isEmpty()) {
      return null;
    }
    for (String view : views) {
      session.execute("DROP VIEW IF EXISTS " + options.qualified(view) + options.onCluster());
    }
    if (before.contains(FINDINGS)) {
      session.execute("DROP TABLE IF EXISTS " + options.qualified(FINDINGS) + options.onCluster());
    }
    String db = options.database();
    StringBuilder drop = new StringBuilder();
    for (String table : List.of(TOTALS, LATE, COUNTED, KEYS)) {
      if (before.contains(table) || before.contains(table + "_local")) {
        drop.append(drop.length() == 0 ? "" : "; ").append("DROP TABLE ").append(options.qualified(table))
            .append(options.onCluster());
        if (options.clustered()) {
          drop.append("; DROP TABLE ").append(options.qualified(table + "_local")).append(options.onCluster());
        }
      }
    }
    return "dropped " + views.stream().map(v -> db + "." + v).collect(java.util.stream.Collectors.joining(", "))
        + (before.contains(FINDINGS) ? " and " + db + "." + FINDINGS : "") + ": memory health's counts are kept in "
        + db + "." + COUNTS + " by one view, filled from the calls stored before it"
        + (drop.length() == 0 ? "" : "; the earlier tables' rows stay until you run " + drop);
  }
}
