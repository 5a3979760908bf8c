package io.memtrace.collector.embedded;

import io.memtrace.collector.CollectorException;
import io.memtrace.collector.lineage.LineageViews;
import io.memtrace.collector.lineage.NoticedMisses;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.reader.Layer;
import io.memtrace.collector.reader.KeyTimeline;
import io.memtrace.collector.reader.Section;
import io.memtrace.collector.reader.TimelineRequest;
import io.memtrace.collector.timeline.MissCauses;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Two sections from the {@code lineage} view for the report's layer: how old the values
 * read were (p50 and p99 of {@code value_age_ms} per namespace, over the reads that found a value whose
 * writer is in the store), and the reads that found nothing although a write had happened before them
 * ({@code miss} expired or evicted), the latest ones listed. Each a grouping by namespace; the totals are
 * its sums (a grouping set for them cost a second aggregation over every read).
 */
public final class LineageSections {

  static final List<String> MISS_COLUMNS = List.of("key", "namespace", "miss", "read_time", "written_ms_before",
      "ttl_s", "read_trace_id", "write_trace_id", "cause");

  private LineageSections() {
  }

  static List<Section> sections(SqlSource source, Layer layer, String since) {
    return sections(source, layer, since, true);
  }

  /**
   * The misses section alone, asked as {@link #sections} asks it, without the ages of every read: what the report's
   * headline ({@code memory_overview}) prints.
   */
  static Section misses(SqlSource source, Layer layer, String since) {
    return sections(source, layer, since, false).get(0);
  }

  /** Both sections, or ({@code withAges} false) the misses section alone. */
  private static List<Section> sections(SqlSource source, Layer layer, String since, boolean withAges) {
    String where = "read_layer = '" + layer.viewName() + "'" + since.replace("start_time", "read_time");
    // a read that failed (WRONGTYPE) read no value
    String aged = "writer = 'seen' AND write_access = 'write' AND found IS DISTINCT FROM false "
        + "AND read_status_code IS DISTINCT FROM 'ERROR'";
    String lineage = LineageViews.relation(source);
    ResultTable ages = null;
    ResultTable misses;
    ResultTable latest;
    try {
      // two queries: the ages read narrow columns of every read; the misses, the keys and trace ids of the reads
      // that found nothing only (a filter on found reaches the scan), where one query read them for every read
      // both percentiles from one aggregate, which holds the ages once (see ReportBuilder's latency)
      if (withAges) {
        ages = source.query("SELECT namespace, reads, writer_seen, writer_not_in_store, writer_compressed, "
            + "round(age[1], 3) AS age_p50_ms, round(age[2], 3) AS age_p99_ms FROM ("
            + "SELECT coalesce(namespace, '(none)') AS namespace, count(*) AS reads, "
            + "count(*) FILTER (WHERE writer = 'seen') AS writer_seen, "
            + "count(*) FILTER (WHERE writer = 'not_in_store') AS writer_not_in_store, "
            + "count(*) FILTER (WHERE writer = 'compressed') AS writer_compressed, "
            + "quantile_cont(value_age_ms, [0.5, 0.99]) FILTER (WHERE " + aged + ") AS age "
            + "FROM " + lineage + " WHERE " + where + " GROUP BY 1) ORDER BY reads DESC, namespace");
      }
      // a miss is a read that found nothing (found = false) after a write seen; the counts and the times of the
      // latest first, and then only those reads' keys and trace ids: reading them for every miss cost seconds
      String missed = NoticedMisses.of(lineage, where + " AND found = false");
      if (anyMiss(source, lineage, layer, since)) {
        misses = source.query("SELECT coalesce(namespace, '(none)') AS namespace, "
            + "count(*) FILTER (WHERE miss = 'expired') AS expired, count(*) FILTER (WHERE miss = 'evicted') AS evicted, "
            + "count(*) FILTER (WHERE miss = 'deleted') AS after_delete, "
            + "count(*) FILTER (WHERE miss = 'unknown') AS unknown, max(epoch_us(read_time), " + ReportBuilder.LIST
            + ") FILTER (WHERE miss IN ('expired', 'evicted', 'unknown')) AS latest_us "
            + "FROM " + missed + " GROUP BY 1 ORDER BY namespace");
        latest = LatestMisses.of(source, missed, misses);
      } else {
        // no read of the layer found nothing: the statement's answer is empty, and it would still read every Redis
        // event once for the places a TTL command changed (LineageViews#TTL_CHANGED: 0.9 s of CPU at 10M spans)
        misses = Unfinished.EMPTY;
        latest = Unfinished.EMPTY;
      }
    } catch (CollectorException e) {
      String note = Unfinished.note(e);
      Section missing = new Section("misses_after_write", "Reads that found nothing after a write", note,
          Unfinished.EMPTY);
      return withAges ? List.of(new Section("value_age", "Value age at read", note, Unfinished.EMPTY), missing)
          : List.of(missing);
    }
    Section missed = misses(misses, latest, MissCauses.ifNotified(source,
        "SELECT 1 FROM key_notification_status LIMIT 1", request -> TimelineQueries.timeline(source, request)));
    return withAges ? List.of(valueAge(ages), missed) : List.of(missed);
  }

  /**
   * Whether some read of {@code layer} since the report's start found nothing ({@code found = false}): the misses are
   * those reads, each with its event's {@code found}, where the lineage reads the key events ({@code lineage}, the
   * relation {@link LineageViews#relation} gave, is not the view). The view (its events derived from the spans, an
   * older store opened read-only) is not asked: true.
   */
  private static boolean anyMiss(SqlSource source, String lineage, Layer layer, String since) {
    return lineage.equals("lineage") || source.query("SELECT 1 AS any FROM key_event_rows WHERE layer = '"
        + layer.viewName() + "' AND access = 'read' AND key IS NOT NULL AND found = false"
        + since.replace("start_time", "time") + " LIMIT 1").size() > 0;
  }

  /**
   * The value-age section from its counts and ages per namespace ({@code namespace, reads, writer_seen,
   * writer_not_in_store, writer_compressed, age_p50_ms, age_p99_ms}), most reads first; any store's.
   */
  public static Section valueAge(ResultTable all) {
    List<String> names = List.of("namespace", "reads", "writer_seen", "writer_not_in_store", "writer_compressed",
        "age_p50_ms", "age_p99_ms");
    List<ResultTable.Column> columns = new ArrayList<>();
    names.forEach(n -> columns.add(all.columns().get(all.column(n))));
    List<List<Object>> rows = new ArrayList<>();
    for (int i = 0; i < all.size() && rows.size() < ReportBuilder.LIST; i++) {
      List<Object> row = new ArrayList<>();
      for (String name : names) {
        row.add(all.value(i, name));
      }
      rows.add(row);
    }
    String note = "How long before each read its value was written (p50, p99, in ms, over reads that found a value "
        + "written by a span in the store, failed reads left out), and how many reads had that writer in the store, had none, or had one "
        + "the agent's retention may have compressed. By namespace, most reads first.";
    return new Section("value_age", "Value age at read", note, new ResultTable(columns, rows, false))
        .with("reads", sum(all, "reads")).with("writer_seen", sum(all, "writer_seen"))
        .with("writer_not_in_store", sum(all, "writer_not_in_store"))
        .with("writer_compressed", sum(all, "writer_compressed"));
  }

  /**
   * The misses section from the counts per namespace ({@code namespace, expired, evicted, after_delete, unknown}) and the
   * latest misses ({@link #MISS_COLUMNS} but the cause, and {@code read_span_id}); any store's. Each latest miss's
   * cause is the one its record's timeline names ({@link MissCauses}) when {@code timeline} is given (the store
   * recorded keyspace notifications), else lineage's own, in the timeline's words.
   */
  public static Section misses(ResultTable all, ResultTable latestRows, Function<TimelineRequest, KeyTimeline> timeline) {
    Map<String, MissCauses.Cause> causes = Map.of();
    if (timeline != null) {
      List<MissCauses.Read> reads = new ArrayList<>();
      for (int i = 0; i < latestRows.size(); i++) {
        reads.add(new MissCauses.Read(latestRows.text(i, "read_trace_id"), latestRows.text(i, "read_span_id"),
            latestRows.text(i, "key")));
      }
      try {
        causes = MissCauses.of(timeline, reads);
      } catch (CollectorException e) {
        // a timeline that ran out of time leaves the causes out, not the section
      }
    }
    List<Map<?, ?>> latest = new ArrayList<>();
    for (int i = 0; i < latestRows.size(); i++) {
      Map<String, Object> row = new LinkedHashMap<>();
      for (String c : MISS_COLUMNS.subList(0, MISS_COLUMNS.size() - 1)) {
        row.put(c, latestRows.value(i, c));
      }
      MissCauses.Cause cause = timeline == null ? MissCauses.withoutNotifications(latestRows.text(i, "miss"))
          : causes.get(MissCauses.id(latestRows.text(i, "read_trace_id"), latestRows.text(i, "read_span_id")));
      row.put("cause", cause == null ? null : cause.reason());
      if (timeline != null && cause != null) {
        row.put("miss", MissCauses.miss(cause.kind())); // the timeline follows TTL commands, which lineage does not
      }
      latest.add(row);
    }
    Map<String, Long> byNamespace = new LinkedHashMap<>();
    for (int i = 0; i < all.size(); i++) {
      long n = all.number(i, "expired") + all.number(i, "evicted") + all.number(i, "unknown");
      if (n > 0) {
        byNamespace.merge(all.text(i, "namespace"), n, Long::sum);
      }
    }
    latest.sort(Comparator.comparing((Map<?, ?> m) -> String.valueOf(m.get("read_time"))).reversed());
    List<List<Object>> rows = new ArrayList<>();
    for (Map<?, ?> m : latest.subList(0, Math.min(ReportBuilder.LIST, latest.size()))) {
      List<Object> row = new ArrayList<>();
      MISS_COLUMNS.forEach(c -> row.add(m.get(c)));
      rows.add(row);
    }
    List<ResultTable.Column> types = new ArrayList<>();
    MISS_COLUMNS.forEach(c -> types.add(new ResultTable.Column(c, c.equals("written_ms_before") ? "DOUBLE"
        : c.equals("ttl_s") ? "BIGINT" : "VARCHAR")));
    long expired = sum(all, "expired");
    long evicted = sum(all, "evicted");
    long listed = expired + evicted + sum(all, "unknown");
    String note = "Reads that found nothing although a write of the key was in the store before them: expired (Redis "
        + "reported the expiry, or the TTL the write set ran out and no TTL command changed it), evicted (Redis "
        + "reported the eviction), after a traced delete, or unknown (nothing recorded says why). Each listed read's "
        + "cause is the one its record's timeline names: from Redis's keyspace notifications where they were recorded "
        + "(expired, evicted, deleted outside the traced services, or not watched when they did not cover the key or "
        + "the time), else unknown unless the TTL ran out."
        + (listed > rows.size() ? " The latest " + rows.size() + " of " + listed + " (after a traced delete not listed)."
        : "");
    return new Section("misses_after_write", "Reads that found nothing after a write", note,
        new ResultTable(types, rows, false)).with("expired", expired).with("evicted", evicted)
        .with("after_delete", sum(all, "after_delete")).with("unknown", sum(all, "unknown"))
        .with("by_namespace", mostFirst(byNamespace));
  }

  /** The counts per namespace, the most first, the largest {@link ReportBuilder#NAMESPACES}. */
  private static Map<String, Long> mostFirst(Map<String, Long> counts) {
    Map<String, Long> out = new LinkedHashMap<>();
    counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()
        .thenComparing(Map.Entry.comparingByKey())).limit(ReportBuilder.NAMESPACES)
        .forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  static long sum(ResultTable all, String column) {
    long n = 0;
    for (int i = 0; i < all.size(); i++) {
      n += all.number(i, column);
    }
    return n;
  }
}
