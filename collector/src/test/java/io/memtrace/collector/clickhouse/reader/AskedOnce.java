package io.memtrace.collector.clickhouse.reader;

import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import java.util.HashMap;
import java.util.Map;

/**
 * A store's rows with each statement asked of ClickHouse once: for a database that the test only reads while it holds
 * this source (made after its last insert, init or change). The reports and sections these tests compare, each as a
 * store with fewer tables would answer it, share most of their statements, and chDB plans each one again every time
 * it is asked (seconds for a report's lineage).
 */
final class AskedOnce {

  private AskedOnce() {
  }

  static SqlSource of(SqlSource rows) {
    Map<String, ResultTable> answers = new HashMap<>();
    return SqlSource.of(rows.describe(), sql -> {
      synchronized (answers) {
        ResultTable answer = answers.get(sql);
        if (answer == null) {
          answer = rows.query(sql);
          answers.put(sql, answer);
        }
        return answer;
      }
    });
  }
}
