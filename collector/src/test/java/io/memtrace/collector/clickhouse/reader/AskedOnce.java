package io.memtrace.collector.clickhouse.reader;

import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.reader.ReportRequest;
import io.memtrace.collector.reader.StoreReader;
import io.memtrace.collector.reader.ViewQuestion;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
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

  /**
   * {@code reader}, its reports, headlines and the web view's answers asked through {@code rows} (this class's source
   * of its rows), its other answers as it gives them: a headline asks the statements of its report's sections, a report
   * the statements of the same report asked as a store with fewer tables would answer it, which a test asks through
   * {@code rows} too, and each page's answer the same probes of the store's tables.
   */
  static StoreReader reporting(ClickHouseReader reader, SqlSource rows) {
    return (StoreReader) Proxy.newProxyInstance(StoreReader.class.getClassLoader(), new Class<?>[] {StoreReader.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "report" -> reader.report((ReportRequest) args[0], rows);
          case "headline" -> reader.headline((ReportRequest) args[0], rows);
          case "view" -> reader.view((ViewQuestion) args[0], rows);
          default -> {
            try {
              yield method.invoke(reader, args);
            } catch (InvocationTargetException e) {
              throw e.getCause();
            }
          }
        });
  }
}
