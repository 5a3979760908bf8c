package io.memtrace.collector.store;

import static io.memtrace.collector.store.IngestLogFiles.FIXED;
import static io.memtrace.collector.store.IngestLogFiles.HEAD;

import io.memtrace.collector.Log;
import io.memtrace.collector.store.IngestLogFiles.Segment;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * What an ingest log directory holds when the log opens, every record checked. A record cut short at the end of the
 * last segment (a stop while it was written, so never acknowledged) is cut off; a record whose CRC does not match
 * ends its segment, which is set aside whole as {@code *.damaged}, the records before it kept. Both are said on
 * standard error with what was lost.
 *
 * @param loaded the last position noted as loaded (0 when none is)
 * @param nextPosition the position the next record takes
 * @param segments the segments kept, oldest first
 * @param replay the records after {@code loaded}, without their bodies, for the writer to load again
 * @param replayedSpans the spans of {@code replay}
 */
record LogRecovery(long loaded, long nextPosition, List<Segment> segments, List<LogEntry> replay,
    long replayedSpans) {

  /** Reads {@code dir}, repairing what a stop without warning left, as the class comment says. */
  static LogRecovery read(Path dir) throws IOException {
    long loaded = readLoaded(dir);
    List<Path> files = IngestLogFiles.segmentFiles(dir);
    long position = loaded + 1;
    List<Segment> segments = new ArrayList<>();
    List<LogEntry> replay = new ArrayList<>();
    long replayedSpans = 0;
    for (int f = 0; f < files.size(); f++) {
      Path file = files.get(f);
      boolean last = f == files.size() - 1;
      long first = IngestLogFiles.firstPosition(file);
      List<LogEntry> entries = new ArrayList<>();
      String damage = scan(file, last, entries);
      long lastInFile = entries.isEmpty() ? first - 1 : entries.get(entries.size() - 1).position;
      Path aside = file.resolveSibling(file.getFileName() + ".damaged");
      if (damage != null) {
        Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
        // the records before the damage are read from where the segment now is
        entries.forEach(e -> e.segment = aside);
      }
      for (LogEntry e : entries) {
        if (e.position > loaded) {
          replay.add(e);
          replayedSpans += e.spans;
        }
      }
      position = Math.max(position, lastInFile + 1);
      if (damage == null && entries.isEmpty()) {
        Files.delete(file); // a segment begun and never written to; its name may be the next segment's
      } else if (damage != null) {
        Log.warn("ingest log " + file + ": " + damage + "; the " + entries.size() + " records before it are loaded, "
            + "the rest of the segment is set aside as " + aside.getFileName());
      } else {
        segments.add(new Segment(first, file));
      }
    }
    return new LogRecovery(loaded, position, segments, replay, replayedSpans);
  }

  private static long readLoaded(Path dir) throws IOException {
    try {
      return IngestLogFiles.loadedPosition(dir);
    } catch (NumberFormatException e) {
      Log.warn("ingest log " + dir.resolve(IngestLogFiles.LOADED_FILE) + ": not a position (" + e.getMessage()
          + "); every record in the log is loaded again, and those already stored are recognised as repeats");
      return 0;
    }
  }

  /**
   * Reads the records of {@code file} into {@code entries} without their bodies; returns what is wrong with the
   * file, or null. A short tail of the last file is cut off here and is not damage: it was never acknowledged.
   */
  private static String scan(Path file, boolean last, List<LogEntry> entries) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long size = channel.size();
      ByteBuffer head = ByteBuffer.allocate(HEAD);
      if (size < 4) {
        return last ? truncate(channel, file, 0, size) : "shorter than its header";
      }
      head.limit(4);
      IngestLogFiles.readFully(channel, head, 0);
      if (head.getInt(0) != IngestLogFiles.MAGIC) {
        return "not an ingest log segment (its first bytes are not the log's)";
      }
      long offset = 4;
      while (offset < size) {
        if (size - offset < HEAD) {
          return last ? truncate(channel, file, offset, size) : "a record cut short at byte " + offset;
        }
        head.clear();
        IngestLogFiles.readFully(channel, head, offset);
        int length = head.getInt(0);
        int crc = head.getInt(4);
        if (length < FIXED || length > Integer.MAX_VALUE - 8) {
          // a file system may leave a crash's unwritten tail as zeros: the end of the last segment, not damage
          return last && zerosFrom(channel, offset, size) ? truncate(channel, file, offset, size)
              : "a record of impossible length " + length + " at byte " + offset;
        }
        if (size - offset - 8 < length) {
          return last ? truncate(channel, file, offset, size) : "a record cut short at byte " + offset;
        }
        ByteBuffer record = ByteBuffer.allocate(length);
        IngestLogFiles.readFully(channel, record, offset + 8);
        CRC32C check = new CRC32C();
        check.update(record.array(), 0, length);
        if ((int) check.getValue() != crc) {
          // the last record of the last segment may be one the stop cut short in place (never acknowledged)
          return last && offset + 8 + length == size ? truncate(channel, file, offset, size)
              : "the record at byte " + offset + " does not match its checksum";
        }
        boolean json = record.get(0) == 1;
        long position = record.getLong(1);
        long received = record.getLong(9);
        int spans = record.getInt(17);
        LogEntry e = new LogEntry(json, null, spans, received, null);
        e.position = position;
        e.segment = file;
        e.offset = offset;
        e.recordBytes = 8 + length;
        entries.add(e);
        offset += 8 + length;
      }
      return null;
    }
  }

  private static boolean zerosFrom(FileChannel channel, long at, long size) throws IOException {
    ByteBuffer chunk = ByteBuffer.allocate(64 << 10);
    for (long p = at; p < size; ) {
      chunk.clear();
      int n = channel.read(chunk, p);
      if (n <= 0) {
        return true;
      }
      for (int i = 0; i < n; i++) {
        if (chunk.get(i) != 0) {
          return false;
        }
      }
      p += n;
    }
    return true;
  }

  private static String truncate(FileChannel channel, Path file, long at, long size) throws IOException {
    channel.truncate(at);
    channel.force(true);
    Log.warn("ingest log " + file + ": the last " + (size - at) + " bytes were a record cut short while it was "
        + "written (the collector stopped before acknowledging it); cut off");
    return null;
  }
}
