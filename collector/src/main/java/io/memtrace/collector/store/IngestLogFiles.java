package io.memtrace.collector.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * The files of an {@link IngestLog} directory and their format: segment files {@code <first position>.log}, each a
 * 4-byte magic then records of {@code [int length][int CRC32C][byte format][long position][long received µs][int
 * spans][body]}, where {@code length} and the CRC cover everything after the CRC; and {@code loaded}, the last
 * position the writer committed, as text.
 */
final class IngestLogFiles {

  static final int MAGIC = 0x4D544C31;
  /** Bytes of a record before its body, after the length and CRC. */
  static final int FIXED = 1 + 8 + 8 + 4;
  /** Bytes of a record before its body: the length, the CRC and {@link #FIXED}. */
  static final int HEAD = 8 + FIXED;
  static final String LOADED_FILE = "loaded";

  /** A segment file and the position of its first record. */
  record Segment(long first, Path path) { }

  private IngestLogFiles() {
  }

  /** The segment files in {@code dir}, oldest first. */
  static List<Path> segmentFiles(Path dir) throws IOException {
    try (Stream<Path> list = Files.list(dir)) {
      return list.filter(p -> p.getFileName().toString().matches("\\d{19}\\.log")).sorted().toList();
    }
  }

  /** The position of the first record of a segment, from its name. */
  static long firstPosition(Path segment) {
    return Long.parseLong(segment.getFileName().toString().substring(0, 19));
  }

  /** Creates (or empties) the segment whose first record will be at {@code first}, its magic written and forced. */
  static FileChannel createSegment(Path dir, long first) throws IOException {
    Path path = segmentPath(dir, first);
    FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.READ, StandardOpenOption.TRUNCATE_EXISTING);
    channel.write(ByteBuffer.allocate(4).putInt(0, MAGIC));
    channel.force(true);
    return channel;
  }

  static Path segmentPath(Path dir, long first) {
    return dir.resolve(String.format("%019d.log", first));
  }

  /** The {@link #HEAD} bytes written before the body of {@code e}, whose position is set, CRC included. */
  static ByteBuffer head(LogEntry e) {
    ByteBuffer head = ByteBuffer.allocate(HEAD);
    head.putInt(0, FIXED + e.body.length);
    head.put(8, (byte) (e.json ? 1 : 0)).putLong(9, e.position).putLong(17, e.receivedMicros).putInt(25, e.spans);
    CRC32C crc = new CRC32C();
    crc.update(head.array(), 8, FIXED);
    crc.update(e.body, 0, e.body.length);
    head.putInt(4, (int) crc.getValue());
    return head;
  }

  /** Reads the body of a written record back from its segment. */
  static byte[] body(LogEntry e) throws IOException {
    byte[] body = new byte[e.recordBytes - HEAD];
    try (FileChannel channel = FileChannel.open(e.segment, StandardOpenOption.READ)) {
      readFully(channel, ByteBuffer.wrap(body), e.offset + HEAD);
    }
    return body;
  }

  static void readFully(FileChannel channel, ByteBuffer buffer, long at) throws IOException {
    long position = at;
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, position);
      if (n < 0) {
        throw new IOException("unexpected end of " + channel);
      }
      position += n;
    }
  }

  /** The last position noted as loaded in {@code dir}; 0 when none is noted. */
  static long loadedPosition(Path dir) throws IOException {
    Path file = dir.resolve(LOADED_FILE);
    return Files.exists(file) ? Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).trim()) : 0;
  }

  /** Notes {@code loaded} in {@code dir}, forced to disk and replacing the last note in one step. */
  static void noteLoaded(Path dir, long loaded) throws IOException {
    Path tmp = dir.resolve(LOADED_FILE + ".tmp");
    try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      c.write(ByteBuffer.wrap((loaded + "\n").getBytes(StandardCharsets.US_ASCII)));
      c.force(true);
    }
    Files.move(tmp, dir.resolve(LOADED_FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** What a store directory's log holds for a reader that cannot load it (a read-only command), or null. */
  static String pendingNote(Path dir) {
    if (!Files.isDirectory(dir)) {
      return null;
    }
    try {
      long loaded = loadedPosition(dir);
      long bytes = 0;
      for (Path p : segmentFiles(dir)) {
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
