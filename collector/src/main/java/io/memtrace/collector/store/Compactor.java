package io.memtrace.collector.store;

import io.memtrace.collector.CriticalThreads;
import io.memtrace.collector.Failures;
import io.memtrace.collector.Log;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.LongUnaryOperator;
import org.duckdb.DuckDBConnection;

/**
 * Moves committed rows from {@code span_ingest} to {@code span_store} on its own connection and
 * thread, so the JSON-to-VARIANT conversion never delays an acknowledgement. The move is one
 * transaction: a crash leaves each row in exactly one of the two tables, and the {@code spans}
 * view shows it either way.
 *
 * <p>It gives way to ingest. On two cores, converting while a burst arrives took CPU from the
 * requests and halved acknowledged throughput; moving every 200 ms was worst, as each small move
 * and the checkpoints after it rewrote a part-filled row group of {@code span_store}. So while
 * spans keep arriving it leaves the tail to the view, which converts it on the fly, until the tail
 * reaches {@link #MAX_TAIL_ROWS} or has waited {@link #MAX_DELAY_MILLIS}, and then moves whole
 * row groups only, at most {@link #MAX_MOVE_ROWS} at a time; once ingest has been quiet for
 * {@link #QUIET_MILLIS}, it moves everything, one bounded move a round, a short remainder with the move before
 * it ({@link MoveSize#withRemainder}).
 */
final class Compactor implements AutoCloseable {

  private static final long INTERVAL_MILLIS = 100;
  /**
   * Ingest counts as quiet after this long without a commit or a waiting request. Longer than a
   * poll: a writer stalled by a checkpoint, or requests still being parsed, is not an idle one.
   */
  static final long QUIET_MILLIS = 300;
  /** DuckDB's row group size: moves of whole row groups leave no part-filled group to rewrite. */
  static final long ROW_GROUP_ROWS = 122_880;
  /**
   * The longest tail left to the view under load: 24 row groups (2,949,120 rows, about a minute of full capture
   * at 40-50k spans/s). A move takes CPU from ingest for its whole length (about 20 s for 8 row groups on two
   * cores), so during a burst the compactor waits: with the tail bound at 8 row groups, a load run at 40k
   * commands/s with retention off started moving after 25 s and lost a fifth of its spans at the agent; with
   * this bound, none of that run's moves fell within it. The example queries and the report read the tail's typed
   * columns, not its JSON, so they stay fast over it; its price is disk (the tail is stored uncompressed, about
   * 1 KB a span) and lineage queries during the burst, which answer the tail's events at each query.
   */
  static final long MAX_TAIL_ROWS = 24 * ROW_GROUP_ROWS;
  /** The longest a row waits under ingest that never pauses for {@link #QUIET_MILLIS}; longer than a burst. */
  static final long MAX_DELAY_MILLIS = 60_000;
  /**
   * The most rows one move takes: 8 row groups (983,040 rows). A longer tail (left by a burst, by failed moves,
   * by a crash, or at shutdown) moves in several: one move of every row of it held more than DuckDB's share of
   * the budget at 15M stored spans, failed, and was retried larger each round.
   */
  static final long MAX_MOVE_ROWS = 8 * ROW_GROUP_ROWS;

  private final DuckDBConnection connection;
  private final LongSupplier committedSeq;
  private final BooleanSupplier writerBusy;
  private final LongUnaryOperator repeatsAfter;
  private final List<KeptTables> kept;
  private final Thread thread;
  /** Held by each move, and by the writer's bulk load ({@link #whenIdle}): one of them writes span_store at a time. */
  private final ReentrantLock moving = new ReentrantLock();
  /** Every row up to here has been moved; set by {@link #compactAll} before {@link #start}; guarded by {@link #moving}. */
  private long compactedSeq = Long.MIN_VALUE;
  private volatile boolean closing;
  private volatile Exception lastFailure;
  private final AtomicLong repaired = new AtomicLong();
  private final AtomicLong setAside = new AtomicLong();
  private final AtomicLong duplicates = new AtomicLong();
  private final MoveSize moveSize = new MoveSize(MAX_MOVE_ROWS, ROW_GROUP_ROWS);

  /** {@code repeatsAfter}: see {@link DedupWindow#repeatsAfter}; {@code kept}: the tables each move adds to. */
  Compactor(DuckDBConnection connection, LongSupplier committedSeq, BooleanSupplier writerBusy,
      LongUnaryOperator repeatsAfter, List<KeptTables> kept) {
    this.connection = connection;
    this.repeatsAfter = repeatsAfter;
    this.kept = kept;
    this.committedSeq = committedSeq;
    this.writerBusy = writerBusy;
    this.thread = new Thread(this::run, "memtrace-store-compactor");
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
    CriticalThreads.watch(thread);
  }

  /** Moves every row present now, a bounded move at a time; used at start (rows left by a crash) and at shutdown. */
  void compactAll() throws SQLException {
    moving.lock();
    try {
      compactAllLocked();
    } finally {
      moving.unlock();
    }
  }

  private void compactAllLocked() throws SQLException {
    while (true) {
      long[] seqs = ingestSeqs();
      if (seqs == null || seqs[1] - seqs[0] < moveSize.withRemainder()) {
        break;
      }
      boolean smallest = moveSize.smallest();
      try {
        compact(seqs[0] - 1 + moveSize.rows());
      } catch (SQLException e) {
        if (smallest || !outOfMemory(e)) {
          throw e;
        }
      }
    }
    compact(Long.MAX_VALUE);
  }

  /** The first and last sequence numbers in {@code span_ingest}; null when it is empty. */
  private long[] ingestSeqs() throws SQLException {
    try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery("SELECT min(seq), max(seq) FROM " + Schema.TAIL)) {
      r.next();
      long first = r.getLong(1);
      return r.wasNull() ? null : new long[] {first, r.getLong(2)};
    }
  }

  private void run() {
    long lastSeen = committedSeq.getAsLong();
    long lastActive = System.nanoTime();
    long waitingSince = lastActive;
    while (!closing) {
      try {
        Thread.sleep(INTERVAL_MILLIS);
        long upTo = committedSeq.getAsLong();
        long now = System.nanoTime();
        if (upTo != lastSeen || writerBusy.getAsBoolean()) {
          lastActive = now;
        }
        lastSeen = upTo;
        moving.lock();
        try {
          long tail = upTo - compactedSeq;
          if (tail <= 0) {
            waitingSince = now;
          } else if (now - lastActive >= QUIET_MILLIS * 1_000_000) {
            // one bounded move a round while it stays quiet
            compact(tail <= moveSize.withRemainder() ? upTo : compactedSeq + moveSize.rows());
            recovered();
          } else if (tail >= MAX_TAIL_ROWS || now - waitingSince >= MAX_DELAY_MILLIS * 1_000_000) {
            compact(tail < ROW_GROUP_ROWS ? upTo : compactedSeq + Math.min(tail, moveSize.rows()) / ROW_GROUP_ROWS * ROW_GROUP_ROWS);
            recovered();
            waitingSince = System.nanoTime();
          }
        } finally {
          moving.unlock();
        }
      } catch (InterruptedException e) {
        return;
      } catch (SQLException | RuntimeException e) {
        failed(e);
      } catch (Throwable t) {
        Failures.inThread(t);
      }
    }
  }

  /** Rows stay in span_ingest, visible through the view, and the next round retries; said once per kind of failure. */
  private void failed(Exception e) {
    Exception previous = lastFailure;
    lastFailure = e;
    if (previous == null || !String.valueOf(previous.getMessage()).equals(String.valueOf(e.getMessage()))) {
      Log.warn("moving rows to span_store failed; they stay in span_ingest, visible, and the move is retried: "
          + Database.firstLine(String.valueOf(e.getMessage())));
    }
  }

  private void recovered() {
    if (lastFailure != null) {
      lastFailure = null;
      Log.warn("moving rows to span_store works again");
    }
  }

  /**
   * Moves the rows up to {@code upTo}. When the move fails because of rows DuckDB cannot convert,
   * those are repaired or set aside and the rest moves; any other failure is left for the next round.
   */
  private void compact(long upTo) throws SQLException {
    try {
      move(upTo);
      moveSize.fitted();
    } catch (SQLException e) {
      if (outOfMemory(e)) {
        // the rows stay where they are; the next move takes half as many
        moveSize.outOfMemory();
        throw e;
      }
      UnreadableRows.Outcome outcome = UnreadableRows.spans(connection, upTo);
      if (!outcome.any()) {
        throw e;
      }
      repaired.addAndGet(outcome.repaired());
      setAside.addAndGet(outcome.setAside());
      Log.warn("span rows whose JSON text DuckDB cannot read (lone surrogates an older collector stored, or worse): " + outcome.repaired()
          + " repaired with U+FFFD, " + outcome.setAside() + " set aside in table span_quarantine");
      move(upTo);
    }
  }

  private void move(long upTo) throws SQLException {
    long repeated = Transaction.run(connection, () -> {
      long moved = insert(connection, kept, Schema.TAIL, upTo, repeatsAfter.applyAsLong(compactedSeq));
      long deleted = 0;
      for (String table : new String[] {"span_ingest", KeyEventRows.INGEST_TABLE}) {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + table + " WHERE seq <= ?")) {
          delete.setLong(1, upTo);
          deleted += delete.executeUpdate();
        }
      }
      return deleted - moved;
    });
    duplicates.addAndGet(repeated);
    // after a move of "everything", the watermark is what the writer had committed, not MAX_VALUE
    compactedSeq = Math.max(compactedSeq, upTo == Long.MAX_VALUE ? committedSeq.getAsLong() : upTo);
  }

  /**
   * Within a transaction on {@code connection}: adds to the {@code kept} tables what the rows of {@code source} (a
   * table of {@code span_ingest}'s columns) up to {@code upTo} derive, each span once ({@link MovingRows}), and inserts
   * those rows into {@code span_store}, compact key events into {@link KeyEventRows#TABLE}; the rows inserted.
   */
  static long insert(DuckDBConnection connection, List<KeptTables> kept, String source, long upTo, long repeatsAfter)
      throws SQLException {
    long[] range = MovingRows.startRange(connection, source, upTo);
    if (range == null) {
      return 0;
    }
    try (Statement move = connection.createStatement()) {
      String rows = MovingRows.relation(move, source, upTo, range, repeatsAfter);
      for (KeptTables tables : kept) {
        tables.add(move, rows);
      }
      // a compact key event is kept narrow, not as a span (KeyEventRows)
      long moved = move.executeUpdate("INSERT INTO span_store BY NAME SELECT " + Schema.CONVERTED_COLUMNS + " FROM " + rows
          + " WHERE NOT (" + KeyEventRows.IN_INGEST + ")") + move.executeUpdate(KeyEventRows.insert(rows));
      move.execute("DROP TABLE IF EXISTS " + MovingRows.SKIPPED);
      return moved;
    }
  }

  /** The writer's load of a backlog straight into {@code span_store}, given the kept tables; the last seq it stored. */
  interface BulkLoad {
    long load(List<KeptTables> kept) throws SQLException;
  }

  /**
   * Runs the writer's {@code bulk} load, on the writer's connection, unless a move is running (false, without running
   * it). Rows still in {@code span_ingest} are moved first, so that {@code span_store} takes spans in the order they
   * were logged and what the kept tables derive from a span sees every span before it.
   */
  boolean whenIdle(BulkLoad bulk) throws SQLException {
    if (!moving.tryLock()) {
      return false;
    }
    try {
      if (compactedSeq < committedSeq.getAsLong()) {
        compactAllLocked();
      }
      compactedSeq = Math.max(compactedSeq, bulk.load(kept));
      return true;
    } finally {
      moving.unlock();
    }
  }

  private static boolean outOfMemory(SQLException e) {
    return String.valueOf(e.getMessage()).contains("Out of Memory");
  }

  /** Span rows repaired, and set aside, since the store was opened. */
  long repairedRows() {
    return repaired.get();
  }

  long setAsideRows() {
    return setAside.get();
  }

  /** Span rows not moved because {@code span_store} held them already, or {@code span_ingest} twice. */
  long duplicatesDropped() {
    return duplicates.get();
  }

  @Override
  public void close() throws SQLException {
    CriticalThreads.retire(thread);
    closing = true;
    thread.interrupt();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      compactAll();
    } finally {
      Database.closeQuietly(connection);
    }
  }
}
