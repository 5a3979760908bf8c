package io.memtrace.collector.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The benchmarks' temporary stores: gigabytes each, so a run removes the one it made before it exits, also when it
 * fails or is interrupted (Ctrl-C, {@code kill}); only {@code kill -9} leaves one behind.
 */
public final class ScratchStore {

  private ScratchStore() {
  }

  /** A new directory under the system's temporary directory, removed with all it holds when the JVM exits. */
  public static Path create(String prefix) throws IOException {
    Path dir = Files.createTempDirectory(prefix);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        delete(dir);
      } catch (IOException e) {
        System.err.println("could not remove the benchmark's scratch store " + dir + ": " + e.getMessage());
      }
    }, "scratch-store-cleanup"));
    return dir;
  }

  /** Removes {@code dir} and everything under it (a store this run made, never one the user named). */
  public static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
