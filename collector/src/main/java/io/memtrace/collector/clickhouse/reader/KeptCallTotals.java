package io.memtrace.collector.clickhouse.reader;

import io.memtrace.collector.clickhouse.MemoryCallTotals;
import java.util.List;

/**
 * Memory health's one statement over the memory calls ({@code MemoryCalls}' parts: {@code calls}, {@code keys},
 * {@code ttl}) from the counts kept at insert ({@link MemoryCallTotals}) instead of every call merged with
 * merged: the totals per store and operation, corrected by the few calls whose commands came apart from them
 * (each one's merged row minus what it was counted as); the fingerprinted writes from the calls that carry one; the
 * keys written from their hashes; the latest listed TTL findings from the counted calls' starts, their rows merged.
 */
final class KeptCallTotals {

  private KeptCallTotals() {
  }

  /** The rows of {@code kind} of {@link MemoryCallTotals#COUNTS}: a range of its primary key. */
  static String of(String kind) {
    return MemoryCallTotals.COUNTS + " WHERE Kind = '" + kind + "'";
  }

  /**
   * {@code difference} (a late call's merged row minus what it was counted as) for a late call counted, else 0; of the
   * type the difference has where both sides are there (the join leaves {@code was}' columns NULL where it has none).
   */
  private static String lateMinusCounted(String difference) {
    return "if(c.late AND w.Call IS NOT NULL, assumeNotNull(" + difference + "), 0)";
  }

  /**
   * Whether any call is to be read on its own ({@code calls}: the late ones, the fingerprinted ones, or a listed TTL
   * finding), as a statement of one row tells; 2-8 ms at 10M spans.
   */
  static String anyCallsRead() {
    return "SELECT (SELECT count() FROM " + of("late") + ") + (SELECT count() FROM (SELECT 1 FROM "
        + ClickHouseHealth.CALLS + " WHERE Fingerprinted > 0 LIMIT 1)) + (SELECT count() FROM (SELECT 1 FROM "
        + of("counted") + " AND (TtlLost > 0 OR TtlDiffers > 0) LIMIT 1)) AS n";
  }

  /**
   * The statement, its rows as {@code MemoryCalls} reads them, ordered as it orders them. Without {@code callsRead}
   * (no call to read on its own: {@link #anyCallsRead} found none) the totals and keys alone, the same rows: the
   * calls' parts of the statement are most of its CPU at 10M spans where they read nothing, most of it planning them
   * (0.18 s of CPU for the statement against 0.05 s for the keys' part alone).
   *
   * @param redisLayer a Redis-layer report names the key a call's commands wrote
   * @param list       how many of each listed finding's latest calls
   */
  static String statement(boolean redisLayer, int list, boolean callsRead) {
    String calls = ClickHouseHealth.CALLS;
    // the listed findings' latest counted calls that came whole (ties on the start kept: the order goes on by ids)
    StringBuilder candidates = new StringBuilder("SELECT Call FROM lt UNION DISTINCT SELECT Call FROM " + calls
        + " WHERE Fingerprinted > 0");
    for (String finding : List.of("TtlLost", "TtlDiffers")) {
      candidates.append(" UNION DISTINCT SELECT Call FROM (SELECT Call FROM ").append(of("counted"))
          .append(" AND ").append(finding).append(" > 0 AND Call NOT IN lt ORDER BY Start DESC LIMIT ")
          .append(list).append(" WITH TIES)");
    }
    String shown = redisLayer ? "coalesce(CAST(RedisKey AS Nullable(String)), CAST(Key AS Nullable(String)))"
        : "CAST(Key AS Nullable(String))";
    String read = "lt AS (SELECT DISTINCT Call FROM " + of("late") + "), "
        + "cand AS (" + candidates + "), "
        // each call read merged: the late ones, the fingerprinted ones and the candidates for the lists
        + "c AS MATERIALIZED (SELECT Call, Call IN lt AS late, toString(Store) AS store, toString(Operation) AS "
        + "operation, access, Fingerprinted > 0 AS fp, toInt64(Carried) + toInt64(Commands) AS commands, "
        + "toInt64(Bytes) AS bytes, toInt64(np) AS n_plus_one, finding, toInt64(Start) AS start_us, "
        + "toString(TraceId) AS trace_id, toString(SpanId) AS span_id, " + shown + " AS key, CAST(Ttl AS "
        + "Nullable(Int64)) AS asked, CAST(GotTtl AS Nullable(Int64)) AS got FROM (SELECT *, "
        + MemoryCallTotals.ACCESS + " AS access, " + MemoryCallTotals.FAN_FOUND + " AS np, "
        + MemoryCallTotals.FINDING + " AS finding FROM " + MemoryCallTotals.mergedCalls("Call IN cand")
        + ") WHERE IsCall > 0), "
        // what the late calls were counted as, in each insert that held the call
        + "was AS (SELECT Call, sum(Commands) AS commands, sum(Bytes) AS bytes, toInt64(sum(NPlusOne)) AS n_plus_one, "
        + "toInt64(sum(TtlLost)) AS lost, toInt64(sum(TtlDiffers)) AS differs, toInt64(sum(TtlUnchecked)) AS unchecked "
        + "FROM " + of("counted") + " AND Call IN lt GROUP BY Call), ";
    String ctes = "WITH " + (callsRead ? read : "")
        + "t AS (SELECT toString(Store) AS store, toString(Operation) AS operation, toInt64(Calls) AS t_n_calls, "
        + "toInt64(Reads) AS t_reads, toInt64(Writes) AS t_writes, toInt64(Searches) AS t_searches, toInt64(EmptySearches) "
        + "AS t_empty_searches, toInt64(0) AS t_fingerprinted, toInt64(Commands) AS t_commands, toInt64(Bytes) AS t_bytes, "
        + "toInt64(NPlusOne) AS t_n_plus_one, toInt64(TtlLost) AS t_ttl_lost, toInt64(TtlDiffers) AS t_ttl_differs, "
        + "toInt64(TtlUnchecked) AS t_ttl_unchecked FROM " + of("totals")
        // each call read once: its fingerprinted write, and for a late call what it is merged minus what it was
        // counted as (nothing where no insert counted it); the analyser resolves c at each place that names it
        // (65-69 ms of the statement's 150 ms with four of them at 10M spans)
        + (!callsRead ? "" : " UNION ALL SELECT c.store, c.operation, 0, 0, 0, 0, 0, toInt64(c.access = 'write' AND "
        + "c.fp), " + lateMinusCounted("c.commands - w.commands") + ", " + lateMinusCounted("c.bytes - w.bytes") + ", "
        + lateMinusCounted("c.n_plus_one - w.n_plus_one") + ", " + lateMinusCounted("toInt64(c.finding = 'ttl_lost') "
        + "- w.lost") + ", " + lateMinusCounted("toInt64(c.finding = 'ttl_differs') - w.differs") + ", "
        + lateMinusCounted("toInt64(c.finding = 'ttl_unchecked') - w.unchecked") + " FROM c LEFT JOIN was AS w "
        + "ON w.Call = c.Call") + "), ";
    String none = "CAST(NULL AS Nullable(String))";
    String noCount = "CAST(NULL AS Nullable(Int64))";
    String totals = "SELECT 'calls' AS part, store, " + none + " AS tenant, operation, sum(t_n_calls) AS n_calls, "
        + "sum(t_reads) AS reads, sum(t_writes) AS writes, sum(t_searches) AS searches, sum(t_empty_searches) AS "
        + "empty_searches, " + noCount + " AS keys_written, sum(t_fingerprinted) AS fingerprinted, sum(t_commands) AS "
        + "commands, sum(t_bytes) AS bytes, sum(t_n_plus_one) AS n_plus_one, sum(t_ttl_lost) AS ttl_lost, "
        + "sum(t_ttl_differs) AS ttl_differs, sum(t_ttl_unchecked) AS ttl_unchecked, " + none + " AS finding, " + none
        + " AS key, " + noCount + " AS asked, " + noCount + " AS got, " + none + " AS trace_id, " + noCount
        + " AS start_us, " + none + " AS span_id FROM t GROUP BY store, operation HAVING sum(t_n_calls) > 0";
    String keys = "SELECT 'keys', toString(Store), " + none + ", " + none + ", NULL, NULL, NULL, NULL, NULL, "
        + "toInt64(uniqExactIf(KeyHash, HasKey > 0)), NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
        + "NULL, NULL, NULL, NULL FROM " + of("keys") + " GROUP BY Store";
    // each listed finding's latest calls, from one reading of c
    String latest = !callsRead ? "" : " UNION ALL SELECT * FROM (SELECT 'ttl', store, " + none + ", operation, NULL, "
        + "NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, finding, key, asked, got, trace_id, "
        + "start_us, span_id FROM c WHERE finding IN ('ttl_lost', 'ttl_differs') ORDER BY finding, start_us DESC, "
        + "trace_id, span_id LIMIT " + list + " BY finding)";
    return ctes + "u AS (" + totals + " UNION ALL " + keys + latest + ") SELECT * FROM u ORDER BY part, finding, "
        + "start_us DESC, trace_id, span_id, store, tenant, operation SETTINGS join_use_nulls = 1, "
        + "enable_materialized_cte = 1, distributed_product_mode = 'local'";
  }
}
