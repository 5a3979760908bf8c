package io.memtrace.collector.store;

import io.memtrace.collector.CollectorException;
import io.memtrace.collector.Log;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.duckdb.DuckDBConnection;

/**
 * The span store opened for writing: the writer thread, the compactor, and connections for
 * queries that run inside the same process (the HTTP query API of {@code serve}).
 */
public final class SpanStore implements AutoCloseable {

  private final StoreFiles files;
  private final DuckDBConnection main;
  private final SpanWriter writer;
  private final Compactor compactor;
  /** The captured values' retention and budget, once {@link #keepValues} set them; null before. */
  private volatile ValueBudget values;

  private SpanStore(StoreFiles files, DuckDBConnection main, SpanWriter writer, Compactor compactor) {
    this.files = files;
    this.main = main;
    this.writer = writer;
    this.compactor = compactor;
  }

  /** Without an ingest log: trace requests are acknowledged once committed. For tests of the store's parts. */
  public static SpanStore open(StoreFiles files) {
    return open(files, MemoryLimit.defaultBudget(), true, null);
  }

  /**
   * Within the memory budget {@code budgetBytes} ({@code serve --memory}), of which DuckDB gets its share, and
   * with its {@link IngestLog}, which {@code decoder} reads back: trace requests are acknowledged once logged,
   * and loaded behind; what the log held at the last stop and was not loaded is loaded now.
   */
  public static SpanStore open(StoreFiles files, long budgetBytes, IngestLog.Decoder decoder) {
    return open(files, budgetBytes, true, decoder);
  }

  public static SpanStore open(StoreFiles files, IngestLog.Decoder decoder) {
    return open(files, MemoryLimit.defaultBudget(), true, decoder);
  }

  /** {@code compactInBackground=false} leaves rows in {@code span_ingest} until close; for tests of the view. */
  static SpanStore open(StoreFiles files, boolean compactInBackground) {
    return open(files, MemoryLimit.defaultBudget(), compactInBackground, null);
  }

  private static SpanStore open(StoreFiles files, long budgetBytes, boolean compactInBackground,
      IngestLog.Decoder decoder) {
    if (decoder == null) {
      String pending = IngestLog.pendingNote(files.ingestLog());
      if (pending != null) {
        throw new CollectorException("cannot open the span store without its ingest log: " + pending);
      }
    }
    DuckDBConnection main = Database.openWritable(files, budgetBytes);
    try {
      long firstSeq = nextSeq(main);
      SpanWriter writer = new SpanWriter(main.duplicate(), firstSeq);
      Compactor compactor = new Compactor(main.duplicate(), writer::committedSeq, writer::busy,
          writer::repeatsAfter, KeptTables.installed());
      compactor.compactAll();
      writer.bulkVia(compactor, SpanWriter.bulkRows());
      repairMetrics(main, files);
      // after the compaction, which has set aside any row the backfill could not read
      AttributeTypes.backfill(main);
      if (decoder != null) {
        IngestLog log = IngestLog.open(files.ingestLog(), decoder, writer);
        if (log.replayed() > 0) {
          // what the last process logged after its last note of what it had loaded: loaded now, and moved before
          // any query runs, so that a span it had loaded already is dropped by the move and never seen twice
          log.awaitAllLoaded();
          compactor.compactAll();
        }
      }
      if (compactInBackground) {
        compactor.start();
      }
      return new SpanStore(files, main, writer, compactor);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      Database.closeQuietly(main);
      throw new CollectorException("interrupted while loading the ingest log of " + files.dir(), e);
    } catch (SQLException e) {
      Database.closeQuietly(main);
      throw new CollectorException("cannot open the span store " + files.database() + ": " + e.getMessage(), e);
    }
  }

  /** Metric rows an older collector wrote with JSON that DuckDB cannot read; only such a store has any. */
  private static void repairMetrics(Connection connection, StoreFiles files) throws SQLException {
    UnreadableRows.Outcome outcome = UnreadableRows.metrics(connection);
    if (outcome.any()) {
      Log.warn(files.database() + ": metric rows whose JSON attributes DuckDB cannot read (lone surrogates an older "
          + "collector stored, or worse): " + outcome.repaired() + " repaired with U+FFFD, " + outcome.setAside()
          + " set aside in table metric_quarantine");
    }
  }

  private static long nextSeq(Connection connection) throws SQLException {
    try (Statement s = connection.createStatement();
         ResultSet r = s.executeQuery("SELECT coalesce(max(seq), 0) + 1 FROM " + Schema.TAIL)) {
      r.next();
      return r.getLong(1);
    }
  }

  public StoreFiles files() {
    return files;
  }

  public SpanWriter writer() {
    return writer;
  }

  /** Span rows the compactor repaired, and set aside in {@code span_quarantine}, since the store was opened. */
  public long repairedRows() {
    return compactor.repairedRows();
  }

  public long setAsideRows() {
    return compactor.setAsideRows();
  }

  /**
   * Spans not stored again since the store was opened: repeats the writer recognised among the
   * spans it committed recently, and older ones the compactor found in {@code span_store}.
   */
  public long duplicatesSkipped() {
    return writer.duplicatesSkipped() + compactor.duplicatesDropped();
  }

  /**
   * A new connection to the same database, for one query; the caller closes it. It reads what is loaded now:
   * spans acknowledged and still in the ingest log ({@link #pendingSpans}) are not in it until the writer gets to
   * them. A caller that must see every span acknowledged before it asked calls {@link #awaitLoaded} first.
   */
  public DuckDBConnection newConnection() throws SQLException {
    return main.duplicate();
  }

  /** A new connection, kept by its owner for {@code what} (the keyspace tables); an error names them. */
  public DuckDBConnection connectionFor(String what) {
    try {
      return newConnection();
    } catch (SQLException e) {
      throw new CollectorException("cannot open the " + what + ": " + e.getMessage(), e);
    }
  }

  /** Spans the writer loaded straight into {@code span_store} from a backlog, since the store was opened. */
  public long spansLoadedInBulk() {
    return writer.bulkLoaded();
  }

  /** Spans acknowledged and not yet loaded from the ingest log: what a connection opened now does not see. */
  public long pendingSpans() {
    IngestLog log = writer.log();
    return log == null ? 0 : log.unloadedSpans();
  }

  /**
   * Waits, up to {@link #LOAD_WAIT_MILLIS}, for every trace request acknowledged before the call to be loaded,
   * so that a query asked next reads its own writes; returns the spans still waiting when it gave up (0 when all
   * were loaded). A backlog can take minutes to load, so the wait is bounded and the query then runs without them.
   */
  public long awaitLoaded() throws SQLException {
    IngestLog log = writer.log();
    return log == null ? 0 : loadWaits.await(log);
  }

  /**
   * How many calls of {@link #awaitLoaded} found acknowledged spans still to be loaded, and so waited for them (up to
   * {@link #LOAD_WAIT_MILLIS}): what tells a reader that answers at once from what is loaded from one that waits.
   */
  public long loadWaits() {
    return loadWaits.count();
  }

  private final LoadWaits loadWaits = new LoadWaits(LOAD_WAIT_MILLIS);

  /** How long {@link #awaitLoaded} waits for acknowledged spans to be loaded before a query runs without the rest. */
  public static final long LOAD_WAIT_MILLIS = 30_000;

  /**
   * Keeps the captured values ({@code key_value}) within {@code retention} and {@code budgetBytes} from now on
   * ({@link ValueBudget}), checked every {@code interval}; a server calls it once.
   */
  public void keepValues(Duration retention, long budgetBytes, Duration interval)
      throws SQLException {
    ValueBudget budget = new ValueBudget(main.duplicate(), retention, budgetBytes, interval);
    values = budget;
    budget.start();
  }

  /** What the values' retention and budget keep and removed; null when no server set them. */
  public ValueBudget.Figures valueFigures() {
    ValueBudget budget = values;
    return budget == null ? null : budget.figures();
  }

  /** The store's ingest log, or null when trace requests are acknowledged at commit. */
  public IngestLog ingestLog() {
    return writer.log();
  }

  /** Stops accepting rows once the queue is drained, compacts, checkpoints and closes the file. */
  @Override
  public void close() {
    try {
      ValueBudget budget = values;
      if (budget != null) {
        budget.close();
      }
      IngestLog log = writer.log();
      if (log != null) {
        log.close();
      }
      writer.close();
      if (log != null) {
        log.closeLoaded();
      }
      compactor.close();
      try (Statement s = main.createStatement()) {
        s.execute("CHECKPOINT");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (SQLException e) {
      throw new CollectorException("closing the span store failed: " + e.getMessage(), e);
    } finally {
      Database.closeQuietly(main);
    }
  }
}
