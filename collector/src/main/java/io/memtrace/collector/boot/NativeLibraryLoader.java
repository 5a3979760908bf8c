package io.memtrace.collector.boot;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;

/**
 * A class loader over the application's class path that serves DuckDB's JNI library from {@link NativeLibraryCache}.
 * DuckDB looks for its library as a class-path resource first and copies any it finds to a new temporary file; only
 * when none is found does it ask {@code System.loadLibrary}, which asks this loader's {@link #findLibrary}. So the
 * resource is hidden once the cache holds the library, and left visible (DuckDB's own way) when the cache cannot.
 */
final class NativeLibraryLoader extends URLClassLoader {

  static {
    registerAsParallelCapable();
  }

  private final NativeLibraryCache cache;
  private volatile Path library;

  NativeLibraryLoader(URL[] classPath, ClassLoader parent, NativeLibraryCache cache) {
    super(classPath, parent);
    this.cache = cache;
  }

  @Override
  public URL findResource(String name) {
    URL found = super.findResource(name);
    if (found == null || !NativeLibraryCache.isDuckDbLibrary(name)) {
      return found;
    }
    Path cached = cache.library(found);
    if (cached == null) {
      return found;
    }
    library = cached;
    return null;
  }

  @Override
  public Enumeration<URL> findResources(String name) throws IOException {
    return NativeLibraryCache.isDuckDbLibrary(name) && findResource(name) == null
        ? Collections.emptyEnumeration() : super.findResources(name);
  }

  @Override
  protected String findLibrary(String name) {
    Path cached = library;
    return cached != null && name.equals(NativeLibraryCache.DUCKDB_LIBRARY) ? cached.toString() : null;
  }
}
