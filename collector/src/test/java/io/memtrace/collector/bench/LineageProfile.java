package io.memtrace.collector.bench;

import io.memtrace.collector.embedded.ReportBuilder;
import io.memtrace.collector.query.LocalSqlSource;
import io.memtrace.collector.reader.Layer;
import io.memtrace.collector.store.Database;
import io.memtrace.collector.store.StoreFiles;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Not a test: where the report's lineage sections spend their time. Builds the report of a layer over a stopped
 * store once, keeping the SQL of each query that reads the lineage views ({@link LineageBenchmark}'s rule), then runs
 * each of them {@code runs} times on one connection, printing the process's CPU (user + system, DuckDB's threads
 * included) and wall time of each run, and, with a directory, writes each statement and its {@code EXPLAIN ANALYZE}.
 * Run: {@code java -cp target/test-classes:target/memtrace-collector.jar io.memtrace.collector.bench.LineageProfile
 * DIR redis|memory [runs] [explain dir]}
 */
public final class LineageProfile {

  public static void main(String[] args) throws Exception {
    StoreFiles files = new StoreFiles(Paths.get(args[0]));
    Layer layer = Layer.valueOf(args[1].toUpperCase());
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    Path explain = args.length > 3 ? Paths.get(args[3]) : null;
    List<String> statements;
    try (LocalSqlSource local = new LocalSqlSource(files)) {
      LineageBenchmark.Timed timed = new LineageBenchmark.Timed(local);
      new ReportBuilder(timed, null, 6, layer).build();
      statements = timed.statements;
    }
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    try (Connection c = Database.openReadOnly(files); Statement s = c.createStatement()) {
      for (int i = 0; i < statements.size(); i++) {
        String sql = statements.get(i);
        if (explain != null) {
          Files.createDirectories(explain);
          Files.writeString(explain.resolve(layer.name().toLowerCase() + "-" + i + ".sql"), sql);
        }
        List<String> cpu = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
          long cpu0 = os.getProcessCpuTime();
          long t0 = System.nanoTime();
          try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
              // drain
            }
          }
          cpu.add((os.getProcessCpuTime() - cpu0) / 1_000_000 + "/" + (System.nanoTime() - t0) / 1_000_000);
        }
        System.out.println("query " + i + " (cpu/wall ms): " + cpu + "  " + sql.substring(0, Math.min(90, sql.length())));
        if (explain != null) {
          Files.createDirectories(explain);
          StringBuilder plan = new StringBuilder(sql).append("\n\n");
          try (ResultSet rs = s.executeQuery("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)) {
            while (rs.next()) {
              plan.append(rs.getString(2)).append('\n');
            }
          }
          Files.writeString(explain.resolve(layer.name().toLowerCase() + "-" + i + ".txt"), plan);
        }
      }
    }
  }
}
