package io.memtrace.agent;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
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
    File jar = File.createTempFile("memtrace-bootstrap", ".jar");
    jar.deleteOnExit();
    try (InputStream in = AgentMain.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IOException(RESOURCE + " is missing from the agent jar");
      }
      Files.copy(in, jar.toPath(), StandardCopyOption.REPLACE_EXISTING);
    }
    inst.appendToBootstrapClassLoaderSearch(new JarFile(jar));
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
