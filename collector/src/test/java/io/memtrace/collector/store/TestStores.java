package io.memtrace.collector.store;

import io.memtrace.collector.ingest.TraceMapper;
import io.memtrace.collector.query.ConnectionSqlSource;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.query.TestQueryLimits;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/** Opens stores for tests, optionally without the background compactor so the ingest tail stays put. */
public final class TestStores {

  private TestStores() {
  }

  public static SpanStore open(Path dir, boolean compact) {
    return SpanStore.open(new StoreFiles(dir), compact);
  }

  public static void write(SpanStore store, ExportTraceServiceRequest request) throws Exception {
    store.writer().writeSpans(TraceMapper.map(request)).get(30, TimeUnit.SECONDS);
  }

  /** Writes {@code requests} into the open {@code store}, one after the other, each once it is written. */
  public static void write(SpanStore store, List<ExportTraceServiceRequest> requests) throws Exception {
    for (ExportTraceServiceRequest r : requests) {
      write(store, r);
    }
  }

  /** Writes the request into a closed store at {@code dir}, fully compacted. */
  public static void fill(Path dir, ExportTraceServiceRequest... requests) throws Exception {
    fill(dir, List.of(requests));
  }

  /** Writes the requests into a closed store at {@code dir}, fully compacted. */
  public static void fill(Path dir, List<ExportTraceServiceRequest> requests) throws Exception {
    try (SpanStore store = SpanStore.open(new StoreFiles(dir))) {
      write(store, requests);
    }
  }

  /** Opens the store at {@code dir} for writing, without compacting, and closes it: what it said on stderr. */
  public static String openForWriting(Path dir) {
    PrintStream err = System.err;
    ByteArrayOutputStream said = new ByteArrayOutputStream();
    System.setErr(new PrintStream(said, true));
    try (SpanStore ignored = open(dir, false)) {
      return said.toString();
    } finally {
      System.setErr(err);
    }
  }

  /** A plain JDBC connection to the store's file, with none of the collector's views added. */
  public static Connection connect(Path dir, boolean readOnly) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("duckdb.read_only", String.valueOf(readOnly));
    return DriverManager.getConnection("jdbc:duckdb:" + new StoreFiles(dir).database(), properties);
  }

  /**
   * The connection as a {@link SqlSource}, which the test closes: read as a local command reads the data directory
   * ({@link ConnectionSqlSource}), a user's statements checked and the collector's own run as they run there.
   */
  public static SqlSource source(Connection connection) {
    return new ConnectionSqlSource(connection, TestQueryLimits.HANG_GUARD) {
      @Override
      public String describe() {
        return "test";
      }

      @Override
      public void close() {
        // the test closes the connection
      }
    };
  }
}
