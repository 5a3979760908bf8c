package io.memtrace.collector.query;

import io.memtrace.collector.CollectorException;
import io.memtrace.collector.store.AttributeTypes;
import io.memtrace.collector.store.PromotedAttributes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import org.duckdb.DuckDBResultSetMetaData;
import org.duckdb.StatementReturnType;

/**
 * Runs one read-only query, its attribute lookups typed by {@link TypedAttributes}. The
 * {@link SqlGuard} reads a user's statement's parse tree first, and it must prepare to a result set;
 * every statement runs in a {@code READ ONLY} transaction that is always rolled back, so DuckDB itself
 * refuses any write that got this far. The {@link QueryLimits} bound its time (the
 * {@link QueryWatchdog} interrupts it) and the rows and bytes it returns: the driver hands rows
 * over a chunk at a time and reading stops at the bound ({@link BoundedRows}), so the Java heap
 * never holds more. DuckDB
 * itself keeps a result within its memory limit (spilling or failing with its own error).
 * DuckDB 2.0's JDBC driver can stream results too, but then reports every execution error as
 * "Invalid result set"; a user's SQL needs the real message more.
 */
public final class QueryRunner {

  /** The connections in a snapshot {@link #beginSnapshot} opened. */
  private static final Set<Connection> HELD = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

  private QueryRunner() {
  }

  /**
   * Opens a read-only transaction that the statements run on {@code connection} then share, instead of one each: a
   * reader that asks several statements of a store being loaded sees one state of it, not a load between two of them
   * (memory health's calls before a load and its keys after it, say). Until {@link #endSnapshot}; the statements still
   * run through the same guard and limits, and every write is still refused.
   */
  public static void beginSnapshot(Connection connection) throws SQLException {
    execute(connection, "BEGIN TRANSACTION READ ONLY");
    HELD.add(connection);
  }

  /** Ends what {@link #beginSnapshot} opened (rolled back: it wrote nothing). */
  public static void endSnapshot(Connection connection) throws SQLException {
    if (HELD.remove(connection)) {
      execute(connection, "ROLLBACK");
    }
  }

  /** A query of a local command: default limits, no client to lose. */
  public static ResultTable run(Connection connection, String sql) {
    return run(connection, sql, QueryLimits.DEFAULT, RunningQuery.Client.LOCAL);
  }

  public static ResultTable run(Connection connection, String sql, QueryLimits limits, RunningQuery.Client client) {
    return run(connection, sql, limits, client, false);
  }

  /** As above; {@code values}: whether it may read the captured values ({@link SqlGuard#check(Connection, String, boolean)}). */
  public static ResultTable run(Connection connection, String sql, QueryLimits limits, RunningQuery.Client client,
      boolean values) {
    String typed = TypedAttributes.rewrite(sql, AttributeTypes.castTypes(connection), PromotedAttributes.inView(connection));
    SqlGuard.check(connection, typed, values);
    return runChecked(connection, typed, limits, client);
  }

  /**
   * One of the collector's own statements (a report section's), not a user's: rewritten as {@link #run} rewrites, with
   * the store's attribute types as {@link OwnStatements} read them once, and not sent through {@link SqlGuard}, whose
   * parse of the statement to JSON and walk of it cost 5-20 ms a statement (a report runs about 30). Still in a
   * read-only transaction, under the watchdog and within {@code limits}.
   */
  public static ResultTable runOwn(Connection connection, String sql, OwnStatements own, QueryLimits limits,
      RunningQuery.Client client) {
    return runChecked(connection, own.rewrite(connection, sql), limits, client, rs -> BoundedRows.read(rs, limits), false);
  }

  /**
   * One of the collector's own statements as {@link #runOwn} runs it (read-only, under the watchdog's timeout), its
   * rows handed to {@code reader} as the driver gives them: no row or byte cap and no shared result budget, since the
   * statement bounds its rows itself and {@code reader} keeps only records. Not for a user's statement.
   */
  public static <T> T readOwn(Connection connection, String sql, OwnStatements own, QueryLimits limits,
      RunningQuery.Client client, java.util.function.Function<RowCursor, T> reader) {
    return runChecked(connection, own.rewrite(connection, sql), limits, client, rs -> {
      try {
        return reader.apply(RowCursor.of(rs));
      } catch (RowCursor.Failure e) {
        throw e.getCause();
      }
    }, false);
  }

  private interface Rows<T> {
    T read(ResultSet rs) throws SQLException;
  }

  private static ResultTable runChecked(Connection connection, String typed, QueryLimits limits,
      RunningQuery.Client client) {
    return runChecked(connection, typed, limits, client, rs -> BoundedRows.read(rs, limits), true);
  }

  /**
   * {@code prepared}: a user's statement is prepared first, so that one that would not return rows is refused before
   * it runs. DuckDB plans a prepared statement again when it executes it, so the collector's own statements, whose
   * report sections take 0.3-0.5 s each to plan, run unprepared: planned once, half the CPU.
   */
  private static <T> T runChecked(Connection connection, String typed, QueryLimits limits,
      RunningQuery.Client client, Rows<T> reader, boolean prepared) {
    RunningQuery running = QueryWatchdog.watch(limits.timeout(), client);
    boolean held = HELD.contains(connection);
    try {
      if (!held) {
        execute(connection, "BEGIN TRANSACTION READ ONLY");
      }
      try (Statement statement = prepared ? prepareRows(connection, typed) : connection.createStatement()) {
        running.attach(statement);
        if (running.stopReason() != null) {
          throw stopped(running);
        }
        try (ResultSet rs = prepared ? ((PreparedStatement) statement).executeQuery() : statement.executeQuery(typed)) {
          T table = reader.read(rs);
          if (running.stopReason() != null) {
            throw stopped(running);
          }
          return table;
        }
      } catch (SQLException | RuntimeException e) {
        if (held) {
          renew(connection, e);
        }
        throw e;
      } finally {
        if (!held) {
          execute(connection, "ROLLBACK");
        }
      }
    } catch (SQLException e) {
      if (running.stopReason() != null) {
        throw stopped(running);
      }
      throw new CollectorException("query failed: " + String.valueOf(e.getMessage()).strip(), e);
    } finally {
      QueryWatchdog.forget(running);
    }
  }

  /** {@code sql} prepared, refused unless it returns rows. */
  private static PreparedStatement prepareRows(Connection connection, String sql) throws SQLException {
    PreparedStatement statement = connection.prepareStatement(sql);
    try {
      ResultSetMetaData meta = statement.getMetaData();
      if (meta instanceof DuckDBResultSetMetaData
          && ((DuckDBResultSetMetaData) meta).getReturnType() != StatementReturnType.QUERY_RESULT) {
        throw SqlGuard.rejected("the statement does not return rows");
      }
      return statement;
    } catch (SQLException | RuntimeException e) {
      statement.close();
      throw e;
    }
  }

  /**
   * A statement failed in a held snapshot, which DuckDB then refuses every further statement in: the reader's next
   * statements read a new one. Where that cannot be opened, they each open their own again, read-only as before.
   */
  private static void renew(Connection connection, Exception failure) {
    try {
      execute(connection, "ROLLBACK");
      execute(connection, "BEGIN TRANSACTION READ ONLY");
    } catch (SQLException e) {
      HELD.remove(connection);
      failure.addSuppressed(e);
    }
  }

  private static CollectorException stopped(RunningQuery running) {
    return new QueryStopped(running.stopReason(), RunningQuery.CLIENT_GONE.equals(running.stopReason()));
  }

  private static void execute(Connection connection, String sql) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute(sql);
    }
  }
}
