package io.memtrace.collector.embedded;

import io.memtrace.collector.reader.TraceCounting;

/**
 * The overview's count of traces in the embedded store, as SQL ({@link TraceCounting}): exact up to {@link #EXACT}
 * traces, and past that a HyperLogLog estimate from {@link #BUCKETS} registers. Both parts are kept at each move
 * ({@link RollupSql#TRACE_IDS}, {@link RollupSql#TRACE_SKETCH}) and combine by union and by maxima, so the report
 * reads a few thousand rows where it read every span's trace id.
 *
 * <p>The registers hash the trace id with MD5. DuckDB's own {@code hash} of the hex ids OpenTelemetry writes spreads
 * them badly: over the 7,500,288 traces of a 10M-span store it gave 4,058,532 distinct hashes, and DuckDB's
 * {@code approx_count_distinct}, which the report used before, estimated 4,204,943 traces there.
 */
final class TraceCount {

  /** Up to how many traces the count is exact. */
  static final int EXACT = TraceCounting.EXACT;
  /** The registers: the hash's first 16 bits choose one. */
  static final int BUCKETS = TraceCounting.REGISTERS;

  private TraceCount() {
  }

  /**
   * The registers of the trace ids of {@code rows}: per bucket, the highest rank, where a hash's rank is one more
   * than the trailing zero bits of its next 48 bits (49 when all are zero).
   */
  static String registers(String rows) {
    String low48 = "((h >> 64) & 281474976710655::UHUGEINT)::BIGINT";
    return "SELECT bucket, max(CASE WHEN w = 0 THEN 49 ELSE bit_count((w & (0 - w)) - 1) + 1 END)::UTINYINT AS rank "
        + "FROM (SELECT (h >> 112)::INTEGER AS bucket, " + low48 + " AS w FROM (SELECT md5_number(trace_id) AS h FROM "
        + rows + ")) GROUP BY bucket";
  }

  /**
   * The count, one BIGINT, from a relation of trace ids as {@link RollupSql#TRACE_IDS} keeps them and one of
   * registers: the ids counted while none is NULL, else the estimate (linear counting while it is small and some
   * register is empty, as HyperLogLog's authors correct it).
   */
  static String sql(String ids, String registers) {
    double m = BUCKETS;
    double alpha = 0.7213 / (1 + 1.079 / m);
    String estimate = "SELECT round(CASE WHEN raw <= " + 2.5 * m + " AND zeros > 0 THEN " + m + " * ln(" + m
        + " / zeros) ELSE raw END)::BIGINT AS estimate FROM (SELECT zeros, " + alpha * m * m
        + " / (sum_inverse + zeros) AS raw FROM (SELECT " + BUCKETS + " - count(*) AS zeros, coalesce(sum(pow(2.0, -(rank::INTEGER))), 0) "
        + "AS sum_inverse FROM " + registers + "))";
    return "SELECT CASE WHEN more THEN (" + estimate + ") ELSE exact END AS traces FROM (SELECT count(*)::BIGINT AS "
        + "exact, count(*) FILTER (WHERE trace_id IS NULL) > 0 AS more FROM " + ids + ")";
  }

  /** The count of the trace ids of {@code rows}, from the spans (a report since a time, or a store without rollups). */
  static String ofSpans(String rows) {
    return sql("(" + RollupSql.TRACE_IDS.merge("(" + RollupSql.TRACE_IDS.of(rows) + ")") + ")",
        "(" + RollupSql.TRACE_SKETCH.merge("(" + registers(rows) + ")") + ")");
  }

  /** The note on the overview's traces. */
  static final String NOTE = TraceCounting.NOTE;
}
