package io.memtrace.agent.instrumentation;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.util.Map;

/**
 * A class loader that defines nothing and only shows a few class files made up in memory, as a
 * library's loader shows its classes: the stand-in of a Redis client for weaving rehearsals when
 * the application's own client cannot be read yet (it is nested in a fat jar, or a framework's
 * loader will find it later). Weaving the stand-in loads and runs what weaving the real class
 * will: the same matchers (its marker classes are there), the same advice, the same type pool.
 */
public final class StandInClasses extends ClassLoader {

  private final Map<String, byte[]> classFiles;
  private final String woven;

  /**
   * @param classFiles class files by internal name ({@code redis/clients/jedis/Connection})
   * @param woven the internal name of the one to weave; the others are what its matchers look for
   */
  public StandInClasses(Map<String, byte[]> classFiles, String woven) {
    super(null); // the JDK's classes as the boot loader has them; nothing of the application's
    this.classFiles = Map.copyOf(classFiles);
    this.woven = woven;
  }

  /** The internal name of the class to weave. */
  String wovenName() {
    return woven;
  }

  /** Its class file. */
  byte[] wovenClassFile() {
    return classFiles.get(woven).clone();
  }

  @Override
  protected URL findResource(String name) {
    byte[] bytes = bytesOf(name);
    if (bytes == null) {
      return null;
    }
    try {
      return new URL("memtrace-stand-in", null, -1, "/" + name, new Handler(bytes));
    } catch (java.net.MalformedURLException e) {
      return null;
    }
  }

  @Override
  public InputStream getResourceAsStream(String name) {
    byte[] bytes = bytesOf(name);
    return bytes != null ? new ByteArrayInputStream(bytes) : super.getResourceAsStream(name);
  }

  private byte[] bytesOf(String resource) {
    return resource.endsWith(".class")
        ? classFiles.get(resource.substring(0, resource.length() - ".class".length())) : null;
  }

  /** Opens a stand-in's URL onto its bytes. */
  private static final class Handler extends URLStreamHandler {
    private final byte[] bytes;

    Handler(byte[] bytes) {
      this.bytes = bytes;
    }

    @Override
    protected URLConnection openConnection(URL url) {
      return new URLConnection(url) {
        @Override
        public void connect() {
          connected = true;
        }

        @Override
        public InputStream getInputStream() throws IOException {
          return new ByteArrayInputStream(bytes);
        }
      };
    }
  }
}
