package io.memtrace.collector.store;

import io.memtrace.collector.values.CapturedValue;
import java.sql.SQLException;
import org.duckdb.DuckDBAppender;

/**
 * The captured values, apart from the spans: table {@code key_value}, one row per {@code memory.value} event with
 * the columns of {@link CapturedValue}. Apart, so that its retention and size budget are its own ({@code serve
 * --value-retention}, {@code --value-budget}), and so that reading it is a choice: {@code query} refuses it without
 * {@code --include-values}. It is written in the same transaction as the spans that carried the values.
 */
public final class KeyValueTable {

  /** The table's name, which the query guard refuses unless values were asked for. */
  public static final String NAME = "key_value";

  static final String DDL = "CREATE TABLE IF NOT EXISTS key_value (trace_id VARCHAR NOT NULL, "
      + "span_id VARCHAR NOT NULL, seq INTEGER NOT NULL, time TIMESTAMP NOT NULL, service_name VARCHAR, "
      + "redis VARCHAR NOT NULL, db INTEGER NOT NULL, namespace VARCHAR, key VARCHAR NOT NULL, operation VARCHAR, "
      + "change VARCHAR NOT NULL, type VARCHAR, base64 BOOLEAN NOT NULL, value VARCHAR, size BIGINT, "
      + "truncated BOOLEAN NOT NULL)";

  private KeyValueTable() {
  }

  static void append(DuckDBAppender a, CapturedValue v) throws SQLException {
    a.beginRow()
        .append(v.traceId())
        .append(v.spanId())
        .append(v.seq())
        .appendEpochMicros(v.time().getEpochSecond() * 1_000_000 + v.time().getNano() / 1000)
        .append(v.service())
        .append(v.redis())
        .append(v.db())
        .append(v.namespace())
        .append(v.key())
        .append(v.operation())
        .append(v.change().wire())
        .append(v.type())
        .append(v.base64())
        .append(v.value())
        .append(v.size())
        .append(v.truncated());
    a.endRow();
  }
}
