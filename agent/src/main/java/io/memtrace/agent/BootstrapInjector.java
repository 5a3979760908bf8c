package io.memtrace.agent;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.jar.JarFile;

/**
 * Puts the bridge package ({@code io.memtrace.agent.bootstrap}) on the bootstrap class path, so
 * advice inlined into classes of any class loader resolves the same, single copy of it.
 */
final class BootstrapInjector {

  static final String RESOURCE = "META-INF/memtrace/bootstrap.jar";
  static final String PROBE = "io.memtrace.agent.bootstrap.Bridge";

  private BootstrapInjector() {
  }

  static void inject(Instrumentation inst) throws IOException {
    if (isOnBootstrapPath() || isOnOwnClassPath()) {
      return; // already injected, or running from classes (tests) where the loader provides it
    }
    try (InputStream in = AgentMain.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IOException(RESOURCE + " is missing from the agent jar");
      }
      File jar = newTempFile(in);
      jar.deleteOnExit();
      inst.appendToBootstrapClassLoaderSearch(new JarFile(jar));
    }
  }

  /**
   * Writes {@code content} to a new file in the temporary directory. Not {@code createTempFile}:
   * its random name comes from {@code SecureRandom}, whose providers cost about a hundred JDK
   * classes in {@code premain}, on the application's start. A name from the clock is as good when
   * the file is created exclusively (it never opens a file or link that is already there).
   */
  private static File newTempFile(InputStream content) throws IOException {
    Path dir = Paths.get(System.getProperty("java.io.tmpdir"));
    for (int attempt = 0; ; attempt++) {
      Path file = dir.resolve("memtrace-bootstrap-" + Long.toHexString(System.nanoTime()) + "-" + attempt + ".jar");
      try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        content.transferTo(out);
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
