package io.memtrace.collector.clickhouse.reader;

import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.reader.KeyTimeline;
import io.memtrace.collector.reader.TimelineRequest;
import io.memtrace.collector.timeline.MissCauses;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * ClickHouse's lineage rows ({@link Lineage#traceRows}) with the changes only keyspace notifications know of taken in,
 * as the embedded store's {@code lineage} view takes them ({@code NoticedChanges}): a Redis read's writer and miss are
 * the ones its key's timeline gives that read ({@link ClickHouseTimeline}, the same {@code KeyRecord} rules on both
 * stores). A read after an outside {@code SET} saw that change ({@code outside}), not the traced write before it, and
 * where the timeline cannot tell what a read saw, its writer is {@code unknown} (or {@code whole_db}), never the write
 * before. A read that found nothing takes its miss from the timeline (an outside {@code DEL}, an expiry, an eviction,
 * or {@code unknown}) and keeps the write before it named beside the cause, as the embedded view does. As in
 * {@link MissCauses}, at most {@link MissCauses#MAX_KEYS} keys are asked a call: a read of another key, one its key's
 * timeline does not hold, and one retention's counts made {@code compressed} keep the join's answer.
 */
final class NoticedLineage {

  private final SqlSource source;
  private final ClickHouseTimeline timelines;
  private final Map<String, Map<String, KeyTimeline.Event>> byKey = new HashMap<>();
  private Boolean notified;

  /** @param source the store; each key's timeline is asked once, those of one call's rows together */
  NoticedLineage(SqlSource source) {
    this.source = source;
    this.timelines = new ClickHouseTimeline(source);
  }

  private final Map<TimelineRequest, KeyTimeline> asked = new HashMap<>();

  /** The store's timeline, each request asked once: {@link io.memtrace.collector.view.ReadLines} asks the same. */
  KeyTimeline timeline(TimelineRequest request) {
    return asked.computeIfAbsent(request, timelines::timeline);
  }

  /** Whether the store recorded keyspace notifications ({@link ClickHouseViews#NOTIFIED}), asked once. */
  boolean notified() {
    if (notified == null) {
      notified = MissCauses.notified(source, ClickHouseViews.NOTIFIED);
    }
    return notified;
  }

  /**
   * The lineage rows ({@link Lineage#traceRows}) of the reads of {@code traceIds} whose key is one of {@code keys} (of
   * the read span {@code spanId} alone, unless null), with the changes only notifications know of taken in when the
   * store recorded any ({@link #taken}): what {@code traces}, the web view's {@code read_lineage} and a model call's
   * memory show under each read.
   */
  ResultTable readRows(Collection<String> traceIds, Collection<String> keys, String spanId) {
    String rows = new Lineage(source).traceRows(traceIds, keys);
    ResultTable read = source.query(spanId == null ? rows : "SELECT * FROM (" + rows + ") WHERE read_span_id = '"
        + spanId + "'");
    return notified() ? taken(read) : read;
  }

  /** The timeline's events of {@code key} by trace and span id (the key asked once). */
  private Map<String, KeyTimeline.Event> events(String key) {
    return byKey.computeIfAbsent(key, k -> {
      Map<String, KeyTimeline.Event> events = new HashMap<>();
      for (KeyTimeline.Event e : timeline(new TimelineRequest(k, null, null, TimelineRequest.MAX_LIMIT)).events()) {
        if (e.spanId() != null) {
          events.put(e.traceId() + "/" + e.spanId(), e);
        }
      }
      return events;
    });
  }

  /** {@code rows} (lineage rows, the {@code lineage} view's columns) with each Redis read answered by its timeline. */
  ResultTable taken(ResultTable rows) {
    if (!has(rows, "read_layer") || !has(rows, "writer") || !has(rows, "key")) {
      return rows;
    }
    ask(rows);
    List<List<Object>> out = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      String key = rows.text(i, "key");
      KeyTimeline.Event read = answered(rows, i, key) ? events(key).get(rows.text(i, "read_trace_id") + "/"
          + rows.text(i, "read_span_id")) : null;
      out.add(read == null ? new ArrayList<>(rows.rows().get(i)) : answered(rows, i, read, events(key)));
    }
    return new ResultTable(rows.columns(), out, rows.truncation());
  }

  /**
   * Row {@code i} of {@code rows}, a Redis read, with its writer and miss as its timeline event {@code read} names
   * them; {@code events} are its key's timeline events by trace and span id.
   */
  static List<Object> answered(ResultTable rows, int i, KeyTimeline.Event read, Map<String, KeyTimeline.Event> events) {
    List<Object> row = new ArrayList<>(rows.rows().get(i));
    answer(new Row(rows, row), read, events);
    return row;
  }

  /** Whether row {@code i} is a Redis read its key's timeline answers: at most {@link MissCauses#MAX_KEYS} keys. */
  private boolean answered(ResultTable rows, int i, String key) {
    boolean asks = key != null && (byKey.containsKey(key) || byKey.size() < MissCauses.MAX_KEYS);
    return "redis".equals(rows.text(i, "read_layer")) && asks && !"compressed".equals(rows.text(i, "writer"));
  }

  /** The timelines {@link #taken} reads for {@code rows}, asked together: a few statements, not a few a key. */
  private void ask(ResultTable rows) {
    java.util.Set<String> keys = new java.util.LinkedHashSet<>(byKey.keySet());
    for (int i = 0; i < rows.size() && keys.size() < MissCauses.MAX_KEYS; i++) {
      String key = rows.text(i, "key");
      if (key != null && "redis".equals(rows.text(i, "read_layer")) && !"compressed".equals(rows.text(i, "writer"))) {
        keys.add(key);
      }
    }
    List<TimelineRequest> requests = keys.stream().map(k -> new TimelineRequest(k, null, null,
        TimelineRequest.MAX_LIMIT)).filter(r -> !asked.containsKey(r)).toList();
    if (requests.size() > 1) {
      asked.putAll(timelines.timelines(requests));
    }
  }

  private static boolean has(ResultTable rows, String column) {
    return rows.columns().stream().anyMatch(c -> c.name().equals(column));
  }

  /** Sets {@code row}'s writer and miss as the read's timeline event {@code read} names them. */
  private static void answer(Row row, KeyTimeline.Event read, Map<String, KeyTimeline.Event> events) {
    KeyTimeline.Ref w = read.writer();
    if (read.what().equals("read")) {
      if (w == null) {
        // the timeline places no change before a read that found a value: which write it saw is unknown, not the
        // join's (a Node SET, no database on its span, whose set the watcher received after the read began: the join
        // said 'not_in_store', truth suite seed 52086)
        row.none("unknown", null);
        return;
      }
      if ("whole_db".equals(w.what()) && !w.traced()) {
        row.none("whole_db", null);
      } else if (!w.traced()) {
        if ("unknown".equals(w.by())) {
          row.none("unknown", null);
        } else {
          row.change("outside", w.what(), w.timeUs(), null);
        }
      } else if (!w.spanId().equals(row.text("write_span_id"))) {
        KeyTimeline.Event change = events.get(w.traceId() + "/" + w.spanId());
        row.span(w, change == null ? null : change.operation(), "write", null);
      }
      return;
    }
    if (!read.what().equals("read_nothing")) {
      return;
    }
    String kind = String.valueOf(read.reasonKind());
    switch (kind) {
      case "deleted" -> {
        if (w != null && w.traced() && !w.spanId().equals(row.text("write_span_id"))) {
          KeyTimeline.Event change = events.get(w.traceId() + "/" + w.spanId());
          row.span(w, change == null ? null : change.operation(), "delete", "deleted");
        } else {
          row.set("miss", "deleted");
        }
      }
      // the write before stays named beside the cause, as the embedded store's view names it ("found nothing: expired
      // at ...; written 1.3 s earlier by ..."): only the miss is the timeline's
      case "ttl_ran_out", "expired" -> row.set("miss", "expired");
      case "evicted" -> row.set("miss", "evicted");
      case "deleted_outside" -> {
        if ("delete".equals(row.text("write_access"))) {
          // a traced delete the join names was not the removal: the key came back (a RENAME's arrival) and was deleted
          // outside the traced services (truth suite seed 41152); the delete beside the miss would read as its cause
          row.none("outside", "deleted");
          row.set("write_access", "delete");
        } else {
          row.set("miss", "deleted");
        }
      }
      case "never_written" -> row.none("not_in_store", null);
      case "unknown_whole_db" -> row.none("whole_db", "unknown");
      default -> {
        if (unsure(row, w)) {
          row.none("unknown", "unknown");
        } else {
          row.set("miss", "unknown");
        }
      }
    }
  }

  /**
   * Whether a read the timeline cannot explain ({@code unknown_late}, {@code unknown_early}, ...) must not keep the
   * join's writer beside its unknown miss: the join names no write, or another than the timeline's last traced change
   * {@code w} (the join places no command of a pipeline or transaction, nor a span without a database: seeds 20382,
   * 20594, 21334 named none, {@code not_in_store}, though a Node {@code DEL} or a {@code MULTI}'s had its span; 22134
   * and 20594 again with no traced change in the read's timeline either), or a delete, whose removal the timeline does
   * not confirm (seed 21363, a Node {@code DEL} that removed nothing).
   */
  private static boolean unsure(Row row, KeyTimeline.Ref w) {
    boolean joinedOther = w != null && w.traced() && !w.spanId().equals(row.text("write_span_id"));
    return joinedOther || "delete".equals(row.text("write_access")) || "not_in_store".equals(row.text("writer"));
  }

  /** One row being answered, its cells by column name (a column the rows lack is left alone). */
  private record Row(ResultTable table, List<Object> cells) {

    String text(String column) {
      return has(table, column) && cells.get(table.column(column)) != null ? cells.get(table.column(column)).toString()
          : null;
    }

    void set(String column, Object value) {
      if (has(table, column)) {
        cells.set(table.column(column), value);
      }
    }

    /** No write named: the writer {@code writer} and the miss {@code miss}. */
    void none(String writer, String miss) {
      for (String c : List.of("write_trace_id", "write_span_id", "write_service", "write_name", "write_access",
          "write_time_us", "value_age_ms", "write_ttl")) {
        set(c, null);
      }
      set("writer", writer);
      set("miss", "true".equals(text("found")) ? null : miss);
    }

    /** A change only notifications know of ({@code access}: write, delete, expiry, eviction) at {@code timeUs}. */
    void change(String writer, String access, long timeUs, String miss) {
      none(writer, miss);
      set("write_access", access);
      set("write_time_us", timeUs);
    }

    /** The traced span {@code w} as the writer. */
    void span(KeyTimeline.Ref w, String name, String access, String miss) {
      none("seen", miss);
      set("write_trace_id", w.traceId());
      set("write_span_id", w.spanId());
      set("write_service", w.service());
      set("write_name", name);
      set("write_access", access);
      set("write_time_us", w.timeUs());
    }
  }
}
