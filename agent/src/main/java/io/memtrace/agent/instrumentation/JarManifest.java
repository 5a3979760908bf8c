package io.memtrace.agent.instrumentation;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.util.jar.Attributes;
import java.util.jar.Manifest;

/**
 * What a library's jar says of itself in its manifest, read as a resource of the loader that has it: never by
 * loading the library's classes, which the application has not asked for yet. Marker classes tell version
 * families apart; a release number tells what came after memtrace was built, and names the version in a notice.
 */
public final class JarManifest {

  private JarManifest() {
  }

  /**
   * The main attributes of the manifest of the jar {@code className}'s class file is in, as {@code loader} (null:
   * the system's) finds it; null when it is not in a jar or the jar has no manifest.
   */
  public static Attributes of(ClassLoader loader, String className) {
    String resource = className.replace('.', '/') + ".class";
    try {
      URL classFile = loader == null ? ClassLoader.getSystemResource(resource) : loader.getResource(resource);
      String where = classFile == null ? "" : classFile.toString();
      if (!where.endsWith(resource)) {
        return null;
      }
      URLConnection connection =
          new URL(where.substring(0, where.length() - resource.length()) + "META-INF/MANIFEST.MF").openConnection();
      connection.setUseCaches(false); // the JDK would keep the jar open for good
      try (InputStream in = connection.getInputStream()) {
        return new Manifest(in).getMainAttributes();
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** {@code Implementation-Version}, else {@code Bundle-Version}, of that jar; null when there is none. */
  public static String version(ClassLoader loader, String className) {
    Attributes main = of(loader, className);
    if (main == null) {
      return null;
    }
    String version = main.getValue(Attributes.Name.IMPLEMENTATION_VERSION);
    return version != null ? version : main.getValue("Bundle-Version");
  }
}
