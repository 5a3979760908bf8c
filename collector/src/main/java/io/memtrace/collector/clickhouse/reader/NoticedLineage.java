package io.memtrace.collector.clickhouse.reader;

import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.reader.KeyTimeline;
import io.memtrace.collector.reader.TimelineRequest;
import io.memtrace.collector.timeline.MissCauses;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

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

  private final Function<TimelineRequest, KeyTimeline> timeline;
  private final Map<String, Map<String, KeyTimeline.Event>> byKey = new HashMap<>();

  /** @param timeline the store's timeline; each key is asked once */
  NoticedLineage(Function<TimelineRequest, KeyTimeline> timeline) {
    this.timeline = timeline;
  }

  private final Map<TimelineRequest, KeyTimeline> asked = new HashMap<>();

  /** The store's timeline, each request asked once: {@link io.memtrace.collector.view.ReadLines} asks the same. */
  KeyTimeline timeline(TimelineRequest request) {
    return asked.computeIfAbsent(request, timeline);
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
    List<List<Object>> out = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      List<Object> row = new ArrayList<>(rows.rows().get(i));
      String key = rows.text(i, "key");
      boolean asks = key != null && (byKey.containsKey(key) || byKey.size() < MissCauses.MAX_KEYS);
      if ("redis".equals(rows.text(i, "read_layer")) && asks && !"compressed".equals(rows.text(i, "writer"))) {
        KeyTimeline.Event read = events(key).get(rows.text(i, "read_trace_id") + "/" + rows.text(i, "read_span_id"));
        if (read != null) {
          answer(new Row(rows, row), read, events(key));
        }
      }
      out.add(row);
    }
    return new ResultTable(rows.columns(), out, rows.truncation());
  }

  private static boolean has(ResultTable rows, String column) {
    return rows.columns().stream().anyMatch(c -> c.name().equals(column));
  }

  /** Sets {@code row}'s writer and miss as the read's timeline event {@code read} names them. */
  private static void answer(Row row, KeyTimeline.Event read, Map<String, KeyTimeline.Event> events) {
    KeyTimeline.Ref w = read.writer();
    if (read.what().equals("read")) {
      if (w == null) {
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
      case "deleted_outside" -> row.set("miss", "deleted");
      case "never_written" -> row.none("not_in_store", null);
      case "unknown_whole_db" -> row.none("whole_db", "unknown");
      default -> row.set("miss", "unknown");
    }
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
