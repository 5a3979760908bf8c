package io.memtrace.collector.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.Statement;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Not a test: what DuckDB's appender costs per row of a table as wide as {@code span_ingest} (16 span columns and
 * 20 typed ones), on its own, with no parsing and no HTTP: the floor under any ingest path that writes one such
 * row per span. Prints, per round, the appending thread's CPU and the whole process's CPU per row.
 * Run: {@code java -cp target/test-classes:target/memtrace-collector.jar io.memtrace.collector.bench.AppenderCost [rows]}.
 */
public final class AppenderCost {

  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    Path dir = ScratchStore.create("appender-cost");
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    StringBuilder columns = new StringBuilder("seq BIGINT, trace_id VARCHAR, span_id VARCHAR, parent VARCHAR, name VARCHAR, "
        + "kind VARCHAR, start_time TIMESTAMP, end_time TIMESTAMP, duration_ms DOUBLE, status VARCHAR, service VARCHAR, "
        + "scope VARCHAR, attributes VARCHAR, events VARCHAR, resource VARCHAR, received_at TIMESTAMP");
    for (int i = 0; i < 20; i++) {
      columns.append(", p").append(i).append(i % 3 == 0 ? " BIGINT" : " VARCHAR");
    }
    String attributes = "{\"db.system.name\":{\"s\":\"redis\"},\"db.operation.name\":{\"s\":\"GET\"},"
        + "\"memory.key\":{\"s\":\"aqe/test-plans:test-plan-user-service-123\"},\"server.port\":{\"i\":6379}}";
    try (DuckDBConnection c = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("db.duckdb"))) {
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE t (" + columns + ")");
      }
      for (int round = 0; round < 3; round++) {
        long thread0 = threads.getCurrentThreadCpuTime();
        long process0 = os.getProcessCpuTime();
        for (int done = 0; done < rows; done += 20_000) {
          try (DuckDBAppender a = c.createAppender("main", "t")) {
            for (int i = 0; i < 20_000; i++) {
              long seq = (long) round * rows + done + i;
              a.beginRow().append(seq).append("0af7651916cd43dd8448eb211c8031" + (seq % 100)).append("b7ad6b71692033" + (seq % 100))
                  .append("00f067aa0ba902b7").append("GET").append("CLIENT").appendEpochMicros(1_700_000_000_000_000L + seq)
                  .appendEpochMicros(1_700_000_000_000_100L + seq).append(0.1).append("UNSET").append("demo").append("memtrace")
                  .append(attributes).append("[]").append("{\"service.name\":\"demo\"}").appendEpochMicros(1_700_000_000_000_000L);
              for (int j = 0; j < 20; j++) {
                if (j % 3 == 0) {
                  a.append(seq);
                } else if (j < 6) {
                  a.append("value-" + (seq % 50));
                } else {
                  a.appendNull();
                }
              }
              a.endRow();
            }
          }
        }
        System.out.printf("round %d: %.2f us of the appending thread's CPU per row, %.2f us of the process's%n", round,
            (threads.getCurrentThreadCpuTime() - thread0) / 1000.0 / rows, (os.getProcessCpuTime() - process0) / 1000.0 / rows);
      }
    }
  }
}
