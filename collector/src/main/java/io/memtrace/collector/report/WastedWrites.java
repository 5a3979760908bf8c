package io.memtrace.collector.report;

import io.memtrace.collector.CollectorException;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import java.util.List;

/**
 * Writes nobody read: from {@code key_events} of the report's layer, each write is followed to the next
 * access of its key in the same place (the same Redis and database, or memory store, as the view's place
 * hashes of {@code key_event_rows} say), in the order the {@code lineage} view uses (a write counts
 * from its end, a read from its start). A write is wasted when the value was overwritten or deleted before
 * any read, or expired (its own TTL ran out) before the next read, or before now when no read came. A write whose value is still live and unread is not counted: it
 * may yet be read (the key lists name those).
 */
final class WastedWrites {

  static final String TITLE = "Writes never read (wasted writes)";

  private WastedWrites() {
  }

  static Section section(SqlSource source, Layer layer, String since) {
    // a TTL that ran out before the next read, or before now when none came
    String expired = "ttl > 0 AND epoch_us(end_time) + ttl * 1000000 <= coalesce(next_t, epoch_us(now()))";
    ResultTable all;
    try {
      all = source.query("WITH e AS (SELECT namespace, access, ttl, value_size, end_time, place_a, place_b, "
          + "epoch_us(CASE WHEN access = 'read' THEN time ELSE end_time END) AS t FROM key_event_rows WHERE layer = '"
          + layer.viewName() + "' AND key IS NOT NULL AND access IN ('read', 'write', 'delete') "
          + "AND status_code IS DISTINCT FROM 'ERROR'" + since.replace("start_time", "time") + "), "
          + "followed AS (SELECT *, lead(access) OVER w AS next_access, lead(t) OVER w AS next_t "
          + "FROM e WINDOW w AS (PARTITION BY place_a, place_b ORDER BY t, access = 'read')), "
          + "writes AS (SELECT namespace, value_size, CASE WHEN " + expired + " THEN 'expired' WHEN next_access = 'write' "
          + "THEN 'overwritten' WHEN next_access = 'delete' THEN 'deleted' END AS wasted FROM followed WHERE access = 'write') "
          + "SELECT coalesce(namespace, '(none)') AS namespace, count(*) AS writes, count(wasted) AS wasted, "
          + "round(count(wasted) / count(*), 4) AS wasted_share, count(*) FILTER (WHERE wasted = 'overwritten') AS overwritten, "
          + "count(*) FILTER (WHERE wasted = 'deleted') AS deleted, count(*) FILTER (WHERE wasted = 'expired') AS expired, "
          + "coalesce(sum(value_size) FILTER (WHERE wasted IS NOT NULL), 0)::BIGINT AS wasted_bytes "
          + "FROM writes GROUP BY 1 ORDER BY wasted DESC, namespace");
    } catch (CollectorException e) {
      return new Section("wasted_writes", TITLE, Unfinished.note(e), Unfinished.EMPTY);
    }
    List<List<Object>> rows = all.rows().subList(0, Math.min(ReportBuilder.LIST, all.size()));
    return new Section("wasted_writes", TITLE, "Writes whose value was overwritten, deleted or expired before any read, "
        + "by namespace, most wasted first; wasted_bytes sums their value sizes. A write followed by another write "
        + "counts as overwritten even when the second added to the value (RPUSH, a chat memory's store): the spans "
        + "do not say which writes replace a value.",
        new ResultTable(all.columns(), rows, false))
        .with("writes", LineageSections.sum(all, "writes")).with("wasted", LineageSections.sum(all, "wasted"))
        .with("overwritten", LineageSections.sum(all, "overwritten")).with("deleted", LineageSections.sum(all, "deleted"))
        .with("expired", LineageSections.sum(all, "expired"));
  }
}
