package io.memtrace.agent.instrumentation;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** A jar that looks like a client's release to a class loader's resources: its manifest and empty class files. */
public final class FakeClientJar {

  private FakeClientJar() {
  }

  /** Writes {@code jar} with Lettuce's manifest of {@code version} and a (non-loadable) file per class named. */
  public static Path lettuce(Path jar, String version, String... classNames) throws IOException {
    return write(jar, "Lettuce", version, classNames);
  }

  /** Writes {@code jar} with a manifest of {@code title} and {@code version}, and a file per class named. */
  public static Path write(Path jar, String title, String version, String... classNames) throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_TITLE, title);
    manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, version);
    try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
      for (String className : classNames) {
        out.putNextEntry(new JarEntry(className.replace('.', '/') + ".class"));
        out.write(new byte[] {(byte) 0xCA, (byte) 0xFE});
        out.closeEntry();
      }
    }
    return jar;
  }
}
