package io.memtrace.agent;

import io.memtrace.agent.util.AgentLog;
import io.memtrace.common.CacheRoot;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Arrays;
import java.util.jar.JarFile;
import java.util.zip.CRC32;

/**
 * Puts the bridge package ({@code io.memtrace.agent.bootstrap}) on the bootstrap class path, so
 * advice inlined into classes of any class loader resolves the same, single copy of it.
 *
 * <p>The bridge jar is a file: one per agent build, under the user's {@link CacheRoot}
 * ({@code bootstrap/memtrace-bootstrap-<crc>-<length>.jar}), written once and shared by every JVM
 * that runs that build. It used to be a new file in the temporary directory per JVM, removed at a
 * normal exit only, so that every JVM killed left one behind. A file found under the name is used
 * only when its bytes are the bridge's own; the JVM opens the jar when it is appended, so a file
 * removed later (by the sweep of another build) takes nothing from a JVM already running. When the
 * cache cannot be written, the file goes to the temporary directory as before.
 */
final class BootstrapInjector {

  static final String RESOURCE = "META-INF/memtrace/bootstrap.jar";
  static final String PROBE = "io.memtrace.agent.bootstrap.Bridge";
  /** How long another build's bridge jar may go unused before a start of this one removes it. */
  static final Duration IDLE = Duration.ofDays(7);
  private static final String PREFIX = "memtrace-bootstrap-";

  private BootstrapInjector() {
  }

  static void inject(Instrumentation inst) throws IOException {
    if (isOnBootstrapPath() || isOnOwnClassPath()) {
      return; // already injected, or running from classes (tests) where the loader provides it
    }
    byte[] bridge;
    try (InputStream in = AgentMain.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IOException(RESOURCE + " is missing from the agent jar");
      }
      bridge = in.readAllBytes();
    }
    File jar;
    try {
      jar = cached(CacheRoot.of(System.getenv(), System.getProperty("user.home")).resolve("bootstrap"), bridge)
          .toFile();
    } catch (IOException | RuntimeException unwritable) {
      AgentLog.info("cannot keep the bridge jar in the cache directory (" + unwritable + "); it goes to "
          + System.getProperty("java.io.tmpdir") + " instead, removed at a normal exit only (set "
          + CacheRoot.ROOT_ENV + " to a writable directory)");
      jar = newTempFile(bridge);
      jar.deleteOnExit();
    }
    inst.appendToBootstrapClassLoaderSearch(new JarFile(jar));
  }

  /**
   * The file in {@code dir} that holds {@code bridge}: the one there when its bytes are these, else written beside
   * its name and renamed into place, so that no JVM ever opens half a jar. Its modification time is set to now, and
   * other builds' files unused for {@link #IDLE} are removed.
   */
  static Path cached(Path dir, byte[] bridge) throws IOException {
    CRC32 crc = new CRC32();
    crc.update(bridge);
    Path file = dir.resolve(PREFIX + Long.toHexString(crc.getValue()) + "-" + bridge.length + ".jar");
    if (Files.isRegularFile(file) && Arrays.equals(Files.readAllBytes(file), bridge)) {
      try {
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis()));
      } catch (IOException readOnly) {
        // a cache this user may read but not write: the file is still the bridge; only the sweep's clock stops
      }
      return file;
    }
    CacheRoot.createPrivate(dir.getParent());
    Files.createDirectories(dir);
    Path part = dir.resolve(file.getFileName() + ".part-" + ProcessHandle.current().pid());
    try {
      Files.write(part, bridge);
      Files.move(part, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(part);
    }
    sweepOtherBuilds(dir, file);
    return file;
  }

  /** Removes the bridge jars of other builds, and part files of writers that died, unused for {@link #IDLE}. */
  static void sweepOtherBuilds(Path dir, Path current) {
    long idleSince = System.currentTimeMillis() - IDLE.toMillis();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, PREFIX + "*")) {
      for (Path f : files) {
        if (!f.equals(current) && Files.getLastModifiedTime(f).toMillis() < idleSince) {
          Files.deleteIfExists(f);
        }
      }
    } catch (IOException | RuntimeException e) {
      // another start sweeping at once: what is left goes next time
    }
  }

  /**
   * Writes {@code content} to a new file in the temporary directory. Not {@code createTempFile}:
   * its random name comes from {@code SecureRandom}, whose providers cost about a hundred JDK
   * classes in {@code premain}, on the application's start. A name from the clock is as good when
   * the file is created exclusively (it never opens a file or link that is already there).
   */
  private static File newTempFile(byte[] content) throws IOException {
    Path dir = Paths.get(System.getProperty("java.io.tmpdir"));
    for (int attempt = 0; ; attempt++) {
      Path file = dir.resolve(PREFIX + Long.toHexString(System.nanoTime()) + "-" + attempt + ".jar");
      try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        out.write(content);
        return file.toFile();
      } catch (FileAlreadyExistsException e) {
        if (attempt >= 100) {
          throw e;
        }
      }
    }
  }

  private static boolean isOnBootstrapPath() {
    try {
      Class.forName(PROBE, false, null);
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  /** True when the bridge is an ordinary class of the agent's loader (unit tests, IDE runs). */
  private static boolean isOnOwnClassPath() {
    return AgentMain.class.getClassLoader().getResource(PROBE.replace('.', '/') + ".class") != null;
  }
}
