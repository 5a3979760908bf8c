package io.memtrace.collector.boot;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * Removes the DuckDB libraries earlier runs left behind: other builds' entries of the cache, copies a killed JVM was
 * still writing, and the per-process copies that DuckDB itself, and collectors before the cache, put in the
 * temporary directory and that only a normal exit deleted (69 MB each; one host held 787). A copy in the temporary
 * directory goes only when it is this user's, older than {@link #SETTLED} and, where {@code /proc} tells, loaded by
 * no running process. It runs once per JVM, on a daemon thread, so start-up never waits for it.
 */
final class StaleLibraries {

  /** Far longer than DuckDB takes between writing its copy and loading it. */
  static final Duration SETTLED = Duration.ofMinutes(10);
  private static final AtomicBoolean STARTED = new AtomicBoolean();

  private StaleLibraries() {
  }

  static void sweepInBackground(Path cacheDir, Path current) {
    if (!STARTED.compareAndSet(false, true)) {
      return;
    }
    Thread sweeper = new Thread(() -> {
      sweepCache(cacheDir, current);
      sweepTemporary(Paths.get(System.getProperty("java.io.tmpdir")), Instant.now().minus(SETTLED), Paths.get("/proc"));
    }, "memtrace-native-sweep");
    sweeper.setDaemon(true);
    sweeper.setPriority(Thread.MIN_PRIORITY);
    sweeper.start();
  }

  /** Deletes every build's directory but {@code current}, and copies in {@code current} whose writer has died. */
  static void sweepCache(Path cacheDir, Path current) {
    for (Path entry : list(cacheDir, "*")) {
      if (entry.equals(current)) {
        for (Path part : list(current, "*.part-*")) {
          long owner = NativeLibraryCache.partOwner(part.getFileName().toString());
          if (owner > 0 && ProcessHandle.of(owner).isEmpty()) {
            deleteQuietly(part);
          }
        }
      } else if (Files.isDirectory(entry)) {
        list(entry, "*").forEach(StaleLibraries::deleteQuietly);
        deleteQuietly(entry);
      }
    }
  }

  /** Deletes this user's settled DuckDB copies in {@code tmp} that no process has loaded; returns what it deleted. */
  static List<Path> sweepTemporary(Path tmp, Instant settledBefore, Path proc) {
    List<Path> candidates = new ArrayList<>();
    for (Path file : list(tmp, "libduckdb_java*.so")) {
      try {
        FileTime modified = Files.getLastModifiedTime(file);
        // in a sticky temporary directory only the owner may delete a file: that is the test of "this user's"
        if (Files.isRegularFile(file) && modified.toInstant().isBefore(settledBefore)) {
          candidates.add(file);
        }
      } catch (IOException e) {
        // gone already
      }
    }
    if (candidates.isEmpty()) {
      return candidates;
    }
    Set<String> loaded = loadedFiles(proc);
    List<Path> deleted = new ArrayList<>();
    for (Path file : candidates) {
      if (!loaded.contains(file.toAbsolutePath().toString()) && deleteQuietly(file)) {
        deleted.add(file);
      }
    }
    return deleted;
  }

  /** Every file mapped by a process whose maps this user may read; empty where there is no {@code /proc}. */
  static Set<String> loadedFiles(Path proc) {
    Set<String> files = new HashSet<>();
    for (Path process : list(proc, "[0-9]*")) {
      try (Stream<String> lines = Files.lines(process.resolve("maps"))) {
        lines.forEach(line -> {
          int slash = line.indexOf('/');
          if (slash > 0) {
            files.add(line.substring(slash).replace(" (deleted)", ""));
          }
        });
      } catch (IOException | RuntimeException e) {
        // another user's process, or one that just ended
      }
    }
    return files;
  }

  private static List<Path> list(Path dir, String glob) {
    List<Path> entries = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return entries;
    }
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, glob)) {
      stream.forEach(entries::add);
    } catch (IOException | RuntimeException e) {
      // unreadable: nothing to sweep there
    }
    return entries;
  }

  private static boolean deleteQuietly(Path path) {
    try {
      return Files.deleteIfExists(path);
    } catch (IOException e) {
      return false;
    }
  }
}
