package io.memtrace.collector.store;

import io.memtrace.collector.store.IngestLogFiles.Segment;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;

/**
 * The ingest log's files, as its thread writes them ({@link IngestLog}): the segment being appended to, the older
 * ones that still hold a record the writer has not loaded, and the note of how far the writer has loaded
 * ({@link IngestLogFiles#noteLoaded}). A segment goes once every record in it is loaded, after the note says so,
 * so that no restart looks for what the deletion removed; the note is otherwise rewritten at most once a second.
 */
final class LogSegments {

  static final long SEGMENT_BYTES = 64L << 20;
  private static final long CHECKPOINT_MILLIS = 1_000;

  private final Path dir;
  private final ArrayDeque<Segment> segments = new ArrayDeque<>();
  private FileChannel current;
  private long nextPosition;
  private long checkpointed;
  private long checkpointedAt;

  LogSegments(Path dir) {
    this.dir = dir;
  }

  /** Takes over what the last process left ({@link LogRecovery}) and starts a segment of its own. */
  void recovered(LogRecovery found) throws IOException {
    segments.addAll(found.segments());
    nextPosition = found.nextPosition();
    checkpointed = found.loaded();
    startSegment();
  }

  /** The position the next record gets. */
  long nextPosition() {
    return nextPosition;
  }

  /**
   * Appends the batch's records to the current segment (a new one once it holds {@link #SEGMENT_BYTES}) and forces
   * them to disk, each entry given its position, segment and offset. When that fails nothing of the batch counts: what
   * it wrote is cut off again (or, failing that, by the next open), and the positions are given out again.
   */
  void append(List<LogEntry> batch) throws IOException {
    if (current.size() >= SEGMENT_BYTES) {
      current.force(true);
      current.close();
      startSegment();
    }
    long start = current.size();
    Path path = segments.peekLast().path();
    long offset = start;
    long position = nextPosition;
    ByteBuffer[] buffers = new ByteBuffer[batch.size() * 2];
    for (int i = 0; i < batch.size(); i++) {
      LogEntry e = batch.get(i);
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
      throw e;
    }
    nextPosition = position;
  }

  /** Deletes the segments loaded whole ({@code loaded}: the last position loaded), and notes how far that is. */
  void tidy(long loaded) throws IOException {
    boolean deleted = false;
    while (segments.size() > 1) {
      Iterator<Segment> oldestFirst = segments.iterator();
      Segment oldest = oldestFirst.next();
      if (oldestFirst.next().first() - 1 > loaded) {
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

  /**
   * After the writer has loaded what it could: notes it, and deletes every segment when everything acknowledged
   * ({@code acknowledged}, the last position) is loaded, else those loaded whole.
   */
  void closeLoaded(long loaded, long acknowledged) throws IOException {
    checkpoint(loaded);
    if (loaded >= acknowledged) {
      for (Segment s : segments) {
        Files.deleteIfExists(s.path());
      }
      segments.clear();
    } else {
      tidy(loaded);
    }
  }

  /** Forces and closes the current segment. */
  void close() throws IOException {
    current.force(true);
    current.close();
  }

  private void startSegment() throws IOException {
    current = IngestLogFiles.createSegment(dir, nextPosition);
    segments.add(new Segment(nextPosition, IngestLogFiles.segmentPath(dir, nextPosition)));
  }

  private void checkpoint(long loaded) throws IOException {
    IngestLogFiles.noteLoaded(dir, loaded);
    checkpointed = loaded;
    checkpointedAt = System.currentTimeMillis();
  }
}
