package io.memtrace.testsupport;

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
 * A Python venv a test runs in, with packages pinned, made once per machine under the memtrace cache root
 * ({@code <dir>/<key>}) so its wheels are fetched once, not once per build. Made in a side directory and moved into
 * place, under a file lock, so two test JVMs never see half of one. Nothing is installed by hand.
 */
public final class PythonVenv {

  private PythonVenv() {
  }

  /**
   * The venv's python, made first if this machine has none yet.
   *
   * @param dir          the folder under the cache root holding this kind of venv ({@code chdb-venv})
   * @param key          names the venv; changing the requirements must change it, so a new venv is made
   * @param requirements what pip installs, pinned
   */
  public static synchronized Path python(String dir, String key, List<String> requirements)
      throws IOException, InterruptedException {
    Path root = CacheRoot.of(System.getenv(), System.getProperty("user.home")).resolve(dir);
    Path venv = root.resolve(key);
    Path python = venv.resolve("bin/python");
    if (Files.isExecutable(python)) {
      return python;
    }
    CacheRoot.createPrivate(root.getParent());
    Files.createDirectories(root);
    try (FileChannel lockFile = FileChannel.open(root.resolve(key + ".lock"),
            StandardOpenOption.CREATE, StandardOpenOption.WRITE);
         FileLock ignored = lockFile.lock()) {
      if (Files.isExecutable(python)) {
        return python;
      }
      Path partial = root.resolve(key + ".partial");
      deleteTree(partial);
      run(List.of("python3", "-m", "venv", partial.toString()), 120);
      List<String> pip = new ArrayList<>(List.of(partial.resolve("bin/pip").toString(), "install", "-q",
          "--disable-pip-version-check"));
      pip.addAll(requirements);
      run(pip, 900);
      // a venv finds its site-packages beside its interpreter, so it keeps working once moved
      Files.move(partial, venv, StandardCopyOption.ATOMIC_MOVE);
      return python;
    }
  }

  private static void run(List<String> command, int seconds) throws IOException, InterruptedException {
    Path log = Files.createTempFile("python-venv", ".log");
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
