package io.memtrace.agent;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.jar.Attributes;
import java.util.jar.Manifest;

/**
 * The version a library's jar declares in its manifest, read as a resource of the loader that has
 * it: never by loading the library's classes, which the application has not asked for yet.
 */
final class JarVersion {

  private JarVersion() {
  }

  /**
   * {@code Implementation-Version} (else {@code Bundle-Version}) of the jar {@code className}'s
   * class file is in, as {@code loader} (null: the system's) finds it; null when there is none.
   */
  static String of(ClassLoader loader, String className) {
    String resource = className.replace('.', '/') + ".class";
    try {
      URL classFile = loader == null ? ClassLoader.getSystemResource(resource) : loader.getResource(resource);
      if (classFile == null || !"jar".equals(classFile.getProtocol())) {
        return null;
      }
      String url = classFile.toString();
      int separator = url.indexOf("!/");
      if (separator < 0) {
        return null;
      }
      URL manifest = new URL(url.substring(0, separator + 2) + "META-INF/MANIFEST.MF");
      java.net.URLConnection connection = manifest.openConnection();
      connection.setUseCaches(false); // the JDK would keep the jar open for good
      try (InputStream in = connection.getInputStream()) {
        Attributes main = new Manifest(in).getMainAttributes();
        String version = main.getValue(Attributes.Name.IMPLEMENTATION_VERSION);
        return version != null ? version : main.getValue("Bundle-Version");
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
