package io.memtrace.collector.store;

import io.memtrace.collector.CollectorException;
import io.memtrace.collector.CriticalThreads;
import io.memtrace.collector.Failures;
import io.memtrace.collector.Log;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The ingest log: what makes an OTLP trace request durable before it is a row in DuckDB. A request's body is
 * appended here and forced to disk, concurrent requests sharing one force, and the request is acknowledged;
 * the {@link SpanWriter} then loads the spans into {@code span_ingest} in the order they were logged, and the
 * segments it has loaded are deleted. Acknowledging costs the collector the decode (to refuse a malformed
 * body at once) and a sequential write; the DuckDB row, about ten times that, is paid by the writer at its
 * own pace, so a burst the writer cannot keep up with is acknowledged at once and loaded behind it.
 *
 * <p>On disk ({@link IngestLogFiles}, written by {@link LogSegments}): segment files of checksummed records in {@code ingest-log/}, and
 * {@code loaded}, the last position the writer committed; it is rewritten at most once a second and when segments
 * go, so a stop without warning loads at most that second again, and the writer and compactor recognise those
 * spans as repeats. What such a stop leaves is checked and repaired at open ({@link LogRecovery}).
 *
 * <p>Bounds ({@link LogBacklog}): a request's decoded rows stay in memory for the writer only while the rows so kept stay under
 * {@code cacheBytes} of bodies; beyond that, the writer reads the body back and decodes it again. What is
 * logged but not yet loaded may not pass {@code maxUnloadedBytes}: past that, requests are refused, the
 * sender retries, and nothing acknowledged is lost.
 */
public final class IngestLog implements AutoCloseable {

  /** Turns a logged body back into rows: the same decode that accepted it. */
  @FunctionalInterface
  public interface Decoder {
    List<SpanRow> decode(boolean json, byte[] body) throws Exception;
  }

  /** Bodies written in one go at most; a larger queue is written in several. */
  private static final long MAX_BATCH_BYTES = 16L << 20;

  private final Path dir;
  private final Decoder decoder;
  private final LogBacklog backlog;
  private final BlockingQueue<LogEntry> queue = new LinkedBlockingQueue<>();
  private final LogSegments segments;
  private final Thread thread;
  private final Object lifecycle = new Object();
  private SpanWriter writer;
  private final AtomicLong readBack = new AtomicLong();
  private final AtomicLong unreadable = new AtomicLong();
  /** Requests the last process left unloaded (or loaded after its last note), handed to the writer at open. */
  private long replayed;
  private volatile boolean closing;
  private boolean stopped;

  private IngestLog(Path dir, Decoder decoder, long cacheBytes, long maxUnloadedBytes) {
    this.dir = dir;
    this.decoder = decoder;
    this.backlog = new LogBacklog(cacheBytes, maxUnloadedBytes);
    this.segments = new LogSegments(dir);
    this.thread = new Thread(this::run, "memtrace-ingest-log");
  }

  /**
   * Opens the log in {@code dir}, checks every record, and hands the writer those not loaded before the last stop;
   * see {@link LogRecovery} for what a damaged or cut-short segment loses.
   */
  static IngestLog open(Path dir, Decoder decoder, SpanWriter writer, long cacheBytes, long maxUnloadedBytes) {
    IngestLog log = new IngestLog(dir, decoder, cacheBytes, maxUnloadedBytes);
    writer.useLog(log);
    try {
      Files.createDirectories(dir);
      log.recover(writer);
    } catch (IOException e) {
      throw new CollectorException("cannot open the ingest log " + dir + ": " + e.getMessage(), e);
    }
    log.thread.start();
    CriticalThreads.watch(log.thread);
    return log;
  }

  /**
   * Default bounds: rows kept in memory for bodies of a 128th of the heap (2.4 MiB of a 300 MiB heap, some 8,000
   * spans; kept longer, as a backlog, they lived into the old generation and cost more collection than decoding
   * the body again costs), and 1 GiB logged and not yet loaded.
   */
  static IngestLog open(Path dir, Decoder decoder, SpanWriter writer) {
    return open(dir, decoder, writer, Runtime.getRuntime().maxMemory() / 128, 1L << 30);
  }

  private void recover(SpanWriter writer) throws IOException {
    this.writer = writer;
    LogRecovery found = LogRecovery.read(dir);
    segments.recovered(found);
    backlog.start(found.nextPosition() - 1, Math.min(found.loaded(), found.nextPosition() - 1));
    List<LogEntry> replay = found.replay();
    if (!replay.isEmpty()) {
      Log.warn("ingest log: " + replay.size() + " acknowledged requests (" + found.replayedSpans() + " spans) logged "
          + "after the last position known to be loaded are loaded again; any already stored are recognised as repeats");
    }
    // every figure set before the writer may load one, and loadedThrough may move on
    for (LogEntry e : replay) {
      backlog.logged(e.recordBytes, e.spans);
    }
    replayed = replay.size();
    replay.forEach(writer::load);
  }

  /**
   * Logs a request's body; the future completes once it is on disk, or fails when the log is full, stopping,
   * or cannot write. {@code rows} are its spans: worked out for the writer here, on the request's thread, and
   * kept for it while the rows so kept stay within the log's bound; beyond that the writer decodes the body
   * again from disk when it gets there, and the request's thread does none of that work.
   */
  CompletableFuture<Void> append(boolean json, byte[] body, List<SpanRow> rows, long receivedMicros) {
    return append(json, body, rows.size(), () -> PreparedSpans.of(rows), receivedMicros);
  }

  CompletableFuture<Void> append(boolean json, byte[] body, int spans, Supplier<PreparedSpans> prepare,
      long receivedMicros) {
    PreparedSpans prepared = backlog.cache(body.length) ? prepare.get() : null;
    LogEntry entry = new LogEntry(json, body, spans, receivedMicros, prepared);
    entry.cached = prepared != null;
    String full = backlog.full();
    synchronized (lifecycle) {
      if (closing || stopped) {
        refuse(entry, "the store is shutting down");
      } else if (full != null) {
        refuse(entry, full);
      } else {
        queue.add(entry);
      }
    }
    return entry.durable;
  }

  private void refuse(LogEntry entry, String why) {
    if (entry.cached) {
      backlog.uncache(entry.bodyLength);
      entry.cached = false;
    }
    entry.durable.completeExceptionally(new LogUnavailable(why));
  }

  /** Why the log refused a request; the sender retries. */
  public static final class LogUnavailable extends Exception {
    private static final long serialVersionUID = 1L;

    LogUnavailable(String message) {
      super(message);
    }
  }

  private void run() {
    List<LogEntry> batch = new ArrayList<>();
    while (true) {
      LogEntry first;
      try {
        first = queue.poll(50, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        first = null;
      }
      try {
        if (first == null) {
          segments.tidy(backlog.loadedThrough());
          if (closing && stopIfIdle()) {
            return;
          }
          continue;
        }
        batch.clear();
        batch.add(first);
        long bytes = first.body.length;
        LogEntry next;
        while (bytes < MAX_BATCH_BYTES && (next = queue.poll()) != null) {
          batch.add(next);
          bytes += next.body.length;
        }
        write(batch);
        segments.tidy(backlog.loadedThrough());
      } catch (Throwable t) {
        Failures.inThread(t);
        Log.warn("ingest log: " + t, t);
      }
    }
  }

  private boolean stopIfIdle() {
    synchronized (lifecycle) {
      stopped = queue.isEmpty();
      return stopped;
    }
  }

  /** Writes and forces the batch, then acknowledges it and hands it to the writer. */
  private void write(List<LogEntry> batch) {
    try {
      segments.append(batch);
    } catch (IOException e) {
      fail(batch, e);
      return;
    }
    for (LogEntry e : batch) {
      backlog.logged(e.recordBytes, e.spans);
      e.body = null;
    }
    backlog.acknowledged(segments.nextPosition() - 1);
    for (LogEntry e : batch) {
      writer.load(e);
      e.durable.complete(null);
    }
  }

  private void fail(List<LogEntry> batch, IOException e) {
    Log.warn("ingest log: cannot write " + batch.size() + " requests to " + dir + " (" + e.getMessage()
        + "); they are refused, and their senders retry");
    for (LogEntry entry : batch) {
      refuse(entry, "the ingest log could not write the request: " + e.getMessage());
    }
  }

  /** The rows of an entry the writer is about to load: kept from the request, or read back and decoded. */
  PreparedSpans rowsOf(LogEntry e) throws Exception {
    if (e.prepared != null) {
      return e.prepared;
    }
    readBack.incrementAndGet();
    return PreparedSpans.of(decoder.decode(e.json, IngestLogFiles.body(e)));
  }

  /** Called by the writer once {@code e} is committed (or could not be read and is given up). */
  void loaded(LogEntry e) {
    if (e.loaded) {
      return; // a flush that failed after it was committed hands it over again; the window skips its rows
    }
    e.loaded = true;
    if (e.cached) {
      backlog.uncache(e.bodyLength);
    }
    e.prepared = null;
    backlog.loaded(e.recordBytes, e.spans, e.position);
  }

  /** The writer could not read or decode {@code e} back; its spans are lost, and said so. */
  void unreadable(LogEntry e, Exception cause) {
    unreadable.incrementAndGet();
    Log.warn("ingest log " + e.segment + ": the record at byte " + e.offset + " (" + e.spans + " spans) could not be "
        + "read back: " + cause + "; it is skipped");
    loaded(e);
  }

  /**
   * Waits until every request acknowledged before the call is loaded, or {@code timeoutMillis} pass; returns the
   * spans still waiting then (0 when all are loaded).
   */
  public long awaitLoaded(long timeoutMillis) throws InterruptedException {
    return backlog.awaitLoaded(timeoutMillis);
  }

  /** Waits, with no bound, until every request logged so far is loaded (or given up as unreadable). */
  void awaitAllLoaded() throws InterruptedException {
    backlog.awaitAllLoaded();
  }

  /** Requests the log handed to the writer again when it opened; see {@link LogRecovery}. */
  long replayed() {
    return replayed;
  }

  /** Spans acknowledged and not yet loaded into {@code span_ingest}. */
  public long unloadedSpans() {
    return backlog.unloadedSpans();
  }

  public long unloadedBytes() {
    return backlog.unloadedBytes();
  }

  /** Requests whose rows were read back from disk because too many were kept in memory already. */
  public long readBack() {
    return readBack.get();
  }

  /** Records that could not be read back, and whose spans were lost. */
  public long unreadableRecords() {
    return unreadable.get();
  }

  /** Stops taking requests, writes those queued, and stops; the writer is closed after, and loads them. */
  @Override
  public void close() throws InterruptedException {
    CriticalThreads.retire(thread);
    synchronized (lifecycle) {
      closing = true;
    }
    thread.join();
    try {
      segments.close();
    } catch (IOException e) {
      Log.warn("ingest log: closing " + dir + ": " + e.getMessage());
    }
  }

  /** After the writer has loaded everything: notes it and deletes every segment but the newest. */
  void closeLoaded() {
    try {
      segments.closeLoaded(backlog.loadedThrough(), backlog.acknowledgedThrough());
    } catch (IOException e) {
      Log.warn("ingest log: noting what was loaded in " + dir + ": " + e.getMessage()
          + "; the next start loads those requests again and recognises them as repeats");
    }
  }

  /** What a store directory's log holds for a reader that cannot load it (a read-only command), or null. */
  public static String pendingNote(Path dir) {
    return IngestLogFiles.pendingNote(dir);
  }
}
