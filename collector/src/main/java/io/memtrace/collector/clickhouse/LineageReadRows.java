package io.memtrace.collector.clickhouse;

/**
 * The reads of {@code memtrace_lineage} again, one row per version, with what the report's lineage sections ask of a
 * read computed at insert, so those sections read a layer's reads without {@code FINAL}: {@code FINAL} over the
 * Redis layer's 2.5M reads at 10M spans took 0.6 s of CPU before any section was counted, and the sections over the
 * lineage's wide rows another 0.5-1 s.
 *
 * <p>A read has more than one version only when a write arrived after it ({@link LineageRows}' late view), and every
 * version but its first is written by that view and says so ({@code Late}). So a read none of whose rows is late has
 * one row, its current one; a read with a late row has as current its late row of the greatest version (its first row's
 * version is less than every later one's: each late row's version is greater than the version it answered). The
 * late rows are few and sorted apart ({@code (Layer, Late, ...)}), so the reader takes the greatest of each late
 * read's versions and every other read's one row: the rows {@code FINAL} gives, whatever order the spans arrived in.
 * Reads are told apart by a 128-bit hash of their place, time, trace and span id ({@code ReadId}).
 *
 * <p>One view keeps it: on {@code memtrace_lineage} itself, so it sees every row the lineage views write, the late
 * ones included. On a cluster each node's, beside its lineage, whose reads are all on the node.
 */
public final class LineageReadRows {

  public static final String TABLE = "memtrace_lineage_reads";

  private LineageReadRows() {
  }

  /**
   * Sorted by layer, then late or not, so the late rows of a layer are one small range and the others another; then by
   * place and time as the lineage, for the codecs. Day partitions and the TTL of the lineage.
   */
  static Table table() {
    String columns = String.join("\n",
        "    Layer Enum8('memory' = 1, 'redis' = 2),",
        "    Late Bool,",
        "    Place String CODEC(ZSTD(1)),",
        "    Time Int64 CODEC(Delta(8), ZSTD(1)),",
        "    ReadId UInt128 CODEC(ZSTD(1)),",
        "    Version UInt64 CODEC(ZSTD(1)),",
        "    TraceId String CODEC(ZSTD(1)),",
        "    SpanId String CODEC(ZSTD(1)),",
        "    Key String CODEC(ZSTD(1)),",
        "    Namespace LowCardinality(Nullable(String)),",
        "    StatusCode LowCardinality(String),",
        "    Found Nullable(Bool),",
        "    WriteTraceId Nullable(String) CODEC(ZSTD(1)),",
        "    WriteAccess Nullable(Enum8('write' = 2, 'delete' = 3)),",
        "    WriteEnd Nullable(Int64) CODEC(ZSTD(1)),",
        "    WriteTtl Nullable(Int64) CODEC(ZSTD(1)),",
        "    Age Nullable(Int64) CODEC(ZSTD(1)),",
        "    Aged Bool,",
        "    Stale Bool");
    return new Table(TABLE, "memtrace: each read of memtrace_lineage per version, for the report's lineage, kept at "
        + "insert", columns, "MergeTree", "toDate(fromUnixTimestamp64Micro(Time))", null, "(Layer, Late, Place, Time)",
        "toDateTime(fromUnixTimestamp64Micro(Time))", "index_granularity = 8192, ttl_only_drop_parts = 1",
        "cityHash64(Place)");
  }

  /**
   * A read's value age counts toward the percentiles: a writer that is a write (not a delete) seen in the store, a
   * read that did not find nothing and did not fail (the report's {@code writer = 'seen' AND write_access = 'write'
   * AND (found IS NULL OR found) AND read_status_code != 'ERROR'}).
   */
  private static final String AGED = "ifNull(WriteEnd IS NOT NULL AND WriteAccess = 'write' "
      + "AND (Found IS NULL OR Found) AND StatusCode != 'ERROR', false)";

  /** A read whose value outlived the TTL its write set, as memory health's TTL section finds one. */
  private static final String STALE = "ifNull(WriteEnd IS NOT NULL AND coalesce(Found, true) AND WriteTtl > 0 "
      + "AND (Time - WriteEnd) / 1000.0 > WriteTtl * 1000, false)";

  /** The table's row of a read's row of {@code memtrace_lineage}, late as {@code late} says. */
  private static String row(String late) {
    return "SELECT Layer, " + late + " AS Late, Place, Time, reinterpretAsUInt128(sipHash128(Place, Time, TraceId, "
        + "SpanId)) AS ReadId, Version, TraceId, SpanId, Key, Namespace, StatusCode, Found, WriteTraceId, WriteAccess, "
        + "WriteEnd, WriteTtl, Time - WriteEnd AS Age, " + AGED + " AS Aged, " + STALE + " AS Stale";
  }

  /** The view on {@code memtrace_lineage} (on a cluster each node's): every read's row the lineage views write. */
  static String view(SchemaOptions options) {
    return "CREATE MATERIALIZED VIEW IF NOT EXISTS " + options.qualified(TABLE + "_mv") + options.onCluster()
        + "\nTO " + options.qualified(table().local(options)) + "\nAS " + row("Late") + "\nFROM "
        + options.qualified(LineageRows.table().local(options)) + "\nWHERE Row = 'read'";
  }

  /**
   * Fills the table once from a {@code memtrace_lineage} that holds reads already (a store made by an earlier schema,
   * whose rows do not say which are late): every version of a read that has more than one stored is taken as late, so
   * its greatest is read, as {@code FINAL} would; a read's row the view wrote meanwhile is left out. On a cluster the
   * node's own rows.
   */
  static String fill(SchemaOptions options) {
    String table = options.qualified(table().local(options));
    return "INSERT INTO " + table + " SELECT * FROM (" + row("count() OVER (PARTITION BY Place, Time, TraceId, SpanId) "
        + "> 1") + " FROM " + options.qualified(LineageRows.table().local(options)) + " WHERE Row = 'read') "
        + "WHERE (ReadId, Version) NOT IN (SELECT ReadId, Version FROM " + table + ")";
  }
}
