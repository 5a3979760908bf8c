package io.memtrace.collector.keyspace;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memtrace.collector.CollectorException;
import io.memtrace.collector.store.Appenders;
import io.memtrace.collector.store.SpanStore;
import java.sql.SQLException;
import java.time.Instant;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Writes snapshots into the store's {@code keyspace} and {@code keyspace_server} tables, on a
 * connection of its own: the span writer never waits for it, nor it for the span writer. One
 * snapshot is one transaction. Shared by the watchers of one {@code serve}; each append holds the
 * lock for its snapshot only.
 */
public final class KeyspaceTable implements KeyspaceSink, AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final DuckDBConnection connection;

  public KeyspaceTable(SpanStore store) {
    this.connection = store.connectionFor("keyspace tables");
  }

  @Override
  public synchronized void accept(PassSnapshot snapshot) {
    try {
      connection.setAutoCommit(false);
      try (DuckDBAppender a = connection.createAppender("main", "keyspace")) {
        for (KeyspaceSample s : snapshot.samples()) {
          a.beginRow().appendEpochMicros(micros(s.time())).append(s.redis()).append(s.db()).append(s.namespace())
              .append(s.layer()).append(s.keys()).append(s.bytes()).append(s.bytesError()).append(s.sampledKeys())
              .append(s.keysWithoutTtl()).append(s.ttlP50()).append(s.ttlP90()).append(s.ttlP99())
              .append(s.idleP50()).append(s.idleP90()).append(s.idleP99()).append(s.lfuFreqP50())
              .append(JSON.writeValueAsString(s.types())).append(s.passId()).append(s.complete()).append(s.stale())
              .append(s.keysError()).append(s.keysWithoutTtlError()).append(s.scannedKeys()).append(s.sampled())
              .endRow();
        }
        Appenders.flush(a);
      }
      ServerSample v = snapshot.server();
      try (DuckDBAppender a = connection.createAppender("main", "keyspace_server")) {
        a.beginRow().appendEpochMicros(micros(v.time())).append(v.redis()).append(v.usedMemory())
            .append(v.usedMemoryDataset()).append(v.maxmemory()).append(v.maxmemoryPolicy()).append(v.evictedKeys())
            .append(v.expiredKeys()).append(v.keyspaceHits()).append(v.keyspaceMisses()).append(v.keys())
            .append(v.passId()).append(v.passSeconds()).append(v.passCommands()).append(v.complete()).append(v.stale())
            .append(v.error()).endRow();
        Appenders.flush(a);
      }
      connection.commit();
    } catch (SQLException | JsonProcessingException e) {
      rollback(connection);
      throw new CollectorException("cannot store the keyspace figures of " + snapshot.redis() + ": " + e.getMessage(), e);
    }
  }

  /** Ends a transaction that failed; the watchers' tables share it. */
  public static void rollback(java.sql.Connection connection) {
    try {
      connection.rollback();
    } catch (SQLException ignored) {
      // the transaction is gone with the failure
    }
  }

  /** Microseconds since the epoch, what the appender's TIMESTAMP takes. */
  public static long micros(Instant t) {
    return t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000;
  }

  @Override
  public synchronized void close() {
    try {
      connection.close();
    } catch (SQLException ignored) {
      // closing the store closes it anyway
    }
  }
}
