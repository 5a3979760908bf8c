package io.memtrace.collector.embedded;

import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.reader.Section;

/**
 * What the agent's retention compressed: Redis spans it did not export but counted, per
 * (command, namespace), on the kept span that was their parent or on a {@code memtrace.compressed}
 * summary span (attribute {@code memtrace.compressed.count} and one {@code memtrace.compressed}
 * event per command and namespace). Only the spans that carry the count are read, found through
 * its typed column, so the section costs little however many spans are stored.
 */
public final class CompressedSpans {

  static final String EVENT = "memtrace.compressed";

  private CompressedSpans() {
  }

  /**
   * The counts per command and namespace of the compressed events ({@code e}), grouped by the first two:
   * {@code command, namespace, compressed, total_ms} (unrounded).
   */
  static String eventColumns() {
    String event = "e->>'$.attributes.\"%s\"'";
    return String.format(event, "db.operation.name") + " AS command, "
        + "coalesce(" + String.format(event, "memory.namespace") + ", '(none)') AS namespace, "
        + "sum(TRY_CAST(" + String.format(event, "memtrace.compressed.count") + " AS BIGINT))::BIGINT AS compressed, "
        + "sum(TRY_CAST(" + String.format(event, "memtrace.compressed.duration_ms") + " AS DOUBLE)) AS total_ms";
  }

  /** @param rolled whether to read the kept rollup ({@link ReportRollups}) rather than the spans: never with a since */
  static Section section(SqlSource source, String from, String since, boolean rolled) {
    ResultTable table = source.query("SELECT command, namespace, compressed, round(total_ms, 3) AS total_ms FROM "
        + (rolled ? RollupSql.COMPRESSED.view() : "(SELECT " + eventColumns() + " FROM (SELECT unnest(CAST(events AS "
        + "JSON[])) AS e FROM " + from + " WHERE memtrace_compressed_count IS NOT NULL" + since + ") WHERE e->>'name' = '"
        + EVENT + "' GROUP BY 1, 2)") + " ORDER BY compressed DESC, command, namespace LIMIT " + ReportBuilder.LIST);
    // the totals kept per service, or counted over every span
    ResultTable totals = source.query(rolled ? "SELECT coalesce(sum(spans), 0)::BIGINT AS kept, "
        + "coalesce(sum(compressed), 0)::BIGINT AS compressed FROM " + RollupSql.SERVICES.view()
        : "SELECT count(*) AS kept, coalesce(sum(memtrace_compressed_count), 0)::BIGINT "
        + "AS compressed FROM " + from + " WHERE true" + since);
    return section(table, totals.number(0, "kept"), totals.number(0, "compressed"));
  }

  /**
   * The section from the counts per command and namespace ({@code command, namespace, compressed, total_ms}) and the
   * spans kept and compressed in all; any store's.
   */
  public static Section section(ResultTable table, long kept, long compressed) {
    String note = compressed == 0 ? "No compressed spans: retention was off, or kept every span."
        : "Spans the agent's retention counted instead of exporting, by Redis command and namespace.";
    return new Section("compressed", "Compressed spans", note, table).with("kept_spans", kept)
        .with("compressed_spans", compressed)
        .with("compressed_share", kept + compressed == 0 ? 0.0 : Math.round(10_000.0 * compressed / (kept + compressed)) / 10_000.0);
  }
}
