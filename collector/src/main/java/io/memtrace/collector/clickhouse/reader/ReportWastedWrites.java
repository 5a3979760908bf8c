package io.memtrace.collector.clickhouse.reader;

import io.memtrace.collector.CollectorException;
import io.memtrace.collector.clickhouse.LineageEvents;
import io.memtrace.collector.clickhouse.LineageRows;
import io.memtrace.collector.clickhouse.NextAccessRows;
import io.memtrace.collector.embedded.WastedWrites;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.reader.Layer;
import io.memtrace.collector.reader.Section;
import java.util.List;
import java.util.Map;

/**
 * The report's writes nobody read over a whole layer (see the embedded store's {@code WastedWrites}), each followed
 * to the next access of its place: from each write's next access where the store keeps it, else by a window over the
 * layer's accesses. Keeps what it counted per namespace for memory health ({@link #wasted}).
 */
final class ReportWastedWrites {

  private final SqlSource source;
  private final Lineage lineage;
  private Map<String, Long> wasted;
  private String wastedOf;

  ReportWastedWrites(SqlSource source, Lineage lineage) {
    this.source = source;
    this.lineage = lineage;
  }

  /**
   * The writes of {@code layer} since {@code since} nobody read, per namespace (every one of them, not only the
   * section's first), as {@link #section} counted them; null when it has not, or could not. The memory layer's
   * are memory health's writes never read per store, as the embedded store hands them over.
   */
  Map<String, Long> wasted(Layer layer, long since) {
    return (layer + "@" + since).equals(wastedOf) ? wasted : null;
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

  /**
   * The section of the writes of {@code layer} nobody read; with {@code memoryToo}, where lineage is kept and {@code
   * layer} is not the memory layer, the memory layer's writes nobody read are counted by the same statement for {@link
   * #wasted}: the two layers' rows come from one statement. Where each write's next access is kept
   * ({@code memtrace_next_access}) and the report has no start, the writes are read with it ({@link #keptWrites});
   * otherwise each place's accesses are followed by a window: one layer's rows are the range of its places' prefix in
   * the kept lineage's sorting key, read alone, without {@code FINAL} (1.2 s of CPU for the whole table at 10M spans):
   * what wasted writes ask of a read is that it is one, at its time, which each of its versions says. A start leaves
   * out the accesses before it, which may be a kept write's next access, so a report from a start follows the
   * accesses.
   */
  Section section(Layer layer, long since, boolean memoryToo) {
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
