package io.memtrace.collector.embedded;

import io.memtrace.collector.lineage.KeyRecordViews;
import io.memtrace.collector.lineage.LineageViews;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.reader.KeyTimeline;
import io.memtrace.collector.reader.TimelineRequest;
import io.memtrace.collector.timeline.KeyRecord;
import io.memtrace.collector.timeline.RecordTables;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A record's timeline from the embedded store: its rows of {@code key_record} (spans and notifications of every key
 * that is the key asked or ends with it after a separator, {@link KeyRecord#endsWithKey}: one scan of the kept key
 * events, the suffix pushed into it), retention's counts of its namespaces, and
 * what the notifications covered; {@link KeyRecord} makes the answer. The statements are the collector's own, run
 * unchecked by a source in this process.
 */
final class TimelineQueries {

  private TimelineQueries() {
  }

  static KeyTimeline timeline(SqlSource source, TimelineRequest request) {
    String key = TraceQueries.literal(request.key());
    ResultTable record = source.queryOwn("SELECT epoch_us(time) AS t, epoch_us(end_time) AS e, source, trace_id, "
        + "span_id, parent_span_id, service_name, layer, redis, db, key, namespace, kind, event, found, value_size, "
        + "ttl, status_code = 'ERROR' AS error, weight FROM " + KeyRecordViews.narrowed(source, key) + " WHERE suffix(key, " + key + ") AND (key = " + key + " OR NOT "
        + "regexp_matches(substr(key, length(key) - length(" + key + "), 1), '[A-Za-z0-9]')) "
        + "ORDER BY time DESC LIMIT " + RecordTables.MAX_SPAN_EVENTS);
    ResultTable spans = part(record, "span");
    ResultTable notifications = part(record, "notification");
    List<String> namespaces = RecordTables.namespaces(spans, notifications);
    ResultTable compressed = namespaces.isEmpty() ? new ResultTable(List.of(), List.of(), false)
        : source.queryOwn("SELECT epoch_us(start_time) AS start_us, epoch_us(end_time) AS end_us, namespace, command "
            + "FROM compressed_event_rows WHERE namespace IS NULL OR namespace = '_OTHER' OR namespace IN ("
            + namespaces.stream().map(TraceQueries::literal).collect(Collectors.joining(", ")) + ")");
    return KeyRecord.build(request, RecordTables.rows(spans, notifications, compressed, statuses(source),
        wholeDatabase(source, RecordTables.span(spans, notifications))));
  }

  /**
   * The traced commands that change a whole database ({@link RecordTables#WHOLE_DATABASE}) that began between
   * {@code span}'s two times (the record's first and last event), as {@link RecordTables} reads spans: {@code event}
   * the command, and a SWAPDB's two databases when its statement shows them ({@code SWAPDB 0 1}); and those the
   * watcher counted, each in its window, without a trace ({@link LineageViews#untracedWholeDatabase}).
   */
  static ResultTable wholeDatabase(SqlSource source, long[] span) {
    if (span == null) {
      return new ResultTable(List.of(), List.of(), false);
    }
    return source.queryOwn("SELECT epoch_us(start_time) AS t, epoch_us(end_time) AS e, trace_id, span_id, "
        + "parent_span_id, service_name, 'redis' AS layer, redis, db, NULL::VARCHAR AS key, NULL::VARCHAR AS namespace, "
        + "'other' AS kind, command || CASE WHEN swapped IS NOT NULL THEN ' ' || swapped[1] || ' ' || swapped[2] "
        + "ELSE '' END AS event, NULL::BOOLEAN AS found, NULL::BIGINT AS value_size, NULL::BIGINT AS ttl, "
        + "false AS error FROM " + LineageViews.WHOLE_DATABASE_VIEW + " WHERE start_time >= make_timestamp(" + span[0]
        + ") AND start_time <= make_timestamp(" + span[1] + ") UNION ALL SELECT epoch_us(start_time) AS t, "
        + "epoch_us(end_time) AS e, NULL, NULL, NULL, NULL, 'redis', redis, NULL, NULL, NULL, 'other', command, NULL, "
        + "NULL, NULL, false FROM (" + LineageViews.untracedWholeDatabase() + ") WHERE end_time >= make_timestamp("
        + span[0] + ") AND start_time <= make_timestamp(" + (span[1] + RecordTables.UNTRACED_AFTER_US)
        + ") ORDER BY t");
  }

  /** The rows of {@code key_notification_status}, oldest first, as {@link RecordTables} reads them. */
  static ResultTable statuses(SqlSource source) {
    return source.queryOwn("SELECT epoch_us(time) AS t, redis, state, notify_config, "
        + "coalesce(dropped_rate, 0) + coalesce(dropped_sampled, 0) + coalesce(dropped_queue, 0) AS dropped, "
        + KeyRecordViews.coverageColumns(source) + " FROM key_notification_status ORDER BY time");
  }

  /** The rows of one source ({@code span} or {@code notification}), oldest first. */
  private static ResultTable part(ResultTable record, String source) {
    List<List<Object>> rows = new java.util.ArrayList<>();
    int column = record.column("source");
    for (int i = record.size() - 1; i >= 0; i--) {
      if (source.equals(record.rows().get(i).get(column))) {
        rows.add(record.rows().get(i));
      }
    }
    return new ResultTable(record.columns(), rows, false);
  }
}
