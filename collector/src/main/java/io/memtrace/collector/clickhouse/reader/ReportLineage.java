package io.memtrace.collector.clickhouse.reader;

import io.memtrace.collector.CollectorException;
import io.memtrace.collector.clickhouse.LineageEvents;
import io.memtrace.collector.clickhouse.LineageReadRows;
import io.memtrace.collector.clickhouse.LineageRows;
import io.memtrace.collector.clickhouse.NextAccessRows;
import io.memtrace.collector.embedded.LineageSections;
import io.memtrace.collector.embedded.WastedWrites;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.reader.Layer;
import io.memtrace.collector.reader.Section;
import io.memtrace.collector.timeline.MissCauses;
import java.util.List;
import java.util.Map;

/**
 * The report's lineage over a whole layer ({@link Lineage}'s rows): value age and the misses after a write from one
 * statement, which also finds the stale reads memory health's TTL section asks ({@link #staleReads}), and the writes
 * nobody read.
 */
final class ReportLineage {

  private final SqlSource source;
  private final Lineage lineage;

  ReportLineage(SqlSource source) {
    this.source = source;
    this.lineage = new Lineage(source);
  }

  /** The lineage rows of the layer's reads, for a statement that joins them itself ({@link Lineage#layerRows}). */
  String layerRows(Layer layer, long since) {
    return lineage.layerRows(layer, since);
  }

  /**
   * Value age and the misses after a write, from one statement ({@link Parts}): over each read's current row kept
   * apart where the store keeps them and the report reads the kept lineage ({@link #keptParts}); otherwise over the
   * layer's lineage rows, computed once ({@link #joinedParts}).
   */
  List<Section> sections(Layer layer, long since) {
    try {
      Parts asked = lineage.keptFor(since) && readsKept() ? keptParts(layer) : joinedParts(layer, since);
      Map<String, ResultTable> parts = asked.query();
      ResultTable stale = parts.get("stale");
      staleReads = stale.size() > STALE_ROWS ? null : staleRows(stale);
      staleOf = layer + "@" + since;
      return List.of(LineageSections.valueAge(parts.get("ages")), LineageSections.misses(parts.get("misses"),
          parts.get("latest"), MissCauses.ifNotified(source, "SELECT 1 FROM memtrace_key_notification_status LIMIT 1",
              new ClickHouseTimeline(source)::timeline)));
    } catch (CollectorException e) {
      String note = "Not computed: " + e.getMessage() + ". Joining every read to its write takes longest over the "
          + "Redis layer of a large store; narrow it with --since.";
      ResultTable empty = new ResultTable(List.of(), List.of(), false);
      return List.of(new Section("value_age", "Value age at read", note, empty),
          new Section("misses_after_write", "Reads that found nothing after a write", note, empty));
    }
  }

  /** The four queries of {@link #sections} over the layer's lineage rows ({@link #layerRows}), computed once. */
  private Parts joinedParts(Layer layer, long since) {
    String aged = "writer = 'seen' AND write_access = 'write' AND (found IS NULL OR found) "
        + "AND read_status_code != 'ERROR'";
    String missed = NoticedMissRows.of("(SELECT * FROM lin WHERE found = false)");
    return new Parts(source, "WITH lin AS MATERIALIZED (" + lineage.layerRows(layer, since) + ")",
        ", join_use_nulls = 1")
        .add("ages", new Parts.Part("SELECT namespace, reads, writer_seen, writer_not_in_store, writer_compressed, "
            + "if(aged = 0, NULL, round(q[1], 3)) AS age_p50_ms, if(aged = 0, NULL, round(q[2], 3)) AS age_p99_ms FROM ("
            + "SELECT coalesce(namespace, '(none)') AS namespace, count() AS reads, countIf(writer = 'seen') AS writer_seen, "
            + "countIf(writer = 'not_in_store') AS writer_not_in_store, countIf(writer = 'compressed') AS writer_compressed, "
            + "countIf(" + aged + ") AS aged, quantilesExactInclusiveIf(0.5, 0.99)(value_age_ms, " + aged + ") AS q "
            + "FROM lin GROUP BY namespace)",
            AGES, AGES_ORDER))
        .add("misses", new Parts.Part("SELECT coalesce(namespace, '(none)') AS namespace, "
            + "countIf(miss = 'expired') AS expired, countIf(miss = 'evicted') AS evicted, "
            + "countIf(miss = 'deleted') AS after_delete, countIf(miss = 'unknown') AS unknown FROM " + missed
            + " GROUP BY namespace", MISSES, "namespace"))
        .add("latest", new Parts.Part("SELECT key, namespace, miss, " + ClickHouseReport.time("read_time_us")
            + " AS read_time, round(value_age_ms, 3) AS written_ms_before, write_ttl AS ttl_s, read_trace_id, "
            + "write_trace_id, read_span_id, read_time_us FROM " + missed
            + " WHERE miss IN ('expired', 'evicted', 'unknown') ORDER BY " + LATEST_ORDER + " LIMIT " + ClickHouseReport.LIST,
            LATEST, LATEST_ORDER))
        .add("stale", new Parts.Part("SELECT " + String.join(", ", STALE) + " FROM lin WHERE " + STALE_READ
            + " ORDER BY " + STALE_ORDER + " LIMIT " + (STALE_ROWS + 1), STALE, STALE_ORDER));
  }

  /**
   * The same four queries over each read's current row kept in {@code memtrace_lineage_reads} ({@link KeptReads}):
   * no {@code FINAL} and no rows computed for all four; each query reads what it asks (1.0-1.2 s of CPU against
   * 0.18 s for the memory layer at 10M spans, 1.7 s against 0.22-0.24 s for the Redis layer).
   */
  private Parts keptParts(Layer layer) {
    KeptReads reads = new KeptReads(layer);
    // on a cluster each shard's reads are checked against its own late reads: a read's versions are on its place's
    // shard, as the lineage's
    return new Parts(source, "", ", distributed_product_mode = 'local'")
        .add("ages", new Parts.Part(reads.ages(), AGES, AGES_ORDER))
        .add("misses", new Parts.Part(reads.misses(), MISSES, "namespace"))
        .add("latest", new Parts.Part(reads.latest(ClickHouseReport.LIST), LATEST, LATEST_ORDER))
        .add("stale", new Parts.Part(reads.stale(STALE, STALE_ROWS + 1), STALE, STALE_ORDER));
  }

  private static final List<String> AGES = List.of("namespace", "reads", "writer_seen", "writer_not_in_store",
      "writer_compressed", "age_p50_ms", "age_p99_ms");
  private static final String AGES_ORDER = "reads DESC, namespace";
  private static final List<String> MISSES = List.of("namespace", "expired", "evicted", "after_delete", "unknown");
  private static final List<String> LATEST = List.of("key", "namespace", "miss", "read_time", "written_ms_before",
      "ttl_s", "read_trace_id", "write_trace_id", "read_span_id");
  private static final String LATEST_ORDER = "read_time_us DESC, key, read_trace_id";
  private static final String STALE_ORDER = "read_time_us DESC, read_trace_id, key";

  private Boolean readsKept;

  /** Whether the store keeps each read's rows apart ({@code memtrace_lineage_reads}; an earlier schema has not). */
  private boolean readsKept() {
    if (readsKept == null) {
      readsKept = KeptTable.exists(source, LineageReadRows.TABLE);
    }
    return readsKept;
  }

  /** The columns memory health asks of a stale read ({@link io.memtrace.collector.health.HealthDialect#lineage}). */
  private static final List<String> STALE = List.of("key", "namespace", "found", "writer", "write_ttl",
      "value_age_ms", "read_trace_id", "read_time_us");
  private static final String STALE_TYPES = "key Nullable(String), namespace Nullable(String), found Nullable(Bool), "
      + "writer String, write_ttl Nullable(Int64), value_age_ms Nullable(Float64), read_trace_id String, "
      + "read_time_us Int64";
  /** A read whose value outlived the TTL its write set, as memory health's TTL section finds one. */
  private static final String STALE_READ = "writer = 'seen' AND coalesce(found, true) AND write_ttl > 0 "
      + "AND value_age_ms > write_ttl * 1000";
  /**
   * Up to this many stale reads (and {@code STALE_CHARS} of SQL) are handed to memory health as rows; past it, health
   * joins the reads again.
   */
  static final int STALE_ROWS = 1000;
  private static final int STALE_CHARS = 100_000;

  /** The stale reads {@link #sections} found, as a parenthesized subquery of rows; null if not found or too many. */
  private String staleReads;
  private String staleOf;
  private Map<String, Long> wasted;
  private String wastedOf;

  /**
   * The stale reads of {@code layer} since {@code since} as {@link #sections} found them with the other lineage
   * sections, as rows in the statement (at most {@link #STALE_ROWS} of them), or null: then they are to be found by
   * joining the reads again ({@link #layerRows}).
   */
  String staleReads(Layer layer, long since) {
    return (layer + "@" + since).equals(staleOf) ? staleReads : null;
  }

  /**
   * The writes of {@code layer} since {@code since} nobody read, per namespace (every one of them, not only the
   * section's first), as {@link #wastedWrites} counted them; null when it has not, or could not. The memory layer's
   * are memory health's writes never read per store, as the embedded store hands them over.
   */
  Map<String, Long> wasted(Layer layer, long since) {
    return (layer + "@" + since).equals(wastedOf) ? wasted : null;
  }

  /** Whether the store keeps each read's writer at insert ({@code memtrace_lineage}), which wasted writes then read. */
  boolean kept() {
    return lineage.kept();
  }

  /** The rows of {@code layer} of a table whose first column is the layer, without that column, in their order. */
  private static ResultTable ofLayer(ResultTable all, Layer layer) {
    List<List<Object>> rows = new java.util.ArrayList<>();
    for (List<Object> row : all.rows()) {
      if (layer.viewName().equals(row.get(0))) {
        rows.add(row.subList(1, row.size()));
      }
    }
    return new ResultTable(all.columns().subList(1, all.columns().size()), rows, false);
  }

  private static String staleRows(ResultTable stale) {
    if (stale.size() == 0) {
      return "(SELECT * FROM values('" + STALE_TYPES + "', (NULL, NULL, NULL, '', NULL, NULL, '', 0)) WHERE false)";
    }
    List<String> rows = new java.util.ArrayList<>();
    for (List<Object> row : stale.rows()) {
      List<String> values = new java.util.ArrayList<>();
      for (Object v : row) {
        values.add(v == null ? "NULL" : v instanceof String text ? ClickHouseTraces.literal(text) : v instanceof Double d
            ? d.isNaN() || d.isInfinite() ? "NULL" : d.toString() : v.toString());
      }
      rows.add("(" + String.join(", ", values) + ")");
    }
    String values = String.join(", ", rows);
    // well inside ClickHouse's max_query_size (256 KiB), with the statement around it
    return values.length() > STALE_CHARS ? null : "(SELECT * FROM values('" + STALE_TYPES + "', " + values + "))";
  }

  /** Writes nobody read (see the embedded store's {@code WastedWrites}), each followed to the next access of its place. */
  Section wastedWrites(Layer layer, long since) {
    return wastedWrites(layer, since, false);
  }

  /**
   * {@link #wastedWrites(Layer, long)}; with {@code memoryToo}, where lineage is kept and {@code layer} is not the
   * memory layer, the memory layer's writes nobody read are counted by the same statement for {@link #wasted}: the
   * two layers' rows come from one statement. Where each write's next access is kept ({@code memtrace_next_access})
   * and the report has no start, the writes are read with it ({@link #keptWrites}); otherwise each place's accesses are
   * followed by a window: one layer's rows are the range of its places' prefix in the kept lineage's sorting key, read
   * alone, without {@code FINAL} (1.2 s of CPU for the whole table at 10M spans): what wasted writes ask of a read is
   * that it is one, at its time, which each of its versions says. A start leaves out the accesses before it, which
   * may be a kept write's next access, so a report from a start follows the accesses.
   */
  Section wastedWrites(Layer layer, long since, boolean memoryToo) {
    boolean both = memoryToo && lineage.kept() && layer != Layer.MEMORY;
    String inLayers = both ? "Layer IN ('" + layer.viewName() + "', '" + Layer.MEMORY.viewName() + "')"
        : placesOf(layer);
    String writes;
    String settings = "";
    if (since == 0 && lineage.kept() && nextKept()) {
      // each layer read by its places' range and the two added: at 10M spans 0.53 s of CPU against 1.10-1.26 s for
      // one read of the whole table by layer (the same rows)
      writes = both ? "(SELECT * FROM " + keptWrites(placesOf(layer)) + " UNION ALL SELECT * FROM "
          + keptWrites(placesOf(Layer.MEMORY)) + ")" : keptWrites(inLayers);
    } else {
      String events;
      String order;
      if (lineage.kept()) {
        // without FINAL: a read's versions (a later writer found) share its sorting key, so they follow each other
        // and a write's next access is the same read whichever version comes first; only reads have versions
        events = "(SELECT toString(Layer) AS layer, Namespace AS namespace, toString(Access) AS access, Ttl AS ttl, "
            + "ValueSize AS value_size, Time AS end_us, Place AS place, Time AS t, Row, TraceId, SpanId FROM "
            + LineageRows.TABLE + " WHERE " + inLayers + " AND StatusCode != 'ERROR'"
            + (since > 0 ? " AND Start >= " + since : "") + ")";
        order = "t, Row, TraceId, SpanId";
        // the window's partition and order are the table's sorting key (a place is of one layer: its prefix), so
        // its parts are read in that order and merged instead of sorted (3.8-4.1 s of CPU against 6.4-7.0 s for
        // both layers at 10M spans; ClickHouse 26.9 sorts unless told)
        settings = " SETTINGS query_plan_reuse_storage_ordering_for_window_functions = 1";
      } else {
        events = "(SELECT layer, namespace, access, ttl, value_size, end_us, place, "
            + "if(access = 'read', time_us, end_us) AS t FROM " + lineage.events(since, "") + " WHERE layer = '"
            + layer.viewName() + "' AND key IS NOT NULL AND access IN ('read', 'write', 'delete') "
            + "AND status_code != 'ERROR')";
        order = "t, access = 'read'";
      }
      String followed = "(SELECT *, leadInFrame(toNullable(access)) OVER w AS next_access, "
          + "leadInFrame(toNullable(t)) OVER w AS next_t FROM " + events + " WINDOW w AS (PARTITION BY place ORDER BY "
          + order + " ROWS BETWEEN CURRENT ROW AND 1 FOLLOWING))";
      writes = "(SELECT layer, namespace, value_size, " + why("ttl", "end_us", "coalesce(next_t, " + NOW_MICROS + ")",
          "next_access") + " AS why FROM " + followed + " WHERE access = 'write')";
    }
    try {
      // why as a number: at 10M spans the kept writes' statement took 0.51-0.53 s of CPU for both layers
      // against 0.77-0.87 s with the reason as text, the same rows (docs/fleet.md, "The reason as a number")
      ResultTable all = source.query("SELECT " + (both ? "toString(layer) AS layer, " : "")
          + "coalesce(namespace, '(none)') AS namespace, count() AS writes, countIf(why > 0) AS wasted, "
          + "round(wasted / writes, 4) AS wasted_share, countIf(why = 2) AS overwritten, countIf(why = 3) AS deleted, "
          + "countIf(why = 1) AS expired, toInt64(coalesce(sumIf(value_size, why > 0), 0)) AS wasted_bytes FROM "
          + writes + " GROUP BY " + (both ? "layer, " : "") + "namespace ORDER BY wasted DESC, namespace" + settings);
      Layer counted = both ? Layer.MEMORY : layer;
      ResultTable own = both ? ofLayer(all, layer) : all;
      ResultTable kept = both ? ofLayer(all, counted) : all;
      wasted = new java.util.LinkedHashMap<>();
      for (int i = 0; i < kept.size(); i++) {
        wasted.put(kept.text(i, "namespace"), kept.number(i, "wasted"));
      }
      wastedOf = counted + "@" + since;
      return WastedWrites.section(own);
    } catch (CollectorException e) {
      return new Section("wasted_writes", WastedWrites.TITLE, "Not computed: " + e.getMessage() + ".",
          new ResultTable(List.of(), List.of(), false));
    }
  }

  /** The condition of one layer's rows: the range of its places' prefix in the sorting key, and the layer. */
  private static String placesOf(Layer layer) {
    return LineageEvents.inLayer("Place", layer) + " AND Layer = '" + layer.viewName() + "'";
  }

  /**
   * Why a write that ended at {@code end} was wasted, from the time and kind of its place's next access (both NULL
   * when none), as a number: 1 it expired before that access (or before now, with none), 2 the access overwrote it,
   * 3 it deleted it; 0 when it was read, or is still there.
   */
  private static String why(String ttl, String end, String nextTime, String nextAccess) {
    return "multiIf(" + ttl + " > 0 AND " + end + " + " + ttl + " * 1000000 <= " + nextTime + ", 1, " + nextAccess
        + " = 'write', 2, " + nextAccess + " = 'delete', 3, 0)";
  }

  private static final String NOW_MICROS = "toUnixTimestamp64Micro(now64(6))";

  /**
   * The writes of the layers {@code inLayers} selects with their next access as {@code memtrace_next_access} keeps
   * it ({@link NextAccessRows}), without reading any read: a write's rows (one per insert that found it an earlier
   * access) merged by {@code FINAL}, which takes their least access as it reads the parts in order (0.3 s of CPU for
   * the memory layer's 2.5M writes at 10M spans, where a {@code GROUP BY} of the write's key hashed them in 3.2-4.2 s).
   */
  private static String keptWrites(String inLayers) {
    // the next access's kind compared as the enum it is ('none' where there is none), the layer left one; its time
    // and kind from the column without the ids, which FINAL reads whole
    return "(SELECT Layer AS layer, Namespace AS namespace, ValueSize AS value_size, " + why("Ttl", "Time",
        "if(NextAccess.3 = 'none', " + NOW_MICROS + ", NextAccess.1)", "NextAccess.3") + " AS why FROM "
        + NextAccessRows.TABLE + " FINAL WHERE " + inLayers + ")";
  }

  private Boolean nextKept;

  /**
   * Whether the store keeps each write's next access with its time and kind apart ({@code memtrace_next_access} and
   * its column {@code NextAccess}; an earlier schema has not, until {@code clickhouse init} runs again, and the writes
   * are then followed to their next access as where none is kept).
   */
  private boolean nextKept() {
    if (nextKept == null) {
      nextKept = source.query(NEXT_KEPT).size() > 0;
    }
    return nextKept;
  }

  /** The statement that asks whether the store keeps the next accesses {@link #keptWrites} reads: a row if it does. */
  static final String NEXT_KEPT = "SELECT 1 AS kept FROM system.columns WHERE database = currentDatabase() "
      + "AND table = '" + NextAccessRows.TABLE + "' AND name = 'NextAccess'";
}
