package io.memtrace.collector.store;

import java.sql.SQLException;
import java.util.List;
import org.duckdb.DuckDBAppender;

/** Column order of {@code span_ingest} and {@code metrics}, kept next to each other for the appender. */
final class RowAppender {

  private RowAppender() {
  }

  static void appendSpan(DuckDBAppender a, long seq, SpanRow r, long receivedMicros) throws SQLException {
    PreparedSpans prepared = PreparedSpans.of(List.of(r));
    appendSpan(a, seq, r, prepared.promoted, 0, receivedMicros);
  }

  /**
   * The row, with its promoted columns' values at {@code promoted[from...]} (see {@link PreparedSpans#promoted}); a
   * compact key event ({@link KeyEventRows#compact}) without its attributes, resource and links, which its typed
   * columns say.
   */
  static void appendSpan(DuckDBAppender a, long seq, SpanRow r, Object[] promoted, int from, long receivedMicros)
      throws SQLException {
    appendSpan(a, seq, r, promoted, from, receivedMicros, KeyEventRows.compact(r));
  }

  /** {@link #appendSpan(DuckDBAppender, long, SpanRow, Object[], int, long)}, told whether the row is a compact key event. */
  static void appendSpan(DuckDBAppender a, long seq, SpanRow r, Object[] promoted, int from, long receivedMicros,
      boolean compact) throws SQLException {
    a.beginRow()
        .append(seq)
        .append(r.traceId())
        .append(r.spanId());
    text(a, r.parentSpanId());
    text(a, r.traceState());
    a.append(r.name())
        .append(r.kind())
        .appendEpochMicros(r.startNanos() / 1000)
        .appendEpochMicros(r.endNanos() / 1000)
        .append(r.durationMillis())
        .append(r.statusCode());
    text(a, r.statusMessage());
    text(a, r.serviceName());
    text(a, r.scopeName());
    if (compact) {
      a.appendNull().append(r.eventsJson()).appendNull();
    } else if (r.attributesJson() == null) {
      // the decoder left the text out of a row it took for a narrow one (KeyEventRows.keptNarrow), and it is not
      throw new IllegalStateException("a span row without its attributes' JSON text that is not a compact key event");
    } else {
      a.append(r.attributesJson())
          .append(r.eventsJson())
          .append(r.resourceJson());
    }
    a.appendEpochMicros(receivedMicros);
    for (int c = 0; c < PromotedAttributes.COLUMNS.size(); c++) {
      promoted(a, promoted[from + c]);
    }
    text(a, compact ? null : r.linksJson());
    a.endRow();
  }

  /**
   * A compact key event ({@link KeyEventRows#compact}) as a row of {@link KeyEventRows#INGEST_TABLE}: what
   * {@link #appendSpan} writes of it, without the columns it leaves null or constant.
   */
  static void appendKeyEvent(DuckDBAppender a, long seq, SpanRow r, Object[] promoted, int from, long receivedMicros)
      throws SQLException {
    a.beginRow()
        .append(seq)
        .append(r.traceId())
        .append(r.spanId());
    text(a, r.parentSpanId());
    a.append(r.name())
        .appendEpochMicros(r.startNanos() / 1000)
        .appendEpochMicros(r.endNanos() / 1000)
        .append(r.durationMillis());
    text(a, r.serviceName());
    text(a, r.scopeName());
    a.append(r.eventsJson())
        .appendEpochMicros(receivedMicros);
    for (int c : KeyEventRows.KEPT_PROMOTED) {
      promoted(a, promoted[from + c]);
    }
    a.endRow();
  }

  static void promoted(DuckDBAppender a, Object value) throws SQLException {
    if (value == null) {
      a.appendNull();
    } else if (value instanceof String s) {
      a.append(s);
    } else if (value instanceof Long l) {
      a.append((long) l);
    } else if (value instanceof Double d) {
      a.append((double) d);
    } else {
      a.append((boolean) (Boolean) value);
    }
  }

  static void appendMetric(DuckDBAppender a, MetricRow r, long receivedMicros) throws SQLException {
    a.beginRow().appendEpochMicros(r.timeNanos() / 1000);
    if (r.startNanos() > 0) {
      a.appendEpochMicros(r.startNanos() / 1000);
    } else {
      a.appendNull();
    }
    text(a, r.serviceName());
    text(a, r.scopeName());
    a.append(r.name());
    text(a, r.description());
    text(a, r.unit());
    a.append(r.type());
    text(a, r.temporality());
    a.append(r.monotonic());
    a.append(r.attributesJson());
    a.append(r.value());
    a.append(r.count());
    a.append(r.sum());
    a.append(r.min());
    a.append(r.max());
    if (r.explicitBounds() == null) {
      a.appendNull();
    } else {
      a.append(r.explicitBounds());
    }
    if (r.bucketCounts() == null) {
      a.appendNull();
    } else {
      a.append(r.bucketCounts());
    }
    a.appendEpochMicros(receivedMicros).endRow();
  }

  static void text(DuckDBAppender a, String value) throws SQLException {
    if (value == null || value.isEmpty()) {
      a.appendNull();
    } else {
      a.append(value);
    }
  }
}
