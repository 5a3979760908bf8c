package io.memtrace.common;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * The per-user directory where memtrace keeps what it can reuse across JVMs (the collector's DuckDB
 * library, the agent's woven classes): {@value #ROOT_ENV}, else {@code $XDG_CACHE_HOME/memtrace},
 * else {@code ~/.cache/memtrace}. Never a shared temporary directory: what is loaded from it runs as
 * the user.
 */
public final class CacheRoot {

  /** Overrides the cache directory. */
  public static final String ROOT_ENV = "MEMTRACE_CACHE_DIR";

  private CacheRoot() {
  }

  /** The root for the environment {@code env} and the home directory {@code home}. */
  public static Path of(Map<String, String> env, String home) {
    String configured = env.get(ROOT_ENV);
    if (configured != null && !configured.isBlank()) {
      return Paths.get(configured);
    }
    String xdg = env.get("XDG_CACHE_HOME");
    return xdg != null && !xdg.isBlank() ? Paths.get(xdg, "memtrace") : Paths.get(home, ".cache", "memtrace");
  }

  /** Creates {@code root} readable by its owner alone, unless it exists already. */
  public static void createPrivate(Path root) throws IOException {
    if (Files.isDirectory(root)) {
      return;
    }
    Files.createDirectories(root);
    try {
      Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
    } catch (UnsupportedOperationException notPosix) {
      // Windows: the user's profile is private already
    }
  }
}
