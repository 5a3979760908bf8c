package io.memtrace.collector.health;

import io.memtrace.collector.query.ResultTable;
import java.util.ArrayList;
import java.util.List;

/**
 * The one statement that joins each memory call to its child Redis commands, for the TTL truth's calls, memory health
 * and the commands per call alike: each call is joined to its commands once (three statements joined them three
 * times, 4 s of CPU at 10M spans). Its rows are of three parts:
 * <ul>
 * <li>{@code calls}: per store, tenant and operation, the calls, reads, writes, searches, empty searches, writes
 *     with a fingerprint, Redis commands (child spans and retention's counts), their bytes, the N+1
 *     calls, and the TTL findings' counts ({@code ttl_lost}, {@code ttl_differs}, {@code ttl_unchecked});</li>
 * <li>{@code keys}: per store and tenant, the distinct keys written ({@code keys_written});</li>
 * <li>{@code ttl}: the latest {@link TtlTruth#LIST} calls of each listed TTL finding ({@code finding, key, asked, got,
 *     trace_id}).</li>
 * </ul>
 *
 * @param calls the {@code calls} and {@code keys} parts
 * @param ttl   the {@code ttl} part, latest first within each finding
 */
public record MemoryCalls(ResultTable calls, ResultTable ttl) {

  static MemoryCalls ask(HealthDialect sql) {
    return ask(sql, true);
  }

  /**
   * As {@link #ask(HealthDialect)}; the {@code ttl} part only when {@code ttlCalls} (the TTL truth lists them), else
   * none. Without it the statement reads no call's trace, span id or time: memory health alone (the report's headline)
   * took 0.7-0.8 s at 10M spans with it, 0.25 s without.
   */
  static MemoryCalls ask(HealthDialect sql, boolean ttlCalls) {
    String n = String.valueOf(MemoryHealth.N_PLUS_ONE);
    boolean redisLayer = sql.layer() == io.memtrace.collector.reader.Layer.REDIS;
    // the Redis commands under a call, keyed by a hash of the call's span id, never by the strings, and not by the
    // trace id too: reading and hashing the trace ids of every memory span and Redis command cost a third of the
    // statement at 10M spans, and two random 64-bit span ids of different traces are equal with a chance of 2^-64 per
    // pair. Written out where it is read, not a CTE: one DuckDB keeps in memory for its second reader (1.25M rows at
    // 10M spans, spilled past the 409 MiB), where reading the few calls with enough commands for an N+1 again is cheap
    String rc = "(SELECT " + sql.hash("parent_span_id") + " AS call, command, key, ttl, value_size FROM "
        + sql.redisSpans() + " AS r WHERE parent_span_id IS NOT NULL) AS rc";
    String listed = "finding IN ('ttl_lost', 'ttl_differs')";
    String ctes = "WITH m AS " + sql.memorySpans() + ", "
        + "cc AS (SELECT call, count(*) AS n, sum(coalesce(value_size, 0)) AS bytes, sum(CASE WHEN ttl > 0 OR command IN "
        + TtlTruth.TTL_COMMANDS + " THEN 1 ELSE 0 END) AS ttl_commands, min(CASE WHEN ttl > 0 THEN ttl END) AS low, "
        // the least key only where it is shown: a string's minimum per call cost a tenth of the statement
        + "max(ttl) AS got" + (redisLayer ? ", min(key) AS redis_key" : "") + " FROM " + rc + " GROUP BY call), "
        // the distinct keys per command only of the calls that have enough commands for an N+1: few, where a
        // distinct count per call and command over every call took a second at 10M spans
        + "cf AS (SELECT call, command, count(DISTINCT key) AS keys FROM " + rc + " WHERE call IN (SELECT call FROM cc "
        + "WHERE n >= " + n + ") GROUP BY call, command), "
        + "cm AS (SELECT call, max(keys) AS fan FROM cf WHERE keys >= " + n + " GROUP BY call), "
        // each call once with its commands' counts, and the strings only where a part reads them: the ids, time and
        // key of a listed finding; every call with all its strings was what DuckDB kept for the parts' several readers
        // (spilled past the 409 MiB)
        // read by three parts: computed once (ClickHouse computed the join of every call three times, 21 to 28 s of
        // CPU at 10M spans)
        + "p AS " + sql.materialized() + "(" + perCall(listed, "") + " FROM (SELECT mc.store AS store, mc.tenant AS tenant, "
        + "mc.operation AS operation, mc.access AS access, mc.results AS results, mc.has_fingerprint AS has_fingerprint, "
        + "mc.carried + coalesce(cc.n, 0) AS call_commands, coalesce(cc.bytes, 0) AS call_bytes, "
        + "coalesce(cm.fan, 0) AS fan, mc.key AS key, "
        // a Redis-layer report names the key the call's commands wrote, as its other sections name Redis keys
        + (redisLayer ? "coalesce(cc.redis_key, mc.key)" : "mc.key") + " AS shown_key, mc.ttl AS ttl, cc.got AS got, "
        + "mc.trace_id AS trace_id, mc.span_id AS span_id, mc.start_us AS start_us, " + finding("mc", "cc") + " AS finding "
        + "FROM (SELECT *, " + sql.hash("span_id") + " AS call, fingerprint IS NOT NULL AS has_fingerprint, "
        + "coalesce(compressed, 0) AS carried FROM m) AS mc LEFT JOIN cc ON cc.call = mc.call "
        + "LEFT JOIN cm ON cm.call = mc.call) AS j), ";
    String keysFrom = sql.memorySpans();
    // the counts kept at insert answer the whole statement where the store has them; else the calls one by one
    String parts = sql.keptCallParts(TtlTruth.LIST);
    String kept = parts == null ? sql.keptCalls() : null;
    if (kept != null) {
      // each call with its commands' totals as the store kept them at insert: no join, and the keys written from the
      // same rows (the write's key kept beside them in p)
      ctes = "WITH p AS " + sql.keptMaterialized() + "(" + perCall(listed, ", CASE WHEN access = 'write' THEN call_key "
          + "END AS key") + " FROM (SELECT c.store AS store, c.tenant AS tenant, c.operation AS operation, c.access AS "
          + "access, c.results AS results, c.has_fingerprint AS has_fingerprint, c.carried + c.n AS call_commands, "
          + "c.bytes AS call_bytes, c.fan AS fan, c.key AS call_key, " + (redisLayer ? "coalesce(c.redis_key, c.key)"
          : "c.key") + " AS shown_key, c.ttl AS ttl, c.got AS got, c.trace_id AS trace_id, c.span_id AS span_id, "
          + "c.start_us AS start_us, " + finding("c", "c") + " AS finding FROM " + kept + " AS c) AS j), ";
      keysFrom = "p";
    }
    // the latest calls of each listed finding, as a top-N each (a window over every finding's calls sorted them all);
    // the first part's aliases name the columns: an alias is seen by the whole SELECT in ClickHouse, so the
    // aggregates' part names none (a NULL AS finding there made every count of finding zero)
    StringBuilder latest = new StringBuilder();
    if (!ttlCalls) {
      // no rows, only the first part's names and types
      String text = sql.nullText();
      latest.append("SELECT * FROM (SELECT 'ttl' AS part, " + text + " AS store, " + text + " AS tenant, " + text
          + " AS operation, NULL AS n_calls, NULL AS reads, NULL AS writes, NULL AS searches, NULL AS empty_searches, "
          + "NULL AS keys_written, NULL AS fingerprinted, NULL AS commands, NULL AS bytes, NULL AS n_plus_one, "
          + "NULL AS ttl_lost, NULL AS ttl_differs, NULL AS ttl_unchecked, " + text + " AS finding, " + text
          + " AS key, NULL AS asked, NULL AS got, " + text + " AS trace_id, NULL AS start_us, " + text
          + " AS span_id LIMIT 0) AS l_none");
    }
    for (String finding : ttlCalls ? List.of("ttl_lost", "ttl_differs") : List.<String>of()) {
      latest.append(latest.isEmpty() ? "" : " UNION ALL ").append("SELECT * FROM (SELECT 'ttl' AS part, store, tenant, "
          + "operation, NULL AS n_calls, NULL AS reads, NULL AS writes, NULL AS searches, NULL AS empty_searches, "
          + "NULL AS keys_written, NULL AS fingerprinted, NULL AS commands, NULL AS bytes, NULL AS n_plus_one, "
          + "NULL AS ttl_lost, NULL AS ttl_differs, NULL AS ttl_unchecked, finding, l_key AS key, l_asked AS asked, "
          + "l_got AS got, l_trace AS trace_id, l_start AS start_us, l_span AS span_id FROM p WHERE finding = '"
          + finding + "' ORDER BY l_start DESC, l_trace, l_span LIMIT " + TtlTruth.LIST + ") AS l_" + finding);
    }
    String calls = "SELECT 'calls', store, tenant, operation, count(*), " + count("access = 'read'") + ", "
        + count("access = 'write'") + ", " + count("operation = 'search'") + ", "
        + count("operation = 'search' AND results = 0") + ", NULL, " + count("access = 'write' AND has_fingerprint")
        + ", sum(call_commands), sum(call_bytes), " + count("fan > 0") + ", " + count("finding = 'ttl_lost'") + ", "
        + count("finding = 'ttl_differs'") + ", " + count("finding = 'ttl_unchecked'") + ", NULL, NULL, NULL, NULL, "
        + "NULL, NULL, NULL FROM p GROUP BY store, tenant, operation";
    // the distinct keys written per store and tenant: a store's keys are written by calls of several operations.
    // Read from the memory spans again, not from the calls: as cheap in DuckDB, and in ClickHouse (which inlines
    // every CTE where it is read) a scan rather than the join once more
    String keys = "SELECT 'keys' AS part, store, tenant, NULL, NULL, NULL, NULL, NULL, NULL, count(DISTINCT key), NULL, "
        + "NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM " + keysFrom
        + " AS w WHERE access = 'write' GROUP BY store, tenant";
    ResultTable all = sql.source().query(parts != null ? parts : ctes + "u AS (" + latest + " UNION ALL " + calls
        + " UNION ALL " + keys + ") SELECT * FROM u ORDER BY part, finding, start_us DESC, trace_id, span_id, store, "
        + "tenant, operation" + sql.settings());
    List<List<Object>> callRows = new ArrayList<>();
    List<List<Object>> ttlRows = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      (all.text(i, "part").equals("ttl") ? ttlRows : callRows).add(all.rows().get(i));
    }
    return new MemoryCalls(new ResultTable(all.columns(), callRows, false), new ResultTable(all.columns(), ttlRows,
        false));
  }

  /**
   * The columns of {@code p}, each call once with its commands' counts, and the strings only where a part reads them:
   * the ids, time and key of a listed finding ({@code more}: further columns), over a relation {@code j}.
   */
  private static String perCall(String listed, String more) {
    return "SELECT store, tenant, operation, access, results, has_fingerprint, call_commands, call_bytes, fan, "
        + "finding, CASE WHEN " + listed + " THEN shown_key END AS l_key, CASE WHEN " + listed + " THEN ttl END AS "
        + "l_asked, CASE WHEN " + listed + " THEN got END AS l_got, CASE WHEN " + listed + " THEN trace_id END AS "
        + "l_trace, CASE WHEN " + listed + " THEN span_id END AS l_span, CASE WHEN " + listed + " THEN start_us END "
        + "AS l_start" + more;
  }

  /**
   * The TTL finding of a memory call ({@code call}'s alias) from its commands' counts ({@code commands}' alias: n,
   * ttl_commands, got, low); NULL when none.
   */
  private static String finding(String call, String commands) {
    String c = call + ".";
    String cc = commands + ".";
    return "CASE WHEN " + c + "access = 'write' AND " + c + "ttl > 0 AND coalesce(" + c + "status_code, '') <> 'ERROR' "
        + "THEN CASE WHEN coalesce(" + cc + "ttl_commands, 0) = 0 AND (coalesce(" + cc + "n, 0) = 0 OR " + c
        + "carried > 0) THEN 'ttl_unchecked' WHEN coalesce(" + cc + "ttl_commands, 0) = 0 THEN 'ttl_lost' WHEN " + cc
        + "got > 0 AND NOT (" + cc + "low = " + c + "ttl OR " + cc + "got = " + c + "ttl) THEN 'ttl_differs' END END";
  }

  private static String count(String condition) {
    return "sum(CASE WHEN " + condition + " THEN 1 ELSE 0 END)";
  }

  /** The sum of a {@code calls} column over its rows. */
  long total(String column) {
    long n = 0;
    for (int i = 0; i < calls.size(); i++) {
      n += calls.number(i, column);
    }
    return n;
  }
}
