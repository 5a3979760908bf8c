package io.memtrace.collector.report;

import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;

/**
 * Writes nobody read: from {@code key_events} of the report's layer, each write is followed to the next
 * access of its key in the same place (the same Redis and database, or memory store), in the order the
 * {@code lineage} view uses (a write counts from its end, a read from its start). A write is wasted when
 * the value was overwritten or deleted before any read, or expired (its own TTL ran out) before the next
 * read or before the last span stored. A write whose value is still live and unread is not counted: it
 * may yet be read (the key lists name those).
 */
final class WastedWrites {

  private WastedWrites() {
  }

  static Section section(SqlSource source, Layer layer, String since) {
    String place = layer == Layer.MEMORY ? "coalesce(namespace, '')" : "coalesce(redis, ''), coalesce(db, -1)";
    String expired = "ttl > 0 AND epoch_us(end_time) + ttl * 1000000 <= epoch_us(coalesce(next_t, last_t))";
    ResultTable all = source.query("WITH e AS (SELECT namespace, redis, db, key, access, ttl, value_size, end_time, "
        + "CASE WHEN access = 'read' THEN time ELSE end_time END AS t FROM key_events WHERE layer = '" + layer.viewName()
        + "' AND key IS NOT NULL AND access IN ('read', 'write', 'delete') AND status_code IS DISTINCT FROM 'ERROR'"
        + since.replace("start_time", "time") + "), "
        + "followed AS (SELECT *, lead(access) OVER w AS next_access, lead(t) OVER w AS next_t, max(t) OVER () AS last_t "
        + "FROM e WINDOW w AS (PARTITION BY " + place + ", key ORDER BY t, access = 'read')), "
        + "writes AS (SELECT namespace, value_size, CASE WHEN " + expired + " THEN 'expired' WHEN next_access = 'write' "
        + "THEN 'overwritten' WHEN next_access = 'delete' THEN 'deleted' END AS wasted FROM followed WHERE access = 'write') "
        + "SELECT GROUPING(namespace) = 1 AS total, coalesce(namespace, '(none)') AS namespace, count(*) AS writes, "
        + "count(wasted) AS wasted, round(count(wasted) / count(*), 4) AS wasted_share, "
        + "count(*) FILTER (WHERE wasted = 'overwritten') AS overwritten, "
        + "count(*) FILTER (WHERE wasted = 'deleted') AS deleted, count(*) FILTER (WHERE wasted = 'expired') AS expired, "
        + "coalesce(sum(value_size) FILTER (WHERE wasted IS NOT NULL), 0)::BIGINT AS wasted_bytes "
        + "FROM writes GROUP BY GROUPING SETS ((namespace), ()) ORDER BY total DESC, wasted DESC, namespace");
    java.util.List<java.util.List<Object>> rows = new java.util.ArrayList<>();
    java.util.List<ResultTable.Column> columns = all.columns().subList(1, all.columns().size());
    for (int i = 1; i < all.size() && rows.size() < ReportBuilder.LIST; i++) {
      rows.add(all.rows().get(i).subList(1, columns.size() + 1));
    }
    Section section = new Section("wasted_writes", "Writes never read (wasted writes)", "Writes whose value was "
        + "overwritten, deleted or expired before any read, by namespace, most wasted first; wasted_bytes sums their "
        + "value sizes.", new ResultTable(columns, rows, false));
    if (all.size() > 0) {
      section.with("writes", all.number(0, "writes")).with("wasted", all.number(0, "wasted"))
          .with("overwritten", all.number(0, "overwritten")).with("deleted", all.number(0, "deleted"))
          .with("expired", all.number(0, "expired"));
    }
    return section;
  }
}
