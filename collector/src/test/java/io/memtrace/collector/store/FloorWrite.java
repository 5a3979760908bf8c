package io.memtrace.collector.store;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Not a test: the floor of issue 73, the cheapest write of decoded spans into DuckDB found, with nothing else (no
 * log, no duplicates window, no key events, no second copy). Each way writes the same prepared rows into a table of
 * its own in a store opened as {@code serve} opens it; {@link IngestFloorBenchmark} runs it and prints the figures.
 */
public final class FloorWrite {

  /** How the rows go in. */
  public enum Way {
    /** {@code span_store}'s columns with the attributes as JSON text: hex ids, timestamps; one transaction. */
    TEXT_BULK,
    /** Ids as HUGEINT (trace) and BIGINT (span, parent), times as BIGINT nanoseconds; one transaction. */
    TYPED_BULK,
    /** The typed row as today's writer commits: a commit (and WAL write) per 2,048-row chunk of the appender. */
    TYPED_AUTOCOMMIT,
    /**
     * The typed row by whole columns: a Java table function ({@link FloorColumns}) hands DuckDB each 2,048-row chunk a
     * column at a time ({@code setStrings}: one JNI call a string column), {@code INSERT ... SELECT} in one transaction.
     */
    TYPED_COLUMNS,
    /**
     * {@link #TYPED_BULK} with the names ({@code name, kind, status_code, service_name, scope_name}) as ENUM columns of
     * the values the rows hold: the appender writes an ENUM value by its dictionary in Java, no JNI call. An ENUM takes
     * no new value once made, so each round writes a table of its own.
     */
    TYPED_ENUM,
    /**
     * Not a floor: what {@code serve} writes for a span below a backlog of a row group, in a store of its own: the
     * writer's flushes of up to 16,384 rows into {@code span_ingest} (a commit per 2,048-row chunk; one transaction
     * with the captured values into {@code key_value} when a flush has any), then the compactor's move of them into
     * {@code span_store} with the kept tables (key events, memory calls, key totals, rollups) and the delete.
     */
    SERVE_USUAL,
    /**
     * Not a floor: {@code serve}'s bulk load of a backlog, in a store of its own: one transaction appending the rows
     * into the temporary {@code span_bulk} (and values into {@code key_value}), then inserting them into
     * {@code span_store} with the kept tables.
     */
    SERVE_BULK,
    /**
     * Not a floor: {@link #SERVE_BULK} without the kept tables (span_store alone, the attributes converted to VARIANT),
     * in a store of its own: what the kept tables cost is {@link #SERVE_BULK}'s figure less this one.
     */
    SERVE_BULK_SPANS;

    boolean typed() {
      return this != TEXT_BULK;
    }

    boolean oneTransaction() {
      return this != TYPED_AUTOCOMMIT;
    }

    /** Whether this way is serve's own path, written into a store of its own, not a candidate for the floor. */
    public boolean serve() {
      return this == SERVE_USUAL || this == SERVE_BULK || this == SERVE_BULK_SPANS;
    }

    String table() {
      return "floor_" + name().toLowerCase(java.util.Locale.ROOT);
    }

    String ddl(List<PreparedSpans> requests) {
      if (this == TYPED_ENUM) {
        return FloorEnums.ddl(table(), requests) + TYPED_BULK.ddl(requests).replace(TYPED_BULK.table(), table())
            .replace("name VARCHAR, kind VARCHAR, status_code VARCHAR", "name floor_name, kind floor_kind, "
                + "status_code floor_status_code")
            .replace("service_name VARCHAR, scope_name VARCHAR", "service_name floor_service_name, "
                + "scope_name floor_scope_name");
      }
      String ids = typed() ? "trace_id HUGEINT, span_id BIGINT, parent_span_id BIGINT, start_nanos BIGINT, end_nanos BIGINT"
          : "trace_id VARCHAR, span_id VARCHAR, parent_span_id VARCHAR, start_time TIMESTAMP, end_time TIMESTAMP";
      return "CREATE TABLE IF NOT EXISTS " + table() + " (" + ids + ", trace_state VARCHAR, name VARCHAR, "
          + "kind VARCHAR, status_code VARCHAR, status_message VARCHAR, service_name VARCHAR, scope_name VARCHAR, "
          + "attributes VARCHAR, events VARCHAR, resource_attributes VARCHAR, received_at TIMESTAMP, "
          + PromotedAttributes.definitions() + ", links VARCHAR)";
    }
  }

  /** CPU of one write: the appending thread's and the whole process's (DuckDB's threads included), in ns. */
  public record Cpu(long threadNanos, long processNanos) {
  }

  private final Map<Way, DuckDBConnection> connections;
  private final List<PreparedSpans> requests;
  private final List<KeptTables> kept = KeptTables.installed();

  private FloorWrite(Map<Way, DuckDBConnection> connections, List<PreparedSpans> requests) {
    this.connections = connections;
    this.requests = requests;
  }

  /**
   * The decoded spans of each request, prepared as the writer gets them (before any clock starts), each way writing on
   * the connection given for it: the floor's ways may share a store, each serve way needs its own.
   */
  public static FloorWrite of(Map<Way, DuckDBConnection> connections, List<List<SpanRow>> requests) {
    return new FloorWrite(connections, requests.stream().map(PreparedSpans::of).toList());
  }

  public int rows() {
    return requests.stream().mapToInt(PreparedSpans::size).sum();
  }

  /** Writes every row once the {@code way}, then checkpoints, so that what a write leaves to do later is counted. */
  public Cpu write(Way way) throws SQLException {
    DuckDBConnection connection = connections.get(way);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    try (Statement s = connection.createStatement()) {
      if (!way.serve()) {
        s.execute(way.ddl(requests));
      }
      s.execute("CHECKPOINT");
    }
    long thread0 = threads.getCurrentThreadCpuTime();
    long process0 = os.getProcessCpuTime();
    if (way == Way.SERVE_USUAL) {
      ServeWrite.usual(connection, requests, kept);
    } else if (way == Way.SERVE_BULK || way == Way.SERVE_BULK_SPANS) {
      ServeWrite.bulk(connection, requests, way == Way.SERVE_BULK ? kept : List.of());
    } else if (way == Way.TYPED_COLUMNS) {
      FloorColumns.insert(connection, way.table(), requests);
    } else if (way.oneTransaction()) {
      Transaction.run(connection, () -> {
        try (Statement s = connection.createStatement()) {
          s.execute("SELECT 1"); // setAutoCommit(false) opens no native transaction until a statement runs
        }
        append(connection, way);
        return null;
      });
    } else {
      append(connection, way);
    }
    try (Statement s = connection.createStatement()) {
      s.execute("CHECKPOINT");
    }
    return new Cpu(threads.getCurrentThreadCpuTime() - thread0, os.getProcessCpuTime() - process0);
  }

  private void append(DuckDBConnection connection, Way way) throws SQLException {
    int columns = PromotedAttributes.COLUMNS.size();
    long received = System.currentTimeMillis() * 1000;
    try (DuckDBAppender a = connection.createAppender("main", way.table())) {
      for (PreparedSpans p : requests) {
        for (int i = 0; i < p.size(); i++) {
          SpanRow r = p.rows.get(i);
          a.beginRow();
          if (way.typed()) {
            String t = r.traceId();
            a.appendHugeInt(Long.parseUnsignedLong(t, 16, 32, 16), Long.parseUnsignedLong(t, 0, 16, 16))
                .append(Long.parseUnsignedLong(r.spanId(), 16));
            if (r.parentSpanId() == null || r.parentSpanId().isEmpty()) {
              a.appendNull();
            } else {
              a.append(Long.parseUnsignedLong(r.parentSpanId(), 16));
            }
            a.append(r.startNanos()).append(r.endNanos());
          } else {
            a.append(r.traceId()).append(r.spanId());
            RowAppender.text(a, r.parentSpanId());
            a.appendEpochMicros(r.startNanos() / 1000).appendEpochMicros(r.endNanos() / 1000);
          }
          RowAppender.text(a, r.traceState());
          a.append(r.name()).append(r.kind()).append(r.statusCode());
          RowAppender.text(a, r.statusMessage());
          RowAppender.text(a, r.serviceName());
          RowAppender.text(a, r.scopeName());
          a.append(r.attributesJson()).append(r.eventsJson()).append(r.resourceJson()).appendEpochMicros(received);
          for (int c = 0; c < columns; c++) {
            RowAppender.promoted(a, p.promoted[i * columns + c]);
          }
          RowAppender.text(a, r.linksJson());
          a.endRow();
        }
      }
    }
  }
}
