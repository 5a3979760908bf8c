package io.memtrace.collector.store;

import io.memtrace.collector.CollectorException;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.duckdb.DuckDBConnection;

/**
 * Opens the DuckDB file of a data directory. Every connection has external access switched off
 * and its configuration locked: nothing that runs on it, user SQL included, can read or write
 * files, attach databases or load extensions, and no {@code SET} can undo that.
 */
public final class Database {

  /**
   * How much write-ahead log the writing process lets grow before DuckDB checkpoints it into the
   * database file (DuckDB's default is 16 MB). At the default, a burst of ingest checkpointed
   * every ~50k spans, each time writing out {@code span_ingest} rows that the {@link Compactor}
   * moves away seconds later, and the writer's commits waited for it: on quiet runs IngestBenchmark
   * acknowledged 81-103k spans/s, and 106-137k at 256 MiB. Durability is unchanged, as
   * every commit still syncs the log. The price is a log of up to this size to replay when
   * {@code serve} restarts after a crash: 5.6 s to reopen after kill -9 with 200 MB of log
   * (540k spans, their compaction included), against 4.2-4.9 s for 717k spans at the default.
   */
  static final String CHECKPOINT_THRESHOLD = "256MiB";

  /**
   * DuckDB shreds a {@code VARIANT} column into typed columns, one per key it finds, in every row group it writes.
   * For {@code span_store}'s attributes that cost more than everything else in a move: the move's insert of 200k
   * realistic spans took 10-18 us of CPU per span shredded and 4.5-5.6 without; written alone, the attributes
   * column took 10-13 us per span, of which converting the JSON is 1.6-1.8. In a serve's move of 983,040 spans,
   * that insert was 13 of the 25 us per span. Shredding speeds up lookups of one key over many rows, and the
   * analyses make those on the typed columns ({@link PromotedAttributes}) instead; user SQL that looks up another
   * key reads the whole value (4-10 times slower over 200k spans, in DuckDB alone), and the store's used blocks
   * grow by about a quarter (149 to 186 MiB for 1M realistic spans). Row groups an earlier collector wrote
   * shredded stay so, and read the same.
   */
  static final String VARIANT_SHREDDING = "-1";

  /**
   * DuckDB's threads in the process that writes: one, whatever the budget. Every statement of the writer (the
   * appender's flushes, the compactor's moves, a bulk load and the kept tables derived in them, the checkpoints) ran
   * in parallel on two threads and cost far more CPU than on one: {@code store.BulkProfile}'s bulk load of 122,880
   * realistic spans took 39.4 us of the process's CPU a span on two threads and 25.5 on one (medians of 6 rounds,
   * 2026-11-30, load 14-18 on 2 cores; issue 73): the same statements on the same rows. {@code serve} shares its cores with the application it watches, so it stores
   * with one. Its own queries (the web view, {@code /api/query}, a report asked of it) run on that one thread too;
   * a report of a stopped store, opened read-only, keeps {@link MemoryLimit#threads}.
   */
  static final int WRITER_THREADS = 1;

  private Database() {
  }

  /** The only writer, within the default budget of {@link MemoryLimit}. */
  public static DuckDBConnection openWritable(StoreFiles files) {
    return openWritable(files, MemoryLimit.defaultBudget());
  }

  /**
   * The only writer: DuckDB lets one process hold a database file for writing. DuckDB gets its
   * share of {@code budgetBytes} as {@code memory_limit}, and {@link #WRITER_THREADS} threads.
   */
  public static DuckDBConnection openWritable(StoreFiles files, long budgetBytes) {
    try {
      Files.createDirectories(files.dir());
    } catch (IOException e) {
      throw new CollectorException("cannot create data directory " + files.dir() + ": " + e.getMessage(), e);
    }
    DuckDBConnection connection = open(files, false, MemoryLimit.duckdbBytes(budgetBytes), WRITER_THREADS);
    try {
      Schema.create(connection);
    } catch (SQLException e) {
      closeQuietly(connection);
      throw new CollectorException("cannot create the span tables in " + files.database() + ": " + e.getMessage(), e);
    }
    return connection;
  }

  /**
   * For {@code query}, {@code traces} and {@code report} while no server holds the file, within
   * the same default budget as {@code serve}: DuckDB's share and threads, so a report over a big
   * store stays as bounded as the server (it spills a big grouping rather than growing).
   */
  public static DuckDBConnection openReadOnly(StoreFiles files) {
    if (!files.databaseExists()) {
      throw new CollectorException("no span store at " + files.database()
          + ": start `serve --data " + files.dir() + "` or `import` a traces file first");
    }
    long budget = MemoryLimit.defaultBudget();
    DuckDBConnection connection = open(files, true, MemoryLimit.duckdbBytes(budget), MemoryLimit.threads(budget));
    try {
      Schema.prepareForReading(connection);
      for (KeptTables tables : KeptTables.installed()) {
        tables.prepareForReading(connection);
      }
    } catch (SQLException e) {
      closeQuietly(connection);
      throw new CollectorException("cannot read the lineage and key-total views of " + files.database() + ": " + e.getMessage(), e);
    }
    return connection;
  }

  private static DuckDBConnection open(StoreFiles files, boolean readOnly, long memoryLimitBytes, int threads) {
    Properties properties = new Properties();
    properties.setProperty("memory_limit", MemoryLimit.setting(memoryLimitBytes));
    properties.setProperty("threads", Integer.toString(threads));
    if (readOnly) {
      properties.setProperty("duckdb.read_only", "true");
    } else {
      properties.setProperty("checkpoint_threshold", CHECKPOINT_THRESHOLD);
      properties.setProperty("variant_minimum_shredding_size", VARIANT_SHREDDING);
    }
    properties.setProperty("enable_external_access", "false");
    properties.setProperty("lock_configuration", "true");
    try {
      return (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + files.database(), properties);
    } catch (SQLException e) {
      String message = String.valueOf(e.getMessage());
      if (message.contains("lock")) {
        throw new CollectorException("the span store " + files.database() + " is in use by another process"
            + " (a running `serve` or `import`); stop it, or query the running server: " + firstLine(message), e);
      }
      throw new CollectorException("cannot open the span store " + files.database() + ": " + firstLine(message), e);
    }
  }

  static String firstLine(String message) {
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception ignored) {
      // already failing; the first error is the one worth reporting
    }
  }
}
