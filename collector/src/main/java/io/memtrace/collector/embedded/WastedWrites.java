package io.memtrace.collector.embedded;

import io.memtrace.collector.CollectorException;
import io.memtrace.collector.lineage.LineageViews;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.reader.Layer;
import io.memtrace.collector.reader.Section;
import java.util.List;

/**
 * Writes nobody read: from {@code key_events} of the report's layer, each write is followed to the next
 * access of its key in the same place (the same Redis and database, or memory store, as the view's place
 * hashes of {@code key_event_rows} say), in the order the {@code lineage} view uses (a write counts
 * from its end, a read from its start). A write is wasted when the value was overwritten or deleted before
 * any read, or expired (its own TTL ran out) before the next read, or before now when no read came. A write whose value is still live and unread is not counted: it
 * may yet be read (the key lists name those).
 */
public final class WastedWrites {

  public static final String TITLE = "Writes never read (wasted writes)";

  private WastedWrites() {
  }

  /** The per-namespace counts from {@code writes (namespace, value_size, wasted)}. */
  private static String counts(String writes) {
    return "SELECT coalesce(namespace, '(none)') AS namespace, count(*) AS writes, count(wasted) AS wasted, "
        + "round(count(wasted) / count(*), 4) AS wasted_share, count(*) FILTER (WHERE wasted = 'overwritten') AS overwritten, "
        + "count(*) FILTER (WHERE wasted = 'deleted') AS deleted, count(*) FILTER (WHERE wasted = 'expired') AS expired, "
        + "coalesce(sum(value_size) FILTER (WHERE wasted IS NOT NULL), 0)::BIGINT AS wasted_bytes "
        + "FROM " + writes + " GROUP BY 1 ORDER BY wasted DESC, namespace";
  }

  /** A TTL that ran out before the next access ({@code next_t}, epoch microseconds), or before now when none came. */
  private static final String EXPIRED = "ttl > 0 AND epoch_us(end_time) + ttl * 1000000 <= coalesce(next_t, epoch_us(now()))";

  /** The events of the report's layer that count: reads, writes and deletes of a key that did not fail. */
  private static String events(String relation, String columns, Layer layer, String since) {
    return "SELECT " + columns + " FROM " + relation + " WHERE layer = '" + layer.viewName() + "' AND key IS NOT NULL "
        // a CASE, not IN: DuckDB pushes only a zone-map check of the IN into the scan and then compares every row
        // with each value in a filter of its own (0.3-0.45 s of CPU for the 8M Redis events of a 10M-span store)
        + "AND CASE access WHEN 'read' THEN true WHEN 'write' THEN true WHEN 'delete' THEN true ELSE false END "
        + "AND status_code IS DISTINCT FROM 'ERROR'"
        + since.replace("start_time", "time");
  }

  /**
   * Over the events kept with the write before each ({@code writers}: {@code key_event_writers}, or the table when it
   * holds them all, {@link LineageViews#writers}): the reads that had a write as their
   * writer, and the write or delete that had it as its predecessor, found by hash joins on one 64-bit hash of the
   * place and the write's end, no sort of the store (three joins on the three columns, with the events in a CTE,
   * took 10 s at 10M spans; two on the hash, 3 s; one, 1.6 s). The next access after a write is its first read, if any (every read of it
   * came before its successor, or the successor would be that read's writer), else its successor.
   */
  static String fromAnswers(String writers, Layer layer, String since) {
    String events = "(" + events(writers, "*", layer, since) + ")";
    // one grouping for both: what followed each write, by the hash of its place and end; its aggregates are
    // numbers (the next write or delete as its end in microseconds, doubled, plus one for a delete): with
    // arg_min(access, end_time) the grouping of 5.1M events took a fifth longer at 10M spans
    return "WITH after_write AS (SELECT hash(place_a, place_b, write_end) AS k, "
        + "min(epoch_us(time)) FILTER (WHERE access = 'read') AS first_read, "
        + "min(epoch_us(end_time) * 2 + (access = 'delete')::BIGINT) FILTER (WHERE access <> 'read') AS next "
        + "FROM " + events + " WHERE write_end IS NOT NULL GROUP BY ALL), "
        + "followed AS (SELECT w.namespace, w.value_size, w.ttl, w.end_time, x.first_read, CASE WHEN x.next % 2 = 1 "
        + "THEN 'delete' WHEN x.next IS NOT NULL THEN 'write' END AS next_access, least(x.first_read, x.next // 2) AS next_t "
        + "FROM (SELECT namespace, value_size, ttl, end_time, "
        + "hash(place_a, place_b, end_time) AS k FROM " + events + " WHERE access = 'write') AS w "
        + "LEFT JOIN after_write AS x ON x.k = w.k), "
        + "writes AS (SELECT namespace, value_size, CASE WHEN " + EXPIRED + " THEN 'expired' WHEN first_read IS NULL "
        + "AND next_access = 'write' THEN 'overwritten' WHEN first_read IS NULL AND next_access = 'delete' THEN 'deleted' "
        + "END AS wasted FROM followed) " + counts("writes");
  }

  /**
   * Over events without their answers (a store an older collector wrote, opened read-only): each write is followed
   * to the next access of its place by a window over every event of the layer.
   */
  static String byWindow(Layer layer, String since) {
    return "WITH e AS (" + events("key_event_rows", "namespace, access, ttl, value_size, end_time, place_a, place_b, "
        + "epoch_us(CASE WHEN access = 'read' THEN time ELSE end_time END) AS t", layer, since) + "), "
        + "followed AS (SELECT *, lead(access) OVER w AS next_access, lead(t) OVER w AS next_t "
        + "FROM e WINDOW w AS (PARTITION BY place_a, place_b ORDER BY t, access = 'read')), "
        + "writes AS (SELECT namespace, value_size, CASE WHEN " + EXPIRED + " THEN 'expired' WHEN next_access = 'write' "
        + "THEN 'overwritten' WHEN next_access = 'delete' THEN 'deleted' END AS wasted FROM followed WHERE access = 'write') "
        + counts("writes");
  }

  /**
   * The counts per namespace of the layer's writes ({@link #counts}'s columns), for the section and for memory
   * health's writes never read; null when the statement did not finish, with the section saying why in {@code out}.
   */
  static ResultTable counts(SqlSource source, Layer layer, String since, List<Section> out) {
    try {
      // with no tail, straight over key_event_store: the view's filter and its anti join with the tail's late writes
      // cost 0.5-0.9 s of CPU at 10M spans, and the events' own filter here holds only events the view keeps
      ResultTable all = source.query(LineageViews.kept(source) ? fromAnswers(LineageViews.writers(source), layer, since)
          : byWindow(layer, since));
      out.add(section(all));
      return all;
    } catch (CollectorException e) {
      out.add(new Section("wasted_writes", TITLE, Unfinished.note(e), Unfinished.EMPTY));
      return null;
    }
  }

  /** The section from the counts per namespace, most wasted first ({@link #counts}'s columns); any store's. */
  public static Section section(ResultTable all) {
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
