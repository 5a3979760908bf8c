package io.memtrace.collector.bench;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The sizes of a data directory's files, summed, and the part of it that is DuckDB's write-ahead log: that log grows
 * to a couple of hundred MB between checkpoints and is then folded into the database file, so the total of a running
 * store moves by that much depending on when it is read.
 */
record DiskUse(long bytes, long walBytes) {

  /** Walks {@code dir}; a file gone while it is walked (a temporary one) counts nothing. */
  static DiskUse of(Path dir) throws IOException {
    long[] sums = {0, 0};
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        sums[0] += attrs.size();
        if (file.getFileName().toString().endsWith(".wal")) {
          sums[1] += attrs.size();
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) {
        return FileVisitResult.CONTINUE;
      }
    });
    return new DiskUse(sums[0], sums[1]);
  }

  String describe() {
    return GrowthRow.fmt("%,d MiB (WAL %,d)", bytes >> 20, walBytes >> 20);
  }
}
