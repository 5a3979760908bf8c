package io.memtrace.collector.clickhouse.reader;

import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.reader.Layer;

/**
 * A layer's totals per key kept at insert ({@code memtrace_layer_keys}, one row per key and insert until ClickHouse
 * merges them), merged as the key sections read them: columns {@code key, namespace, accesses, reads, writes,
 * deletes, has_ttl, ttl_unknown_writes, largest_write, last_seen, first_write, bytes_written}. Two ways, the same rows:
 * where the table is one part, {@code FINAL}, which then merges nothing (the key sections took 0.36-0.41 s of CPU at
 * 10M spans on it merged); where it is several of like size, a {@code GROUP BY}, as {@code FINAL}'s sorted merge of
 * eleven simple aggregates, row by row, cost more than hashing (0.72-0.73 s against 0.55-0.58 s over the memory
 * layer's 1.66M rows in 5 parts, docs/fleet.md) and hashing the merged table's rows more than reading them as they
 * are. Where one part holds most rows and the others are the few keys of recent inserts ({@link #SMALL_PARTS}), as
 * ClickHouse's merges leave a table that has grown for a while, {@code FINAL} again: it merges only the big part's
 * rows that the small ones meet, where grouping hashes every row.
 */
final class KeptKeys {

  static final String TABLE = "memtrace_layer_keys";

  /** A key's deletes, TTLs and writes of unknown TTL, each as whether it has any (bits 1, 2 and 4), merged. */
  private static final String FLAGS =
      "groupBitOr(toUInt8(Deletes > 0) + 2 * (WithTtl > 0) + 4 * (TtlUnknownWrites > 0))";

  /** The first write of a key with none, as the grouping merges it (later than any time). */
  private static final String NONE = String.valueOf(Long.MAX_VALUE);

  /**
   * {@code FINAL} over several parts where the rows beside the largest part are at most this share of the table's: at
   * 10M spans (1.89M keys of the two layers in one part, and parts of recent keys beside it) the Redis layer's key
   * sections took 312-354 ms of wall time with {@code FINAL} against 382-457 ms grouped with 2-10 % beside it,
   * 390-408 against 450-500 ms with 7 % in two parts, 394-403 against 379-461 ms with 17 % in three, and more with
   * {@code FINAL} than grouped where five parts of like size held the keys (docs/fleet.md, "Which way to merge").
   */
  static final double SMALL_PARTS = 0.2;

  private final Layer layer;
  /** Whether the table is one part. */
  private final boolean onePart;
  /** Whether {@code FINAL} merges the rows ({@link #whole}), else a {@code GROUP BY} ({@link #grouped}). */
  private final boolean whole;

  private KeptKeys(Layer layer, boolean onePart, boolean whole) {
    this.layer = layer;
    this.onePart = onePart;
    this.whole = whole;
  }

  /**
   * The kept keys of {@code layer}, merged as the table's active parts are now: should a merge end or an insert come
   * before the statement runs, its way costs more, its rows are the same. On a cluster the reader asks the
   * Distributed table, which has no parts of its own: grouped.
   */
  static KeptKeys of(SqlSource source, Layer layer) {
    ResultTable parts = source.query("SELECT count() AS n, toUInt64(sum(rows)) AS total, "
        + "toUInt64(max(rows)) AS largest FROM system.parts WHERE database = currentDatabase() AND table = '" + TABLE
        + "' AND active");
    long n = parts.number(0, "n");
    long total = parts.number(0, "total");
    long beside = total - parts.number(0, "largest");
    return new KeptKeys(layer, n == 1, n == 1 || n > 1 && beside <= SMALL_PARTS * total);
  }

  /**
   * Whether reading the totals merges rows (grouped), so that a statement reading them twice is better off
   * materializing them: read whole from one part, materializing cost more than reading again (the TTL truth's
   * no-TTL keys over 20 namespaces, 69-73 ms of CPU against 59-62 at 10M spans).
   */
  boolean merges() {
    return !onePart;
  }

  /** The merged totals as a subquery, with a further {@code condition} on the table's columns if not empty. */
  String merged(String condition) {
    return whole ? whole(condition) : grouped(condition);
  }

  /** Each column as its own type, not the aggregate's (SimpleAggregateFunction reads as text in the client). */
  private String whole(String condition) {
    return "(SELECT Key AS key, toString(Namespace) AS namespace, toUInt64(Accesses) AS accesses, toUInt64(Reads) AS "
        + "reads, toUInt64(Writes) AS writes, toUInt64(Deletes) AS deletes, WithTtl > 0 AS has_ttl, "
        + "CAST(LargestWrite AS Nullable(Int64)) AS largest_write, toInt64(LastSeen) AS last_seen, CAST(FirstWrite AS "
        + "Nullable(Int64)) AS first_write, CAST(BytesWritten AS Nullable(Int64)) AS bytes_written, "
        + "toUInt64(TtlUnknownWrites) AS ttl_unknown_writes FROM " + TABLE + " FINAL WHERE Layer = '"
        + layer.viewName() + "'" + condition + ")";
  }

  /**
   * A key's rows grouped on two 64-bit hashes of its namespace and key (128 bits: two keys meet with a chance of
   * about 10^-27 at a million keys). The three counts only ever compared with 0 are merged as one bit mask
   * ({@link #FLAGS}): {@code deletes} and {@code ttl_unknown_writes} are here 0 or 1, not counts. The sizes and the
   * first write are merged as plain Int64 with a sentinel for none; {@code bytes_written} is NULL exactly where
   * {@code largest_write} is, both being of the writes with a size.
   */
  private String grouped(String condition) {
    return "(SELECT any(Key) AS key, any(Namespace) AS namespace, sum(Accesses) AS accesses, sum(Reads) AS reads, "
        + "sum(Writes) AS writes, " + FLAGS + " AS flags, bitAnd(flags, 1) AS deletes, "
        + "bitAnd(flags, 2) > 0 AS has_ttl, bitShiftRight(flags, 2) AS ttl_unknown_writes, "
        + "nullIf(max(coalesce(LargestWrite, -1)), -1) AS largest_write, toInt64(max(LastSeen)) AS last_seen, "
        + "nullIf(min(coalesce(FirstWrite, " + NONE + ")), " + NONE + ") AS first_write, "
        + "if(largest_write IS NULL, NULL, sum(coalesce(BytesWritten, 0))) AS bytes_written FROM " + TABLE
        + " WHERE Layer = '" + layer.viewName() + "'" + condition + " GROUP BY cityHash64(Namespace, Key), "
        + "xxHash64(Key))";
  }
}
