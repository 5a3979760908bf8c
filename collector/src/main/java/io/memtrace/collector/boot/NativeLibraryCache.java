package io.memtrace.collector.boot;

import io.memtrace.collector.Log;
import io.memtrace.common.CacheRoot;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.jar.JarEntry;

/**
 * Where DuckDB's JNI library lives on this host: one file per library build, {@code ROOT/duckdb/KEY/libduckdb_java.so},
 * extracted by the first collector JVM that needs it and loaded by every later one. KEY is the DuckDB version and
 * the CRC-32 the jar records for the library, so two builds never share a file by mistake and an upgrade gets its
 * own. A copy is written beside its final name and renamed into place, so a JVM killed while extracting leaves no
 * half-written library behind a good name. ROOT is {@code MEMTRACE_CACHE_DIR} ({@link CacheRoot}), else {@code $XDG_CACHE_HOME/memtrace}, else
 * {@code ~/.cache/memtrace}.
 */
final class NativeLibraryCache {

  /** The name DuckDB asks {@code System.loadLibrary} for. */
  static final String DUCKDB_LIBRARY = "duckdb_java";
  /** The class-path resources DuckDB ships its library as, one per platform ({@code libduckdb_java.so_linux_amd64}). */
  private static final String RESOURCE_PREFIX = "libduckdb_java.so_";
  private static final String PART = ".part-";
  private static final String LOCK = "extracting.lock";

  private final Path root;
  private volatile boolean warned;

  NativeLibraryCache(Path root) {
    this.root = root;
  }

  static NativeLibraryCache standard() {
    return new NativeLibraryCache(CacheRoot.of(System.getenv(), System.getProperty("user.home")));
  }

  static boolean isDuckDbLibrary(String resource) {
    String name = resource.startsWith("/") ? resource.substring(1) : resource;
    return name.startsWith(RESOURCE_PREFIX) && name.indexOf('/') < 0;
  }

  /** The cached copy of {@code resource}, extracted now if need be; null (said once) when the cache cannot hold it. */
  Path library(URL resource) {
    try {
      URLConnection connection = resource.openConnection();
      long size = connection.getContentLengthLong();
      Path dir = root.resolve("duckdb").resolve(key(connection, size));
      Path library = dir.resolve(System.mapLibraryName(DUCKDB_LIBRARY));
      if (!present(library, size)) {
        extract(connection, dir, library, size);
      }
      StaleLibraries.sweepInBackground(root.resolve("duckdb"), dir);
      return library;
    } catch (IOException | RuntimeException e) {
      if (!warned) {
        warned = true;
        Log.warn("cannot keep DuckDB's native library in " + root + " (" + e + "); DuckDB copies it to "
            + System.getProperty("java.io.tmpdir") + " for this process instead. Set " + CacheRoot.ROOT_ENV
            + " to a writable directory.");
      }
      return null;
    }
  }

  private static String key(URLConnection connection, long size) throws IOException {
    String version = null;
    String crc = Long.toHexString(size);
    if (connection instanceof JarURLConnection) {
      JarURLConnection jar = (JarURLConnection) connection;
      JarEntry entry = jar.getJarEntry();
      if (entry != null && entry.getCrc() >= 0) {
        crc = String.format("%08x", entry.getCrc());
      }
      if (jar.getManifest() != null) {
        version = jar.getManifest().getMainAttributes().getValue("DuckDB-Version");
      }
    }
    return (version == null ? "" : version.replaceAll("[^A-Za-z0-9._-]", "") + "-") + crc;
  }

  private static boolean present(Path library, long size) throws IOException {
    return Files.isRegularFile(library) && Files.size(library) == size;
  }

  /**
   * Writes the library under a lock, so that collectors starting together write it once and the others wait for it
   * rather than each replacing the file the last one loaded. The operating system drops the lock of a killed JVM.
   */
  private static void extract(URLConnection connection, Path dir, Path library, long size) throws IOException {
    CacheRoot.createPrivate(dir.getParent().getParent());
    Files.createDirectories(dir);
    try (FileChannel lock = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock held = lock.lock()) {
      if (present(library, size)) {
        return;
      }
      Path part = dir.resolve(library.getFileName() + PART + ProcessHandle.current().pid());
      try (InputStream in = connection.getInputStream()) {
        Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
        Files.move(part, library, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(part);
      }
    }
  }

  /** The process id a partial copy names, or -1 when {@code name} is not one. */
  static long partOwner(String name) {
    int at = name.lastIndexOf(PART);
    if (at < 0) {
      return -1;
    }
    try {
      return Long.parseLong(name.substring(at + PART.length()));
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
