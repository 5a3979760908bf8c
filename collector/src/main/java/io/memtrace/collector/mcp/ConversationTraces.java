package io.memtrace.collector.mcp;

import io.memtrace.collector.Visible;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.reader.StoreReader;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * {@code find_traces} by a model call's conversation: the traces whose model calls carry that
 * {@code gen_ai.conversation.id}, newest first, asked of the {@code spans} view in SQL both stores read alike (a map
 * lookup, a string literal, grouping); the times are compared here, since the two dialects write time literals apart.
 * {@code service}, {@code since} and {@code until} are null where not asked; at most {@code limit} traces are listed.
 */
record ConversationTraces(String conversation, String service, Instant since, Instant until, int limit) {

  /** The most traces of one conversation looked at. */
  private static final int SCAN = 1_000;

  String answer(StoreReader reader) {
    ResultTable rows = reader.query("SELECT trace_id, min(start_time) AS first_start, max(start_time) AS last_start, "
        + "count(*) AS model_calls, min(service_name) AS service FROM spans WHERE attributes['gen_ai.conversation.id'] = "
        + literal(conversation) + (service == null ? "" : " AND service_name = " + literal(service))
        + " GROUP BY trace_id ORDER BY last_start DESC LIMIT " + SCAN);
    StringBuilder out = new StringBuilder();
    int shown = 0;
    int more = 0;
    for (int i = 0; i < rows.size(); i++) {
      Instant first = instant(rows.text(i, "first_start"));
      Instant last = instant(rows.text(i, "last_start"));
      if (since != null && last != null && last.isBefore(since) || until != null && first != null
          && !first.isBefore(until)) {
        continue;
      }
      if (shown == limit) {
        more++;
        continue;
      }
      shown++;
      out.append(rows.text(i, "trace_id")).append("  ").append(first == null ? rows.text(i, "first_start") : first)
          .append("  ").append(Visible.text(String.valueOf(rows.text(i, "service")))).append(" · ")
          .append(rows.number(i, "model_calls")).append(" model calls\n");
    }
    if (shown == 0) {
      return "no model call of conversation " + Visible.text(conversation) + " in " + reader.describe() + "\n";
    }
    String head = shown + (shown == 1 ? " trace" : " traces") + " of conversation " + Visible.text(conversation)
        + ", newest first, times UTC:\n";
    return head + out + (more > 0 ? "more: " + more + " older traces of it; ask with until= the oldest time above\n"
        : "");
  }

  /**
   * A string literal both SQL dialects read the same: quotes doubled. ClickHouse reads a backslash as an escape and
   * DuckDB does not, so text with one is refused rather than read two ways.
   */
  static String literal(String text) {
    if (text.indexOf('\\') >= 0) {
      throw new io.memtrace.collector.CollectorException("find_traces: a conversation id or service with a backslash "
          + "cannot be searched by find_traces; use the query tool");
    }
    return "'" + text.replace("'", "''") + "'";
  }

  /** A timestamp as a store's answer writes it ({@code 2026-11-29 04:05:44.101413}, UTC), or null if unreadable. */
  static Instant instant(String text) {
    if (text == null) {
      return null;
    }
    try {
      return LocalDateTime.parse(text.strip().replace(' ', 'T')).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
