package io.memtrace.collector.clickhouse;

/**
 * Each write's next access kept at insert, so wasted writes (a write whose next access of its place is a write, a
 * delete or its expiry) count the writes instead of following every access of every place through a window:
 * {@code memtrace_next_access} holds one row per write of {@code memtrace_lineage}, with the first access of its
 * place after it, in the order wasted writes follows (time, a write before a read at the same time, then trace and
 * span id; failed reads are no access). The next access is a {@code min} state: a row written later with an earlier
 * access wins, whatever order the spans arrived in.
 *
 * <p>One view on the lineage events ({@link LineageRows#EVENTS}) keeps it. For each block it follows, place by place,
 * the block's events together with the stored ones of the block's places from the last stored access before the
 * block's first event there (a primary-key range of {@code memtrace_lineage} each), and writes a row for each write of
 * the block (its next access, or none yet) and for each stored write whose next access is now one of the block's (a
 * late event that came between a write and the access it had). A stored write earlier than that last access is not
 * touched: its next access is already that access or one before it. The stored rows may include the block's own
 * (the lineage view may have written them first): they are counted once.
 *
 * <p>What wasted writes read of the next access is its time and kind: {@link #NEXT_ACCESS_COLUMN}, a {@code min} state
 * of its own without the ids, each row's computed from its {@code Next} as it is inserted. {@code FINAL} reads a
 * column whole, tuples too (no subcolumns), so reading {@code Next} merged its trace and span ids for nothing: at 10M
 * spans the statement took 171-203 ms of wall time with the column against 263-286 ms with {@code Next} (one part),
 * the same rows (docs/fleet.md, "The next access without its ids").
 */
public final class NextAccessRows {

  public static final String TABLE = "memtrace_next_access";

  /** The next access of a write none has followed yet: later than every access, so any access found replaces it. */
  public static final String NONE = "(9223372036854775807, 0, '', '', 'none')";

  /** The type of the next access: (time, 1 for a write or delete and 2 for a read, trace id, span id, access). */
  private static final String NEXT = "Tuple(Int64, UInt8, String, String, Enum8('read' = 1, 'write' = 2, "
      + "'delete' = 3, 'none' = 4))";

  /**
   * The next access's time, 1 for a write or delete and 2 for a read, and its kind, taken from {@code Next} at insert
   * (and, in the parts stored before an init added it, when read). Its own {@code min} compares the kind before the
   * ids, so where rows of one write name different accesses at the same time, a write wins over a delete whatever
   * their ids: a tie the embedded store settles the same way (its next write or delete is the least of end time and
   * kind), and one the two stores otherwise leave undefined.
   */
  public static final String NEXT_ACCESS_COLUMN = "NextAccess SimpleAggregateFunction(min, Tuple(Int64, UInt8, "
      + "Enum8('read' = 1, 'write' = 2, 'delete' = 3, 'none' = 4))) DEFAULT (Next.1, Next.2, Next.5) CODEC(ZSTD(1))";

  private NextAccessRows() {
  }

  /**
   * The write's own columns are the same in each of its rows ({@code any}); only its next access changes.
   * Sorted as {@code memtrace_lineage}'s writes (place, end time, trace and span id), so a layer's writes are one
   * range and a write's rows merge into one; day partitions of the write's end and the same TTL.
   */
  static Table table() {
    String columns = String.join("\n",
        "    Place String CODEC(ZSTD(1)),",
        "    Time Int64 CODEC(Delta(8), ZSTD(1)),",
        "    TraceId String CODEC(ZSTD(1)),",
        "    SpanId String CODEC(ZSTD(1)),",
        "    Layer SimpleAggregateFunction(any, Enum8('memory' = 1, 'redis' = 2)),",
        "    Start SimpleAggregateFunction(any, Int64) CODEC(ZSTD(1)),",
        "    Namespace SimpleAggregateFunction(any, Nullable(String)) CODEC(ZSTD(1)),",
        "    Ttl SimpleAggregateFunction(any, Nullable(Int64)) CODEC(ZSTD(1)),",
        "    ValueSize SimpleAggregateFunction(any, Nullable(Int64)) CODEC(ZSTD(1)),",
        "    Next SimpleAggregateFunction(min, " + NEXT + "),",
        "    " + NEXT_ACCESS_COLUMN);
    return new Table(TABLE, "memtrace: each write with the next access of its place, kept at insert", columns,
        "AggregatingMergeTree", "toDate(fromUnixTimestamp64Micro(Time))", null, "(Place, Time, TraceId, SpanId)",
        "toDateTime(fromUnixTimestamp64Micro(Time))", "index_granularity = 8192, ttl_only_drop_parts = 1",
        "cityHash64(Place)");
  }

  /** An access as the rows are ordered: its time, then a write (1) before a read (2), then trace and span id. */
  private static final String ORDER = "t, r, trace_id, span_id";

  /**
   * The accesses {@code accesses} (place, t, r, trace_id, span_id, access, the write's columns, and {@code b}: 1 for
   * the block's) counted once each, each write with the access after it, and whether that one is the block's.
   */
  private static String followed(String accesses) {
    String once = "SELECT place, t, r, trace_id, span_id, access, any(layer) AS layer, any(start) AS start, "
        + "any(namespace) AS namespace, any(ttl) AS ttl, any(value_size) AS value_size, max(b) AS b FROM ("
        + accesses + ") GROUP BY place, " + ORDER + ", access";
    return "SELECT *, leadInFrame(tuple(t, r, trace_id, span_id, access), 1, " + NONE + ") OVER w AS next, "
        + "leadInFrame(b, 1, 0) OVER w AS next_b FROM (" + once + ") WINDOW w AS (PARTITION BY place ORDER BY "
        + ORDER + " ROWS BETWEEN CURRENT ROW AND 1 FOLLOWING)";
  }

  /** The rows of {@code followed}'s writes that {@code where} keeps, as the table takes them. */
  private static String rows(String followed, String where) {
    return "SELECT place AS Place, t AS Time, trace_id AS TraceId, span_id AS SpanId, layer AS Layer, start AS Start, "
        + "namespace AS Namespace, ttl AS Ttl, value_size AS ValueSize, CAST(next AS " + NEXT + ") AS Next\nFROM ("
        + followed + ")\nWHERE access = 'write'" + where;
  }

  /** {@code memtrace_lineage}'s accesses ({@code l}), not failed, as {@link #followed} takes them. */
  private static String stored(String lineage, String where) {
    return "SELECT Place AS place, Time AS t, toUInt8(if(Row = 'read', 2, 1)) AS r, TraceId AS trace_id, "
        + "SpanId AS span_id, toString(Access) AS access, toString(Layer) AS layer, Start AS start, "
        + "Namespace AS namespace, Ttl AS ttl, ValueSize AS value_size, toUInt8(0) AS b FROM " + lineage
        + " WHERE StatusCode != 'ERROR'" + where;
  }

  /** The view on the lineage events (on a cluster each node's, as its events are sharded by place). */
  static String view(SchemaOptions options) {
    String events = options.qualified(options.clustered() ? LineageRows.EVENTS + "_local" : LineageRows.EVENTS);
    String lineage = options.qualified(LineageRows.table().local(options));
    String places = " AND Place IN (SELECT place FROM " + events + ")";
    String block = "SELECT place, if(access = 'read', time_us, end_us) AS t, toUInt8(if(access = 'read', 2, 1)) AS r, "
        + "trace_id, span_id, access, layer, time_us AS start, namespace, ttl, value_size, toUInt8(1) AS b FROM "
        + events + " WHERE status_code != 'ERROR'";
    String first = "SELECT place, min(if(access = 'read', time_us, end_us)) AS first_t FROM " + events
        + " WHERE status_code != 'ERROR' GROUP BY place";
    // per place, the stored rows from the last stored access before the block's first on; read once (each read of
    // the block's places costs the primary key's analysis of their set: 50 ms for 8,000 places at 1M spans)
    String after = "SELECT * EXCEPT (from_t) FROM (SELECT s.*, maxIf(s.t, s.t < f.first_t) OVER (PARTITION BY s.place) "
        + "AS from_t FROM (" + stored(lineage, places) + ") AS s INNER JOIN (" + first + ") AS f ON s.place = f.place) "
        + "WHERE t >= from_t";
    return "CREATE MATERIALIZED VIEW IF NOT EXISTS " + options.qualified(TABLE + "_mv") + options.onCluster()
        + "\nTO " + options.qualified(table().local(options)) + "\nAS " + rows(followed(block + "\n    UNION ALL "
        + after), " AND (b = 1 OR next_b = 1)");
  }

  /**
   * Fills the table once from a {@code memtrace_lineage} that holds rows already (a store made by an earlier schema):
   * every stored write with its next access, as the view would have kept them. On a cluster the node's own rows,
   * whose places are all on the node.
   */
  static String fill(SchemaOptions options) {
    // the columns named: NextAccess is computed from Next
    return "INSERT INTO " + options.qualified(table().local(options)) + " (Place, Time, TraceId, SpanId, Layer, Start, "
        + "Namespace, Ttl, ValueSize, Next) " + rows(followed(stored(
        options.qualified(LineageRows.table().local(options)), "")), "");
  }
}
