package io.memtrace.collector.store;

import io.memtrace.collector.CollectorException;
import io.memtrace.collector.CriticalThreads;
import io.memtrace.collector.Failures;
import io.memtrace.collector.Log;
import io.memtrace.collector.store.IngestLogFiles.Segment;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
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
 * <p>On disk ({@link IngestLogFiles}): segment files of checksummed records in {@code ingest-log/}, and
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

  static final long SEGMENT_BYTES = 64L << 20;
  /** Bodies written in one go at most; a larger queue is written in several. */
  private static final long MAX_BATCH_BYTES = 16L << 20;
  private static final long CHECKPOINT_MILLIS = 1_000;

  private final Path dir;
  private final Decoder decoder;
  private final LogBacklog backlog;
  private final BlockingQueue<Entry> queue = new LinkedBlockingQueue<>();
  private final Deque<Segment> segments = new ArrayDeque<>();
  private final Thread thread;
  private final Object lifecycle = new Object();
  private SpanWriter writer;
  private FileChannel current;
  private long nextPosition;
  private final AtomicLong readBack = new AtomicLong();
  private final AtomicLong unreadable = new AtomicLong();
  /** Requests the last process left unloaded (or loaded after its last note), handed to the writer at open. */
  private long replayed;
  private long checkpointed;
  private long checkpointedAt;
  private volatile boolean closing;
  private boolean stopped;

  /** A request's record: written by the log's thread, then loaded by the writer. */
  static final class Entry {
    final boolean json;
    /** The body until it is written; then null, so that the queue of requests to load holds no body. */
    byte[] body;
    final int bodyLength;
    final int spans;
    final long receivedMicros;
    /** The rows, worked out on the request's thread; null once handed over uncached, or after a restart. */
    PreparedSpans prepared;
    final CompletableFuture<Void> durable = new CompletableFuture<>();
    long position;
    Path segment;
    long offset;
    int recordBytes;
    boolean cached;
    /** Set by the writer's thread only. */
    boolean loaded;

    Entry(boolean json, byte[] body, int spans, long receivedMicros, PreparedSpans prepared) {
      this.json = json;
      this.body = body;
      this.bodyLength = body == null ? 0 : body.length;
      this.spans = spans;
      this.receivedMicros = receivedMicros;
      this.prepared = prepared;
    }
  }

  private IngestLog(Path dir, Decoder decoder, long cacheBytes, long maxUnloadedBytes) {
    this.dir = dir;
    this.decoder = decoder;
    this.backlog = new LogBacklog(cacheBytes, maxUnloadedBytes);
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
    segments.addAll(found.segments());
    nextPosition = found.nextPosition();
    backlog.start(nextPosition - 1, Math.min(found.loaded(), nextPosition - 1));
    checkpointed = found.loaded();
    startSegment();
    List<Entry> replay = found.replay();
    if (!replay.isEmpty()) {
      Log.warn("ingest log: " + replay.size() + " acknowledged requests (" + found.replayedSpans() + " spans) logged "
          + "after the last position known to be loaded are loaded again; any already stored are recognised as repeats");
    }
    // every figure set before the writer may load one, and loadedThrough may move on
    for (Entry e : replay) {
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
    Entry entry = new Entry(json, body, spans, receivedMicros, prepared);
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

  private void refuse(Entry entry, String why) {
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
    List<Entry> batch = new ArrayList<>();
    while (true) {
      Entry first;
      try {
        first = queue.poll(50, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        first = null;
      }
      try {
        if (first == null) {
          tidy();
          if (closing && stopIfIdle()) {
            return;
          }
          continue;
        }
        batch.clear();
        batch.add(first);
        long bytes = first.body.length;
        Entry next;
        while (bytes < MAX_BATCH_BYTES && (next = queue.poll()) != null) {
          batch.add(next);
          bytes += next.body.length;
        }
        write(batch);
        tidy();
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
  private void write(List<Entry> batch) {
    long start;
    try {
      if (current.size() >= SEGMENT_BYTES) {
        current.force(true);
        current.close();
        startSegment();
      }
      start = current.size();
    } catch (IOException e) {
      fail(batch, e);
      return;
    }
    Path path = segments.peekLast().path();
    long offset = start;
    long position = nextPosition;
    ByteBuffer[] buffers = new ByteBuffer[batch.size() * 2];
    for (int i = 0; i < batch.size(); i++) {
      Entry e = batch.get(i);
      e.position = position++;
      e.segment = path;
      e.offset = offset;
      buffers[2 * i] = IngestLogFiles.head(e);
      buffers[2 * i + 1] = ByteBuffer.wrap(e.body);
      e.recordBytes = IngestLogFiles.HEAD + e.body.length;
      offset += e.recordBytes;
    }
    try {
      while (buffers[buffers.length - 1].hasRemaining()) {
        current.write(buffers);
      }
      current.force(false);
    } catch (IOException e) {
      try {
        current.truncate(start);
      } catch (IOException ignored) {
        // the next open cuts off or sets aside what is there; nothing of it was acknowledged
      }
      fail(batch, e);
      return;
    }
    nextPosition = position;
    for (Entry e : batch) {
      backlog.logged(e.recordBytes, e.spans);
      e.body = null;
    }
    backlog.acknowledged(position - 1);
    for (Entry e : batch) {
      writer.load(e);
      e.durable.complete(null);
    }
  }

  private void fail(List<Entry> batch, IOException e) {
    Log.warn("ingest log: cannot write " + batch.size() + " requests to " + dir + " (" + e.getMessage()
        + "); they are refused, and their senders retry");
    for (Entry entry : batch) {
      refuse(entry, "the ingest log could not write the request: " + e.getMessage());
    }
  }

  private void startSegment() throws IOException {
    current = IngestLogFiles.createSegment(dir, nextPosition);
    segments.add(new Segment(nextPosition, IngestLogFiles.segmentPath(dir, nextPosition)));
  }

  /** Deletes the segments the writer has loaded whole, and notes how far it has loaded. */
  private void tidy() throws IOException {
    long loaded = backlog.loadedThrough();
    boolean deleted = false;
    while (segments.size() > 1) {
      Segment oldest = segments.peekFirst();
      Segment after = ((ArrayDeque<Segment>) segments).stream().skip(1).findFirst().orElseThrow();
      if (after.first() - 1 > loaded) {
        break;
      }
      if (!deleted) {
        checkpoint(loaded); // first, so that no restart looks for what the deletion removes
      }
      Files.deleteIfExists(oldest.path());
      segments.pollFirst();
      deleted = true;
    }
    if (loaded != checkpointed && System.currentTimeMillis() - checkpointedAt >= CHECKPOINT_MILLIS) {
      checkpoint(loaded);
    }
  }

  private void checkpoint(long loaded) throws IOException {
    IngestLogFiles.noteLoaded(dir, loaded);
    checkpointed = loaded;
    checkpointedAt = System.currentTimeMillis();
  }

  /** The rows of an entry the writer is about to load: kept from the request, or read back and decoded. */
  PreparedSpans rowsOf(Entry e) throws Exception {
    if (e.prepared != null) {
      return e.prepared;
    }
    readBack.incrementAndGet();
    return PreparedSpans.of(decoder.decode(e.json, IngestLogFiles.body(e)));
  }

  /** Called by the writer once {@code e} is committed (or could not be read and is given up). */
  void loaded(Entry e) {
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
  void unreadable(Entry e, Exception cause) {
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
      current.force(true);
      current.close();
    } catch (IOException e) {
      Log.warn("ingest log: closing " + dir + ": " + e.getMessage());
    }
  }

  /** After the writer has loaded everything: notes it and deletes every segment but the newest. */
  void closeLoaded() {
    try {
      checkpoint(backlog.loadedThrough());
      if (backlog.loadedThrough() >= backlog.acknowledgedThrough()) {
        for (Segment s : segments) {
          Files.deleteIfExists(s.path());
        }
        segments.clear();
      } else {
        tidy();
      }
    } catch (IOException e) {
      Log.warn("ingest log: noting what was loaded in " + dir + ": " + e.getMessage()
          + "; the next start loads those requests again and recognises them as repeats");
    }
  }

  /** What a store directory's log holds for a reader that cannot load it (a read-only command), or null. */
  public static String pendingNote(Path dir) {
    if (!Files.isDirectory(dir)) {
      return null;
    }
    try {
      long loaded = IngestLogFiles.loadedPosition(dir);
      long bytes = 0;
      for (Path p : IngestLogFiles.segmentFiles(dir)) {
        bytes += Math.max(0, Files.size(p) - 4);
      }
      if (bytes == 0) {
        return null;
      }
      return "the ingest log in " + dir + " holds " + bytes + " bytes of requests from position " + (loaded + 1)
          + " on that may not be loaded yet; `serve` on this directory loads them, and answers include them then";
    } catch (IOException | NumberFormatException e) {
      return "the ingest log in " + dir + " could not be read (" + e.getMessage() + "); `serve` on this directory "
          + "says what it holds";
    }
  }
}
