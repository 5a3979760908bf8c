package io.memtrace.collector.clickhouse;

import java.util.ArrayList;
import java.util.List;

/**
 * Lineage kept as rows at insert, so the report reads each read's writer instead of joining every read of a layer to
 * every write: {@code memtrace_lineage} holds one row per read, with its writer (the last write or delete of its
 * place that ended before the read began, as {@link LineageEvents} and the embedded store define it), and one per
 * write or delete, which later reads are joined to. Three views keep it:
 * <ul>
 *   <li>the span facts ({@link SpanFacts}) to {@code memtrace_lineage_events}, a {@code Null} table: each block's key
 *       events (reads of any status, writes and deletes that did not fail);</li>
 *   <li>on those events, the block's rows: its writes, and its reads joined ({@code ASOF}) to the last write of their
 *       place among the block's writes and the stored writes of the block's places only (read by the table's
 *       primary key, never the whole table);</li>
 *   <li>on the same events, the stored reads of the block's written places that began after one of its writes,
 *       answered again by those writes: a write that arrives after its read (another service's batch, a retried
 *       export) still becomes the read's writer.</li>
 * </ul>
 * Each read's row is written again whenever a later writer is found, with the writer's end as the version of a
 * {@code ReplacingMergeTree}: the greatest writer end that is still before the read wins, which is what a join of
 * the whole table gives, whatever order the spans arrived in. On a cluster the events go through a Distributed table
 * sharded by place, so every event of a place, and so each join, is on one shard.
 */
public final class LineageRows {

  public static final String TABLE = "memtrace_lineage";
  public static final String EVENTS = "memtrace_lineage_events";

  private LineageRows() {
  }

  /**
   * Sorted by (Place, Time, Row): a place's rows, the writes a block's reads are joined to, are one range of the
   * primary key, and the rows of a place come in the order wasted writes follows (a read at its start, a write at its
   * end, a write before a read at the same time). Day partitions, as memtrace_ops, so a TTL drops whole days; a read's
   * versions share its Time and so its partition.
   */
  static Table table() {
    String columns = String.join("\n",
        "    Place String CODEC(ZSTD(1)),",
        "    Time Int64 CODEC(Delta(8), ZSTD(1)),",
        "    Row Enum8('write' = 1, 'read' = 2),",
        "    TraceId String CODEC(ZSTD(1)),",
        "    SpanId String CODEC(ZSTD(1)),",
        "    Layer Enum8('memory' = 1, 'redis' = 2),",
        "    Access Enum8('read' = 1, 'write' = 2, 'delete' = 3),",
        "    Start Int64 CODEC(ZSTD(1)),",
        "    Key String CODEC(ZSTD(1)),",
        "    Namespace Nullable(String) CODEC(ZSTD(1)),",
        "    StatusCode LowCardinality(String),",
        "    Found Nullable(Bool),",
        "    Ttl Nullable(Int64) CODEC(ZSTD(1)),",
        "    ValueSize Nullable(Int64) CODEC(ZSTD(1)),",
        "    WriteTraceId Nullable(String) CODEC(ZSTD(1)),",
        "    WriteSpanId Nullable(String) CODEC(ZSTD(1)),",
        "    WriteAccess Nullable(Enum8('write' = 2, 'delete' = 3)),",
        "    WriteEnd Nullable(Int64) CODEC(ZSTD(1)),",
        "    WriteTtl Nullable(Int64) CODEC(ZSTD(1)),",
        "    Version UInt64 CODEC(ZSTD(1)),",
        "    " + LATE_COLUMN);
    return new Table(TABLE, "memtrace: each read with its writer, and each write, kept at insert", columns,
        "ReplacingMergeTree(Version)", "toDate(fromUnixTimestamp64Micro(Time))", null, "(Place, Time, Row, TraceId, SpanId)",
        "toDateTime(fromUnixTimestamp64Micro(Time))", "index_granularity = 8192, ttl_only_drop_parts = 1",
        "cityHash64(Place)");
  }

  /**
   * Whether the row is a read's version written by the late view (a write that arrived after its read): the report's
   * lineage sections read each read's rows without {@code FINAL} ({@link LineageReadRows}), and take the greatest
   * version only of the reads that have one of these. Last, as an earlier store gets it ({@code ADD COLUMN}).
   */
  static final String LATE_COLUMN = "Late Bool DEFAULT false";

  /** The events a block of spans gives, as the Null table the lineage views read them from. */
  private static final String EVENT_COLUMNS = String.join(",\n",
      "    place String", "    time_us Int64", "    end_us Int64", "    layer String", "    trace_id String",
      "    span_id String", "    key String", "    namespace Nullable(String)", "    access String",
      "    found Nullable(Bool)", "    value_size Nullable(Int64)", "    ttl Nullable(Int64)", "    status_code String");

  /** The events' Null table (on a cluster: each node's, and the Distributed one over them, sharded by place). */
  static List<String> eventTables(SchemaOptions options) {
    List<String> out = new ArrayList<>();
    String local = eventsLocal(options);
    out.add("CREATE TABLE IF NOT EXISTS " + options.qualified(local) + options.onCluster() + " (\n" + EVENT_COLUMNS
        + "\n) ENGINE = Null\nCOMMENT 'memtrace: the key events of each block of spans, for the lineage views'");
    if (options.clustered()) {
      out.add("CREATE TABLE IF NOT EXISTS " + options.qualified(EVENTS) + options.onCluster() + " AS "
          + options.qualified(local) + "\nENGINE = Distributed('" + options.cluster() + "', '" + options.database()
          + "', '" + local + "', cityHash64(place))");
    }
    return out;
  }

  private static String eventsLocal(SchemaOptions options) {
    return options.clustered() ? EVENTS + "_local" : EVENTS;
  }

  /** The three views, in the order they must be made. */
  static List<String> views(SchemaOptions options) {
    return List.of(eventsView(options), blockView(options), lateView(options));
  }

  /**
   * The key events of spans read from {@code spans} (the span facts' columns as {@code s}), as the events table
   * takes them: reads of any status (lineage counts a failed read), writes and deletes that did not fail.
   */
  static String eventsSelect(SchemaOptions options, String spans) {
    List<String> columns = new ArrayList<>();
    java.util.Map<String, String> derived = SpanColumns.all("o.");
    for (String name : LineageEvents.SPAN_COLUMNS) {
      columns.add((SpanColumns.STORED.containsKey(name) ? "s." + name : derived.get(name)) + " AS " + name);
    }
    String typed = "(SELECT " + String.join(", ", columns) + " FROM " + spans + " AS s)";
    return "SELECT place, time_us, end_us, layer, trace_id, span_id, assumeNotNull(key) AS key, namespace, access, "
        + "found, value_size, ttl, status_code\nFROM " + LineageEvents.select(typed) + "\nWHERE key IS NOT NULL AND (access = 'read' OR (access IN ('write', "
        + "'delete') AND status_code != 'ERROR'))";
  }

  private static String eventsView(SchemaOptions options) {
    return "CREATE MATERIALIZED VIEW IF NOT EXISTS " + options.qualified(EVENTS + "_mv") + options.onCluster()
        + "\nTO " + options.qualified(EVENTS) + "\nAS " + eventsSelect(options,
        SpanFacts.source(options));
  }

  /** The columns of a lineage row other than its writer's, from a row {@code r} of the table. */
  private static final String READ_COLUMNS = "r.Place AS Place, r.Time AS Time, r.Row AS Row, r.TraceId AS TraceId, "
      + "r.SpanId AS SpanId, r.Layer AS Layer, r.Access AS Access, r.Start AS Start, r.Key AS Key, "
      + "r.Namespace AS Namespace, r.StatusCode AS StatusCode, r.Found AS Found, r.Ttl AS Ttl, r.ValueSize AS ValueSize";

  /** The writer's columns of a lineage row, from a write {@code w} of {@link #writes}. */
  private static final String WRITER_COLUMNS = "w.w_trace_id AS WriteTraceId, w.w_span_id AS WriteSpanId, "
      + "w.w_access AS WriteAccess, w.w_end_n AS WriteEnd, w.w_ttl AS WriteTtl, toUInt64(coalesce(w.w_end_n, 0)) AS Version";

  /** The writes among the events {@code events}, as a read is joined to them (nullable, so a read without one has NULL). */
  private static String writes(String events) {
    return "SELECT place, end_us AS w_end, toNullable(end_us) AS w_end_n, toNullable(trace_id) AS w_trace_id, "
        + "toNullable(span_id) AS w_span_id, toNullable(access) AS w_access, ttl AS w_ttl FROM " + events
        + " WHERE access != 'read'";
  }

  /**
   * Each event of the block as its row: a write as itself; a read with the last write of its place that ended before
   * it began, among the block's writes and the stored writes of the block's read places (a primary-key range each).
   * A write's own join time, -1, matches nothing.
   */
  private static String blockView(SchemaOptions options) {
    String events = options.qualified(eventsLocal(options));
    String table = options.qualified(table().local(options));
    String stored = "SELECT Place AS place, Time AS w_end, toNullable(Time) AS w_end_n, toNullable(TraceId) AS w_trace_id, "
        + "toNullable(SpanId) AS w_span_id, toNullable(toString(Access)) AS w_access, Ttl AS w_ttl FROM " + table
        + " WHERE Row = 'write' AND Place IN (SELECT place FROM " + events + " WHERE access = 'read')";
    return "CREATE MATERIALIZED VIEW IF NOT EXISTS " + options.qualified(TABLE + "_mv") + options.onCluster()
        + "\nTO " + table + "\nAS SELECT e.place AS Place, if(e.access = 'read', e.time_us, e.end_us) AS Time, "
        + "if(e.access = 'read', 'read', 'write') AS Row, e.trace_id AS TraceId, e.span_id AS SpanId, e.layer AS Layer, "
        + "e.access AS Access, e.time_us AS Start, e.key AS Key, e.namespace AS Namespace, e.status_code AS StatusCode, "
        + "e.found AS Found, e.ttl AS Ttl, e.value_size AS ValueSize, " + WRITER_COLUMNS
        + "\nFROM (SELECT *, if(access = 'read', time_us, -1) AS join_us FROM " + events + ") AS e"
        + "\nASOF LEFT JOIN (" + writes(events) + "\n    UNION ALL " + stored + ") AS w"
        + "\nON e.place = w.place AND e.join_us >= w.w_end";
  }

  /**
   * The stored reads of the places the block wrote, that began at or after the block's first write there, answered
   * again by the block's writes where one is later than the writer the read has: a late write. The view reads the
   * block first (ClickHouse triggers a view on the first table it reads), then the stored reads of its places.
   */
  private static String lateView(SchemaOptions options) {
    return "CREATE MATERIALIZED VIEW IF NOT EXISTS " + options.qualified(LATE_VIEW) + options.onCluster()
        + "\nTO " + options.qualified(table().local(options)) + "\nAS " + lateSelect(options);
  }

  /** The late view's name. */
  public static final String LATE_VIEW = TABLE + "_late_mv";

  /** The late view's query: its rows say they are late ({@link #LATE_COLUMN}). */
  public static String lateSelect(SchemaOptions options) {
    String events = options.qualified(eventsLocal(options));
    String table = options.qualified(table().local(options));
    String written = "SELECT place, min(end_us) AS first_end FROM " + events + " WHERE access != 'read' GROUP BY place";
    // no read older than the block's first write: in the usual order of arrival only the newest parts are read
    String reads = "SELECT * FROM " + table + " WHERE Row = 'read' AND Time >= (SELECT min(end_us) FROM " + events
        + " WHERE access != 'read') AND Place IN (SELECT place FROM " + events + " WHERE access != 'read')";
    return "SELECT " + READ_COLUMNS + ", " + WRITER_COLUMNS + ", true AS Late"
        + "\nFROM (SELECT r.* FROM (" + written + ") AS p\n    INNER JOIN (" + reads + ") AS r ON r.Place = p.place"
        + " WHERE r.Time >= p.first_end) AS r"
        + "\nASOF INNER JOIN (" + writes(events) + ") AS w\nON r.Place = w.place AND r.Time >= w.w_end"
        + "\nWHERE w.w_end > coalesce(r.WriteEnd, -1)";
  }

  /**
   * Fills the table once from the spans stored before it (a store made by an earlier schema): their events go
   * through the events table, so the views join them as they would have at insert.
   */
  static String fill(SchemaOptions options) {
    return "INSERT INTO " + options.qualified(EVENTS) + " " + eventsSelect(options,
        SpanFacts.stored(options));
  }
}
