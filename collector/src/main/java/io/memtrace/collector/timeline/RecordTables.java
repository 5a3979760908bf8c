package io.memtrace.collector.timeline;

import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.timeline.RecordRows.CompressedRow;
import io.memtrace.collector.timeline.RecordRows.NotificationRow;
import io.memtrace.collector.timeline.RecordRows.SpanRow;
import io.memtrace.collector.timeline.RecordRows.StatusRow;
import java.util.ArrayList;
import java.util.List;

/**
 * A store's answers to the timeline's four questions, as {@link RecordRows}. Each store's SQL names its columns as
 * below (times in epoch microseconds), so the rows are read one way:
 * <ul>
 *   <li>spans: {@code t, e, trace_id, span_id, parent_span_id, service_name, layer, redis, db, key, namespace, kind,
 *       event, found, value_size, ttl, error};</li>
 *   <li>notifications: {@code t, redis, db, key, namespace, event, kind, weight};</li>
 *   <li>compressed counts: {@code start_us, end_us, namespace, command};</li>
 *   <li>notification status: {@code t, redis, state, notify_config, dropped}.</li>
 * </ul>
 */
public final class RecordTables {

  /** The most span events one timeline reads; a hotter key shows its newest. */
  public static final int MAX_SPAN_EVENTS = 20_000;

  private RecordTables() {
  }

  public static RecordRows rows(ResultTable spans, ResultTable notifications, ResultTable compressed,
      ResultTable statuses) {
    return rows(spans, notifications, compressed, statuses, new ResultTable(List.of(), List.of(), false));
  }

  /**
   * The rows, with the traced commands on a whole database ({@code wholeDatabase}: the spans' columns, {@code key}
   * null, {@code event} the command) between the record's first event and its last.
   */
  public static RecordRows rows(ResultTable spans, ResultTable notifications, ResultTable compressed,
      ResultTable statuses, ResultTable wholeDatabase) {
    List<SpanRow> s = spanRows(spans);
    List<NotificationRow> n = new ArrayList<>();
    for (int i = 0; i < notifications.size(); i++) {
      n.add(new NotificationRow(number(notifications, i, "t"), notifications.text(i, "redis"),
          integer(notifications, i, "db"), notifications.text(i, "key"), empty(notifications.text(i, "namespace")),
          notifications.text(i, "event"), notifications.text(i, "kind"),
          Double.parseDouble(String.valueOf(notifications.value(i, "weight")))));
    }
    List<CompressedRow> c = new ArrayList<>();
    for (int i = 0; i < compressed.size(); i++) {
      c.add(new CompressedRow(number(compressed, i, "start_us"), number(compressed, i, "end_us"),
          empty(compressed.text(i, "namespace")), empty(compressed.text(i, "command"))));
    }
    return new RecordRows(s, n, c, statuses(statuses), spanRows(wholeDatabase));
  }

  private static List<SpanRow> spanRows(ResultTable spans) {
    List<SpanRow> s = new ArrayList<>();
    for (int i = 0; i < spans.size(); i++) {
      s.add(new SpanRow(number(spans, i, "t"), number(spans, i, "e"), spans.text(i, "trace_id"),
          spans.text(i, "span_id"), empty(spans.text(i, "parent_span_id")), spans.text(i, "service_name"),
          spans.text(i, "layer"), empty(spans.text(i, "redis")), integer(spans, i, "db"), spans.text(i, "key"),
          empty(spans.text(i, "namespace")), spans.text(i, "kind"), spans.text(i, "event"), bool(spans, i, "found"),
          optional(spans, i, "value_size"), optional(spans, i, "ttl"), Boolean.TRUE.equals(bool(spans, i, "error"))));
    }
    return s;
  }

  /** The commands that change a whole database of a Redis, upper case: no key on their span, no event per key. */
  public static final List<String> WHOLE_DATABASE = List.of("FLUSHALL", "FLUSHDB", "SWAPDB");

  /**
   * How long after a record's last row (a read's start) the read may still run: the commands on a whole database the
   * watcher counted are asked for up to then, as a window that begins before the read ended may have changed it.
   */
  public static final long UNTRACED_AFTER_US = 60_000_000;

  /** The first and last time of a record's rows, epoch microseconds; null when it has none. */
  public static long[] span(ResultTable spans, ResultTable notifications) {
    long from = Long.MAX_VALUE;
    long to = Long.MIN_VALUE;
    for (ResultTable t : List.of(spans, notifications)) {
      for (int i = 0; i < t.size(); i++) {
        from = Math.min(from, number(t, i, "t"));
        to = Math.max(to, number(t, i, "t"));
      }
    }
    return from > to ? null : new long[] {from, to};
  }

  /** The status rows of {@code key_notification_status} (as the stores select them: {@code t, redis, state, …}). */
  public static List<StatusRow> statuses(ResultTable statuses) {
    List<StatusRow> st = new ArrayList<>();
    for (int i = 0; i < statuses.size(); i++) {
      st.add(new StatusRow(number(statuses, i, "t"), statuses.text(i, "redis"), statuses.text(i, "state"),
          empty(statuses.text(i, "notify_config")), number(statuses, i, "dropped"), statuses.text(i, "namespaces"),
          statuses.text(i, "dropped_namespaces")));
    }
    return st;
  }

  /** The distinct namespaces of the rows, for the compressed counts' question. */
  public static List<String> namespaces(ResultTable spans, ResultTable notifications) {
    java.util.Set<String> all = new java.util.TreeSet<>();
    for (ResultTable t : List.of(spans, notifications)) {
      for (int i = 0; i < t.size(); i++) {
        String ns = empty(t.text(i, "namespace"));
        if (ns != null) {
          all.add(ns);
        }
      }
    }
    return List.copyOf(all);
  }

  private static String empty(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  private static Long optional(ResultTable t, int row, String column) {
    Object v = t.value(row, column);
    return v == null ? null : v instanceof Number num ? num.longValue() : Long.parseLong(v.toString());
  }

  private static long number(ResultTable t, int row, String column) {
    Long v = optional(t, row, column);
    return v == null ? 0 : v;
  }

  private static Integer integer(ResultTable t, int row, String column) {
    Long v = optional(t, row, column);
    return v == null ? null : v.intValue();
  }

  private static Boolean bool(ResultTable t, int row, String column) {
    Object v = t.value(row, column);
    if (v == null || v instanceof Boolean) {
      return (Boolean) v;
    }
    String s = v.toString();
    return s.equals("1") || s.equalsIgnoreCase("true");
  }
}
