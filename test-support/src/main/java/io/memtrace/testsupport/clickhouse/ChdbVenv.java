package io.memtrace.testsupport.clickhouse;

import io.memtrace.common.CacheRoot;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Python environment the chDB front runs in: a venv with chDB and the compression libraries at the versions below,
 * made once per machine under the memtrace cache root ({@code chdb-venv/<KEY>}) so the 181 MB chdb-core wheel is
 * fetched once, not once per build. Made in a side directory and moved into place, under a file lock, so two test JVMs
 * never see half of one.
 */
public final class ChdbVenv {

  /** What the front imports, pinned; changing one changes {@link #KEY} and so makes a new venv. */
  static final List<String> REQUIREMENTS = List.of(
      "chdb==4.4.0", "chdb-core==26.9.0", "lz4==4.4.5", "zstandard==0.25.0", "clickhouse-cityhash==1.0.2.6");
  static final String KEY = "chdb-4.4.0-core-26.9.0-r1";

  private ChdbVenv() {
  }

  /** The venv's python, made first if this machine has none yet. */
  public static synchronized Path python() throws IOException, InterruptedException {
    Path root = CacheRoot.of(System.getenv(), System.getProperty("user.home")).resolve("chdb-venv");
    Path venv = root.resolve(KEY);
    Path python = venv.resolve("bin/python");
    if (Files.isExecutable(python)) {
      return python;
    }
    CacheRoot.createPrivate(root.getParent());
    Files.createDirectories(root);
    try (FileChannel lockFile = FileChannel.open(root.resolve(KEY + ".lock"),
            StandardOpenOption.CREATE, StandardOpenOption.WRITE);
         FileLock ignored = lockFile.lock()) {
      if (Files.isExecutable(python)) {
        return python;
      }
      Path partial = root.resolve(KEY + ".partial");
      deleteTree(partial);
      run(List.of("python3", "-m", "venv", partial.toString()), 120);
      List<String> pip = new ArrayList<>(List.of(partial.resolve("bin/pip").toString(), "install", "-q",
          "--disable-pip-version-check"));
      pip.addAll(REQUIREMENTS);
      run(pip, 900);
      // a venv finds its site-packages beside its interpreter, so it keeps working once moved
      Files.move(partial, venv, StandardCopyOption.ATOMIC_MOVE);
      return python;
    }
  }

  private static void run(List<String> command, int seconds) throws IOException, InterruptedException {
    Path log = Files.createTempFile("chdb-venv", ".log");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException(String.join(" ", command) + " took over " + seconds + " s; output in " + log);
    }
    if (process.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " failed (" + process.exitValue() + "): "
          + Files.readString(log));
    }
    Files.delete(log);
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path path : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
        Files.delete(path);
      }
    }
  }
}
