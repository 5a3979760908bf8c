package io.memtrace.collector.clickhouse.reader;

import io.memtrace.collector.query.SqlSource;

/**
 * Whether the store has a table the views keep at insert: a schema of an earlier memtrace has not until
 * {@code clickhouse init} runs again, and the reader then computes the same rows from the spans.
 */
final class KeptTable {

  private KeptTable() {
  }

  static boolean exists(SqlSource source, String table) {
    return source.query(probe(table)).size() > 0;
  }

  /** The statement that asks whether {@code table} exists: a row if it does. */
  static String probe(String table) {
    return "SELECT 1 AS kept FROM system.tables WHERE database = currentDatabase() AND name = '" + table + "'";
  }
}
