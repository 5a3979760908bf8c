package io.memtrace.collector.health;

import io.memtrace.collector.query.ResultTable;
import java.util.ArrayList;
import java.util.List;

/**
 * The one statement that joins each memory call to its child Redis commands, for the TTL truth's calls, memory health
 * and the commands per call alike: the memory spans and the Redis spans are each read once (three statements read
 * them three times, 4 s of CPU at 10M spans). Its rows are of two parts:
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
    String n = String.valueOf(MemoryHealth.N_PLUS_ONE);
    String ctes = "WITH m AS " + sql.memorySpans() + ", "
        // keyed by a hash of the call's trace and span ids, never by the strings; the strings only of the calls
        // that asked for a TTL, for the list
        + "mc AS (SELECT " + sql.hash("trace_id, span_id") + " AS call, store, tenant, operation, access, results, "
        + "fingerprint IS NOT NULL AS fingerprinted, ttl, coalesce(compressed, 0) AS compressed, status_code FROM m), "
        + "rc AS (SELECT " + sql.hash("trace_id, parent_span_id") + " AS call, command, key, ttl, value_size FROM "
        + sql.redisSpans() + " AS r WHERE parent_span_id IS NOT NULL), "
        + "cc AS (SELECT call, count(*) AS n, sum(coalesce(value_size, 0)) AS bytes, sum(CASE WHEN ttl > 0 OR command IN "
        + TtlTruth.TTL_COMMANDS + " THEN 1 ELSE 0 END) AS ttl_commands, min(CASE WHEN ttl > 0 THEN ttl END) AS low, "
        + "max(ttl) AS got FROM rc GROUP BY call), "
        // the distinct keys per command only of the calls that have enough commands for an N+1: few, where a
        // distinct count per call and command over every call took a second at 10M spans
        + "cf AS (SELECT call, command, count(DISTINCT key) AS keys FROM rc WHERE call IN (SELECT call FROM cc "
        + "WHERE n >= " + n + ") GROUP BY call, command), "
        + "cm AS (SELECT call, max(keys) AS fan FROM cf WHERE keys >= " + n + " GROUP BY call), "
        + "p AS (SELECT mc.store AS store, mc.tenant AS tenant, mc.operation AS operation, mc.access AS access, "
        + "mc.results AS results, mc.fingerprinted AS fingerprinted, "
        + "mc.compressed + coalesce(cc.n, 0) AS call_commands, coalesce(cc.bytes, 0) AS call_bytes, "
        + "coalesce(cm.fan, 0) AS fan, " + finding("mc") + " AS finding "
        + "FROM mc LEFT JOIN cc ON cc.call = mc.call LEFT JOIN cm ON cm.call = mc.call), "
        + "tw AS (SELECT w.store AS store, w.tenant AS tenant, w.operation AS operation, w.key AS key, w.ttl AS asked, "
        + "cc.got AS got, w.trace_id AS trace_id, w.span_id AS span_id, w.start_us AS start_us, " + finding("w") + " AS finding FROM (SELECT *, " + sql.hash("trace_id, span_id")
        + " AS call, coalesce(compressed, 0) AS compressed FROM m WHERE access = 'write' AND ttl > 0) AS w "
        + "LEFT JOIN cc ON cc.call = w.call), ";
    String calls = "SELECT 'calls' AS part, store, tenant, operation, count(*) AS n_calls, "
        + count("access = 'read'") + " AS reads, " + count("access = 'write'") + " AS writes, "
        + count("operation = 'search'") + " AS searches, " + count("operation = 'search' AND results = 0")
        + " AS empty_searches, NULL AS keys_written, " + count("access = 'write' AND fingerprinted") + " AS fingerprinted, "
        + "sum(call_commands) AS commands, sum(call_bytes) AS bytes, " + count("fan > 0") + " AS n_plus_one, "
        + count("finding = 'ttl_lost'") + " AS ttl_lost, " + count("finding = 'ttl_differs'") + " AS ttl_differs, "
        + count("finding = 'ttl_unchecked'") + " AS ttl_unchecked, NULL AS finding, NULL AS key, NULL AS asked, "
        + "NULL AS got, NULL AS trace_id, NULL AS start_us, NULL AS span_id FROM p GROUP BY store, tenant, operation";
    String listed = "SELECT 'ttl' AS part, store, tenant, operation, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
        + "NULL, NULL, NULL, NULL, NULL, finding, key, asked, got, trace_id, start_us, span_id FROM (SELECT *, "
        + "row_number() OVER (PARTITION BY finding ORDER BY start_us DESC, trace_id, span_id) AS rn FROM tw "
        + "WHERE finding IN ('ttl_lost', 'ttl_differs')) AS l WHERE rn <= " + TtlTruth.LIST;
    // the distinct keys written per store and tenant: a store's keys are written by calls of several operations
    String keys = "SELECT 'keys' AS part, store, tenant, NULL, NULL, NULL, NULL, NULL, NULL, count(DISTINCT key), NULL, "
        + "NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM m WHERE access = 'write' "
        + "GROUP BY store, tenant";
    ResultTable all = sql.source().query(ctes + "u AS (" + calls + " UNION ALL " + keys + " UNION ALL " + listed
        + ") SELECT * FROM u ORDER BY part, finding, start_us DESC, trace_id, span_id, store, tenant, operation"
        + sql.settings());
    List<List<Object>> callRows = new ArrayList<>();
    List<List<Object>> ttlRows = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      (all.text(i, "part").equals("ttl") ? ttlRows : callRows).add(all.rows().get(i));
    }
    return new MemoryCalls(new ResultTable(all.columns(), callRows, false), new ResultTable(all.columns(), ttlRows,
        false));
  }

  /** The TTL finding of a memory call ({@code call}'s alias) from its commands' counts ({@code cc}); NULL when none. */
  private static String finding(String call) {
    String c = call + ".";
    return "CASE WHEN " + c + "access = 'write' AND " + c + "ttl > 0 AND coalesce(" + c + "status_code, '') <> 'ERROR' "
        + "THEN CASE WHEN coalesce(cc.ttl_commands, 0) = 0 AND (coalesce(cc.n, 0) = 0 OR " + c + "compressed > 0) "
        + "THEN 'ttl_unchecked' WHEN coalesce(cc.ttl_commands, 0) = 0 THEN 'ttl_lost' WHEN cc.got > 0 AND NOT (cc.low = "
        + c + "ttl OR cc.got = " + c + "ttl) THEN 'ttl_differs' END END";
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
