package io.memtrace.collector.store;

import java.lang.management.ManagementFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Not a test: for {@link MoveCost}, each {@link KeptTables} set's statements in a move, timed one by one in the
 * process's CPU (DuckDB's threads included), summed per statement (named by the start of its SQL) over the moves.
 */
final class StatementProbe {

  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  /** CPU nanoseconds per statement, in the order first run. */
  private final Map<String, long[]> cpu = new TreeMap<>();
  private int order;

  /** {@code kept}, each set's statements timed. */
  List<KeptTables> wrap(List<KeptTables> kept) {
    return kept.stream().map(this::wrap).toList();
  }

  private KeptTables wrap(KeptTables tables) {
    String set = tables.getClass().getSimpleName();
    return new KeptTables() {
      @Override
      public void prepareForWriting(java.sql.Connection connection) throws SQLException {
        tables.prepareForWriting(connection);
      }

      @Override
      public void prepareForReading(java.sql.Connection connection) throws SQLException {
        tables.prepareForReading(connection);
      }

      @Override
      public void add(Statement statement, String moving) throws SQLException {
        tables.add(timed(set, statement), moving);
      }
    };
  }

  private Statement timed(String set, Statement statement) {
    return (Statement) Proxy.newProxyInstance(Statement.class.getClassLoader(), new Class<?>[] {Statement.class},
        (proxy, method, args) -> {
          boolean sql = method.getName().startsWith("execute") && args != null && args.length > 0
              && args[0] instanceof String;
          long before = sql ? OS.getProcessCpuTime() : 0;
          try {
            return method.invoke(statement, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          } finally {
            if (sql) {
              String text = ((String) args[0]).replaceAll("\\s+", " ");
              String name = set + ": " + text.substring(0, Math.min(70, text.length()));
              cpu.computeIfAbsent(name, n -> new long[] {order++, 0})[1] += OS.getProcessCpuTime() - before;
            }
          }
        });
  }

  /** Prints each statement's CPU per span of {@code spans}, and forgets them. */
  void print(long spans) {
    cpu.entrySet().stream().sorted((a, b) -> Long.compare(a.getValue()[0], b.getValue()[0])).forEach(e ->
        System.out.printf("  %6.2f us  %s%n", e.getValue()[1] / 1000.0 / spans, e.getKey()));
    cpu.clear();
    order = 0;
  }
}
