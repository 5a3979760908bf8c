package io.memtrace.collector.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Collectors killed with SIGKILL leave nothing in the temporary directory: every collector JVM loads DuckDB's native
 * library from one shared cache file, and a start sweeps away the copies that killed JVMs of earlier versions left.
 * Before, each killed JVM left its own 69 MB copy in /tmp.
 */
class NativeLibraryIT {

  // each a launcher and its bounded-heap worker: 12 collector JVMs, the first three racing to extract the library
  private static final int SERVES = 6;
  private static final int AT_ONCE = 3;

  @TempDir
  Path dir;

  @Test
  void shouldLeaveNoFileInTheTemporaryDirectoryWhenCollectorJvmsAreKilled() throws Exception {
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    Path cache = dir.resolve("cache");
    Path stale = Files.write(tmp.resolve("libduckdb_java4242.so"), new byte[] {1}); // a copy a killed JVM left
    Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(1, ChronoUnit.HOURS)));
    Path loading = Files.write(tmp.resolve("libduckdb_java4343.so"), new byte[] {1}); // being loaded right now

    List<Long> workers = new ArrayList<>();
    List<Future<CollectorProcess>> started = new ArrayList<>();
    ExecutorService starter = Executors.newFixedThreadPool(AT_ONCE);
    try {
      for (int batch = 0; batch < SERVES / AT_ONCE; batch++) {
        List<Future<CollectorProcess>> starting = new ArrayList<>();
        for (int i = 0; i < AT_ONCE; i++) {
          Path data = dir.resolve("data-" + batch + "-" + i);
          starting.add(starter.submit(() -> CollectorProcess.launched(
              launch -> launch.jvmArg("-Djava.io.tmpdir=" + tmp).env("MEMTRACE_CACHE_DIR", cache.toString()), data)));
        }
        started.addAll(starting);
        for (Future<CollectorProcess> future : starting) {
          CollectorProcess serve = future.get();
          // it answered /api/status, so its worker has the store, and DuckDB's library, open
          List<ProcessHandle> worker = serve.descendants();
          assertThat(worker).as("serve ran its bounded-heap worker").hasSize(1);
          workers.add(worker.get(0).pid());
          assertThat(mappedLibraries(worker.get(0).pid()))
              .as("the worker loaded DuckDB from the cache").containsExactly(cachedLibrary(cache).toString());
          serve.kill();
        }
      }
    } finally {
      starter.shutdown();
      for (Future<CollectorProcess> future : started) {
        closeQuietly(future); // a failed check above must not leave serves running
      }
    }

    assertThat(workers).hasSize(SERVES).doesNotHaveDuplicates();
    assertThat(listAll(tmp)).as("what %d killed collector JVMs left in java.io.tmpdir", 2 * SERVES)
        .containsExactly(loading);
    Path library = cachedLibrary(cache);
    assertThat(listAll(cache)).as("the cache: one library and its lock, no partial copies")
        .containsExactlyInAnyOrder(library, library.resolveSibling("extracting.lock"));
  }

  private static void closeQuietly(Future<CollectorProcess> future) {
    try {
      future.get().close();
    } catch (Exception | AssertionError e) {
      // it never started, or is gone already
    }
  }

  private static Path cachedLibrary(Path cache) throws Exception {
    try (Stream<Path> files = Files.walk(cache)) {
      return files.filter(p -> p.getFileName().toString().equals("libduckdb_java.so")).findFirst()
          .orElseThrow(() -> new AssertionError("no library in " + cache));
    }
  }

  private static List<Path> listAll(Path root) throws Exception {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(Files::isRegularFile).sorted().toList();
    }
  }

  /** The DuckDB libraries a process has mapped, from /proc. */
  private static List<String> mappedLibraries(long pid) throws Exception {
    try (Stream<String> maps = Files.lines(Path.of("/proc", Long.toString(pid), "maps"))) {
      return maps.filter(line -> line.contains("libduckdb_java"))
          .map(line -> line.substring(line.indexOf('/'))).distinct().toList();
    }
  }
}
