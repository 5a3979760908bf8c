package io.memtrace.collector.store;

import io.memtrace.collector.CriticalThreads;
import io.memtrace.collector.Failures;
import io.memtrace.collector.Log;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * The single thread that writes to the database. Requests hand over their rows and wait on the
 * returned future, which completes only after the rows are committed; concurrent requests share
 * one commit (group commit). Trace requests of a store with an {@link IngestLog} are acknowledged by
 * the log instead, and loaded here in the order they were logged; one the store cannot commit is
 * tried again, never dropped. One appender flush is one DuckDB transaction, and a request's rows
 * never span two flushes, so a request is stored whole or not at all. Spans it committed recently,
 * or that come twice in one flush, are skipped ({@link DedupWindow}), so a retried request is
 * answered 200 without being stored again.
 */
public final class SpanWriter implements AutoCloseable {

  /**
   * Rows per flush; below DuckDB's own auto-flush threshold so a flush stays one transaction. Loading a backlog
   * from the ingest log, every row of a flush is decoded and alive at once: 100,000 rows a flush kept 150 MB
   * alive long enough to reach the old generation, and G1's concurrent cycles cost 6 ms of CPU per 1000 spans.
   */
  private static final int MAX_ROWS_PER_FLUSH = 16_384;
  /**
   * Logged spans waiting at which the writer loads them straight into {@code span_store} ({@link #loadBulk}): one row
   * group, which DuckDB writes to the database file with no WAL. The system property, read at each open, is for tests
   * that load or kill a bulk load without sending a row group each time.
   */
  static int bulkRows() {
    return Integer.getInteger("memtrace.store.bulk-rows", (int) Compactor.ROW_GROUP_ROWS);
  }
  /** How long bulk loads stay off after one failed (its requests load the usual way meanwhile). */
  private static final long BULK_PAUSE_MILLIS = 60_000;

  private final DuckDBConnection connection;
  /**
   * Requests that wait on their commit (metrics, spans of a store without an ingest log, imports) go before the
   * logged ones, which are acknowledged already: behind a backlog of millions of logged spans, a metric request
   * waited minutes and its sender timed out. {@link #work} holds a permit per queued request of either.
   */
  private final BlockingQueue<Pending> direct = new LinkedBlockingQueue<>();
  private final BlockingDeque<Pending> logged = new LinkedBlockingDeque<>();
  private final Semaphore work = new Semaphore(0);
  /** Where trace requests are made durable before they are loaded here; null when they are acknowledged at commit. */
  private volatile IngestLog log;
  private final AtomicLong nextSeq;
  private final AtomicLong committedSeq;
  private AttributeTypes.Recorder attributeTypes;
  private final DedupWindow window;
  private final Thread thread;
  private volatile boolean closing;
  private volatile boolean flushing;
  private final Object lifecycle = new Object();
  /** Set by the writer thread as it ends; guarded by {@link #lifecycle}. */
  private boolean stopped;
  /** Writer thread only: when loading logged requests began to fail (0: it does not), and when that was last said. */
  private long failingSince;
  private long warnedAt;
  private boolean abandonedLogged;
  /** Where a backlog is loaded straight into span_store; null until {@link #bulkVia}, and in stores without a log. */
  private volatile Compactor bulk;
  private volatile int bulkRows;
  /** Writer thread only: bulk loads are off until then, after one failed. */
  private long bulkOffUntil;
  private final AtomicLong bulkRepeats = new AtomicLong();
  private final AtomicLong bulkLoaded = new AtomicLong();

  SpanWriter(DuckDBConnection connection, long firstSeq) throws SQLException {
    this(connection, firstSeq, DedupWindow.perGeneration(Runtime.getRuntime().maxMemory()));
  }

  /** {@code perGeneration}: the window's size (see {@link DedupWindow}); tests make it small to see it forget. */
  SpanWriter(DuckDBConnection connection, long firstSeq, int perGeneration) throws SQLException {
    this.connection = connection;
    this.attributeTypes = new AttributeTypes.Recorder(connection);
    this.window = new DedupWindow(perGeneration, firstSeq);
    this.nextSeq = new AtomicLong(firstSeq);
    this.committedSeq = new AtomicLong(firstSeq - 1);
    this.thread = new Thread(this::run, "memtrace-store-writer");
    this.thread.start();
    CriticalThreads.watch(thread);
  }

  /**
   * Queues the rows for the next commit. What the writer needs of each row (its keys for the window, its
   * promoted columns, its attribute types) is worked out here, on the caller's thread, not the writer's.
   */
  public CompletableFuture<Void> writeSpans(List<SpanRow> rows) {
    return writeSpans(PreparedSpans.of(rows));
  }

  CompletableFuture<Void> writeSpans(PreparedSpans spans) {
    return submit(new Pending(spans, null, null));
  }

  /**
   * A trace request's spans with the body they were decoded from ({@code json}: OTLP/JSON, else protobuf): the
   * future completes once the request is durable, in the {@link IngestLog} when the store has one (the rows are
   * loaded after), else once the rows are committed.
   */
  public CompletableFuture<Void> acknowledgeSpans(boolean json, byte[] body, List<SpanRow> rows) {
    IngestLog l = log;
    return l == null ? writeSpans(rows) : l.append(json, body, rows, System.currentTimeMillis() * 1000);
  }

  void useLog(IngestLog log) {
    this.log = log;
  }

  /** Loads a backlog of {@code rows} logged spans or more straight into {@code span_store}, beside {@code compactor}. */
  void bulkVia(Compactor compactor, int rows) {
    this.bulkRows = rows;
    this.bulk = compactor;
  }

  IngestLog log() {
    return log;
  }

  /** A logged request, to be loaded in its turn; never refused, since the log stops before the writer. */
  void load(LogEntry entry) {
    logged.add(new Pending(null, null, entry));
    work.release();
  }

  public CompletableFuture<Void> writeMetrics(List<MetricRow> rows) {
    return submit(new Pending(null, rows, null));
  }

  /** Whether requests are waiting or being committed: the compactor holds back while they are. */
  boolean busy() {
    return flushing || !direct.isEmpty() || !logged.isEmpty();
  }

  /** Spans not stored because the writer had committed them recently, or got them twice at once. */
  long duplicatesSkipped() {
    return window.skipped() + bulkRepeats.get();
  }

  /** See {@link DedupWindow#repeatsAfter}. */
  long repeatsAfter(long movedThrough) {
    return window.repeatsAfter(movedThrough);
  }

  /** The highest span sequence number known to be committed in {@code span_ingest}. */
  long committedSeq() {
    return committedSeq.get();
  }

  /**
   * Queues the rows, or refuses them at once when the writer is stopping or has stopped. The check
   * and the add happen under the lock the writer takes to stop, so nothing is queued behind it.
   */
  private CompletableFuture<Void> submit(Pending pending) {
    synchronized (lifecycle) {
      if (closing || stopped) {
        pending.done.completeExceptionally(new SQLException("the store is shutting down"));
      } else {
        direct.add(pending);
        work.release();
      }
    }
    return pending.done;
  }

  private void run() {
    List<Pending> batch = new ArrayList<>();
    while (true) {
      Pending first;
      try {
        first = work.tryAcquire(50, TimeUnit.MILLISECONDS) ? take() : null;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        first = null;
      }
      if (first == null) {
        if (closing && stopIfIdle()) {
          return;
        }
        continue;
      }
      flushing = true;
      if (first.entry != null && bulkWaiting(first) && loadBulk(first)) {
        flushing = false;
        continue;
      }
      batch.clear();
      batch.add(first);
      int rows = first.size();
      while (rows < MAX_ROWS_PER_FLUSH) {
        // the request sized is the one taken: this thread alone takes from either queue, and a request that
        // waits on its commit arriving meanwhile would otherwise be taken in its place, past the bound
        BlockingQueue<Pending> from = direct.isEmpty() ? logged : direct;
        Pending next = from.peek();
        if (next == null || rows + next.size() > MAX_ROWS_PER_FLUSH || !work.tryAcquire()) {
          break;
        }
        batch.add(from.poll());
        rows += next.size();
      }
      try {
        flush(batch);
      } catch (Throwable t) {
        // first the verdict, which halts for a JVM error before anything allocates; else the batch
        // fails, its requests get 503 (logged ones are tried again), and the thread goes on
        Failures.inThread(t);
        failOrRetry(batch, t);
      } finally {
        flushing = false;
      }
    }
  }

  /** Spans stored by bulk loads ({@link #loadBulk}) since the store was opened. */
  long bulkLoaded() {
    return bulkLoaded.get();
  }

  /** Whether a bulk load is on and {@link #bulkRows} logged spans wait, {@code first} (taken) included. */
  private boolean bulkWaiting(Pending first) {
    if (bulk == null || !direct.isEmpty() || abandonedLogged || System.currentTimeMillis() < bulkOffUntil) {
      return false;
    }
    long rows = first.size();
    for (Pending p : logged) {
      rows += p.size();
      if (rows >= bulkRows) {
        return true;
      }
    }
    return rows >= bulkRows;
  }

  /**
   * Loads {@code first} and the logged requests after it, {@link #bulkRows} spans' worth, straight into {@code span_store} with
   * what the kept tables derive from them, in one transaction, through a temporary table instead of
   * {@code span_ingest}: one write of each span where a move wrote it twice. Only one request's decoded rows are
   * alive at a time. False while the compactor is moving (loaded the usual way then); a failed load hands its
   * requests back to the queue, in order, for the usual way.
   */
  private boolean loadBulk(Pending first) {
    List<Pending> taken = new ArrayList<>();
    taken.add(first);
    long[] last = {-1};
    long[] fresh = {0};
    long firstSeq = nextSeq.get();
    try {
      if (!bulk.whenIdle(kept -> Transaction.run(connection, () -> {
        last[0] = appendBulk(taken, fresh);
        long stored = Compactor.insert(connection, kept, Schema.BULK_ROWS, Long.MAX_VALUE,
            window.repeatsAfter(committedSeq.get()));
        try (java.sql.Statement s = connection.createStatement()) {
          s.execute("DELETE FROM " + Schema.BULK_TABLE);
          s.execute("DELETE FROM " + KeyEventRows.BULK_TABLE);
        }
        bulkRepeats.addAndGet(fresh[0] - stored);
        bulkLoaded.addAndGet(stored);
        return last[0];
      }))) {
        return false;
      }
    } catch (SQLException | RuntimeException e) {
      window.failed(firstSeq, nextSeq.get() - 1);
      bulkOffUntil = System.currentTimeMillis() + BULK_PAUSE_MILLIS;
      Log.warn("loading " + taken.size() + " logged requests straight into span_store failed (" + e.getMessage()
          + "); they load the usual way, through span_ingest, and bulk loads stay off for a minute");
      try {
        attributeTypes = new AttributeTypes.Recorder(connection); // what the rolled-back load recorded is gone
      } catch (SQLException again) {
        Log.warn("re-reading the attribute types failed: " + again.getMessage());
      }
      for (int i = taken.size() - 1; i >= 0; i--) {
        logged.addFirst(taken.get(i));
        work.release();
      }
      return true;
    }
    window.committed(last[0]);
    committedSeq.set(Math.max(committedSeq.get(), last[0]));
    for (Pending p : taken) {
      log.loaded(p.entry);
      p.done.complete(null);
    }
    failingSince = 0;
    return true;
  }

  /**
   * Appends {@code taken.get(0)} and the logged requests after it, taken here until {@link #bulkRows}, into the bulk
   * table and their values into {@code key_value}, within the caller's transaction; counts the rows not skipped as
   * repeats into {@code fresh[0]}; the last seq, or -1.
   */
  private long appendBulk(List<Pending> taken, long[] fresh) throws SQLException {
    try (java.sql.Statement s = connection.createStatement()) {
      Schema.createBulk(s);
    }
    long last = -1;
    int rows = 0;
    int columns = PromotedAttributes.COLUMNS.size();
    try (SpanAppenders spans = SpanAppenders.bulk(connection);
         DuckDBAppender values = connection.createAppender("main", KeyValueTable.NAME)) {
      for (Pending p = taken.get(0); ; ) {
        PreparedSpans prepared = readable(p);
        if (prepared != null) {
          attributeTypes.record(connection, prepared.types);
          for (int i : window.firstSightings(prepared)) {
            SpanRow row = prepared.rows.get(i);
            last = nextSeq.getAndIncrement();
            spans.append(last, row, prepared.promoted, i * columns, p.entry.receivedMicros);
            for (var v : row.values()) {
              KeyValueTable.append(values, v);
            }
            fresh[0]++;
          }
          // the rows are in DuckDB now: a load that fails reads them back from the log
          p.spans = null;
          p.entry.prepared = null;
        }
        rows += p.size();
        Pending next = logged.peek();
        // a request waiting on its commit (metrics) cuts the load short rather than wait behind a row group
        if (rows >= bulkRows || next == null || !direct.isEmpty() || !work.tryAcquire()) {
          spans.flush();
          Appenders.flush(values);
          return last;
        }
        taken.add(logged.poll());
        p = taken.get(taken.size() - 1);
      }
    }
  }

  /** A logged request's rows, read back if need be; null when the log cannot give them back (said, and skipped). */
  private PreparedSpans readable(Pending p) {
    if (p.spans != null) {
      return p.spans;
    }
    try {
      return log.rowsOf(p.entry);
    } catch (Exception e) {
      log.unreadable(p.entry, e);
      return null;
    }
  }

  /** The next request, those waiting on their commit first; the caller holds its permit of {@link #work}. */
  private Pending take() {
    Pending p = direct.poll();
    return p != null ? p : logged.poll();
  }

  private boolean stopIfIdle() {
    synchronized (lifecycle) {
      stopped = direct.isEmpty() && logged.isEmpty();
      return stopped;
    }
  }

  private void flush(List<Pending> batch) {
    List<Pending> spans = new ArrayList<>();
    List<Pending> metrics = new ArrayList<>();
    for (Pending p : batch) {
      if (p.metrics != null) {
        metrics.add(p);
      } else if (p.entry == null) {
        spans.add(p);
      } else if (abandonedLogged) {
        continue; // left in the log, which the next open loads
      } else if (p.spans == null) {
        try {
          p.spans = log.rowsOf(p.entry);
          spans.add(p);
        } catch (Exception e) {
          log.unreadable(p.entry, e);
        }
      } else {
        spans.add(p);
      }
    }
    if (!spans.isEmpty()) {
      try {
        long last = appendSpans(spans);
        committedSeq.set(Math.max(committedSeq.get(), last));
        for (Pending p : spans) {
          if (p.entry != null) {
            log.loaded(p.entry);
          }
          p.done.complete(null);
        }
        failingSince = 0;
      } catch (SQLException | RuntimeException e) {
        failOrRetry(spans, e);
      }
    }
    if (!metrics.isEmpty()) {
      try {
        // whole or not at all, as the spans: a sender told of a failure sends the request again
        Transaction.run(connection, () -> {
          try (DuckDBAppender appender = connection.createAppender("main", "metrics")) {
            long receivedMicros = System.currentTimeMillis() * 1000;
            for (Pending p : metrics) {
              for (MetricRow row : p.metrics) {
                RowAppender.appendMetric(appender, row, receivedMicros);
              }
            }
            Appenders.flush(appender);
          }
          return null;
        });
      } catch (SQLException | RuntimeException e) {
        fail(metrics, e);
        return;
      }
      metrics.forEach(p -> p.done.complete(null));
    }
  }

  /**
   * Records new attribute types, then appends the rows not stored already in one transaction; the
   * last sequence number, or -1 when every row was a repeat.
   */
  private long appendSpans(List<Pending> spans) throws SQLException {
    List<int[]> fresh = new ArrayList<>(spans.size());
    boolean any = false;
    for (Pending p : spans) {
      int[] rows = window.firstSightings(p.spans);
      fresh.add(rows);
      any |= rows.length > 0;
    }
    long last = -1;
    long first = nextSeq.get();
    boolean committed = false;
    try {
      last = any ? append(spans, fresh) : -1;
      committed = true;
      return last;
    } finally {
      if (committed) {
        window.committed(last);
      } else {
        window.failed(first, nextSeq.get() - 1);
      }
    }
  }

  /** Requests waiting on their commit get {@code e}; logged ones, acknowledged already, are tried again. */
  private void failOrRetry(List<Pending> batch, Throwable e) {
    List<Pending> retry = new ArrayList<>();
    for (Pending p : batch) {
      if (p.entry != null) {
        retry.add(p);
      } else {
        p.done.completeExceptionally(e);
      }
    }
    if (!retry.isEmpty()) {
      retryLater(retry, e);
    }
  }

  /**
   * Logged requests are acknowledged already: one the store could not commit goes back to the head of the queue,
   * in order, and is tried again a second later (said once a minute). When the writer is stopping, they stay in
   * the log, as does every logged request after them, and the next open loads them.
   */
  private void retryLater(List<Pending> retry, Throwable e) {
    long now = System.currentTimeMillis();
    if (closing) {
      abandonedLogged = true;
      Log.warn("the span store could not load " + retry.size() + " acknowledged requests from the ingest log while "
          + "stopping (" + e.getMessage() + "); they and any after them stay in the log and are loaded when the store "
          + "next opens");
      return;
    }
    if (failingSince == 0 || now - warnedAt >= 60_000) {
      Log.warn("the span store could not load " + retry.size() + " acknowledged requests from the ingest log ("
          + e.getMessage() + "); they stay logged and are tried again every second");
      warnedAt = now;
    }
    if (failingSince == 0) {
      failingSince = now;
    }
    for (int i = retry.size() - 1; i >= 0; i--) {
      logged.addFirst(retry.get(i));
      work.release();
    }
    try {
      Thread.sleep(1_000);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Appends the rows of each request that {@code fresh} names (see {@link DedupWindow#firstSightings(PreparedSpans)}),
   * and their captured values into {@code key_value} in the same transaction, so that a span and its values are
   * stored together or not at all (and a repeated span, skipped, brings no second copy of its values).
   */
  private long append(List<Pending> spans, List<int[]> fresh) throws SQLException {
    for (Pending p : spans) {
      attributeTypes.record(connection, p.spans.types);
    }
    // one transaction even without values: in autocommit the appender commits each 2,048-row chunk as it fills, and a
    // load that failed after one (a full disk) would be tried again whole, storing that chunk's requests twice
    boolean values = anyValues(spans, fresh);
    return Transaction.run(connection, () -> appendRows(spans, fresh, values));
  }

  /** Whether any row {@code fresh} names carries captured values. */
  private static boolean anyValues(List<Pending> spans, List<int[]> fresh) {
    for (int r = 0; r < spans.size(); r++) {
      for (int i : fresh.get(r)) {
        if (!spans.get(r).spans.rows.get(i).values().isEmpty()) {
          return true;
        }
      }
    }
    return false;
  }

  private long appendRows(List<Pending> spans, List<int[]> fresh, boolean values) throws SQLException {
    long last = -1;
    int columns = PromotedAttributes.COLUMNS.size();
    try (SpanAppenders appenders = SpanAppenders.ingest(connection)) {
      long flushMicros = System.currentTimeMillis() * 1000;
      for (int r = 0; r < spans.size(); r++) {
        Pending p = spans.get(r);
        PreparedSpans prepared = p.spans;
        long receivedMicros = p.entry != null ? p.entry.receivedMicros : flushMicros;
        for (int i : fresh.get(r)) {
          last = nextSeq.getAndIncrement();
          appenders.append(last, prepared.rows.get(i), prepared.promoted, i * columns, receivedMicros);
        }
      }
      appenders.flush();
    }
    if (values) {
      try (DuckDBAppender appender = connection.createAppender("main", KeyValueTable.NAME)) {
        for (int r = 0; r < spans.size(); r++) {
          for (int i : fresh.get(r)) {
            for (var v : spans.get(r).spans.rows.get(i).values()) {
              KeyValueTable.append(appender, v);
            }
          }
        }
        Appenders.flush(appender);
      }
    }
    return last;
  }

  private static void fail(List<Pending> pending, Throwable e) {
    pending.forEach(p -> p.done.completeExceptionally(e));
  }

  /** Commits everything already handed over, then stops the thread. */
  @Override
  public void close() throws InterruptedException {
    CriticalThreads.retire(thread);
    closing = true;
    thread.join();
    Database.closeQuietly(connection);
  }

  private static final class Pending {
    /** The rows; for a logged request read back from disk, null until the writer reaches it. */
    PreparedSpans spans;
    final List<MetricRow> metrics;
    final LogEntry entry;
    final CompletableFuture<Void> done = new CompletableFuture<>();

    Pending(PreparedSpans spans, List<MetricRow> metrics, LogEntry entry) {
      this.spans = entry != null ? entry.prepared : spans;
      this.metrics = metrics;
      this.entry = entry;
    }

    int size() {
      return entry != null ? entry.spans : spans != null ? spans.size() : metrics.size();
    }
  }
}
