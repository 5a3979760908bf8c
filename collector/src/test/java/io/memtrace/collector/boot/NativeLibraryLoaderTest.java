package io.memtrace.collector.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What DuckDB sees through the launcher's class loader: no library resource, and a library path in the cache. */
class NativeLibraryLoaderTest {

  private static final String RESOURCE = "libduckdb_java.so_linux_amd64";
  private static final byte[] LIBRARY = "not really a shared object".getBytes();

  @TempDir
  Path dir;

  @Test
  void shouldHideTheResourceAndServeOneCachedFileToEveryLoader() throws Exception {
    URL[] jar = {jarWith(LIBRARY, "2.0.0.1").toUri().toURL()};
    NativeLibraryCache cache = new NativeLibraryCache(dir.resolve("cache"));

    try (NativeLibraryLoader first = new NativeLibraryLoader(jar, null, cache)) {
      assertThat(first.getResource(RESOURCE)).as("DuckDB finds no resource to copy").isNull();
      assertThat(Collections.list(first.getResources(RESOURCE))).isEmpty();
      Path library = Path.of(first.findLibrary("duckdb_java"));
      assertThat(library).startsWith(dir.resolve("cache/duckdb")).hasBinaryContent(LIBRARY);
      assertThat(library.getParent().getFileName().toString()).startsWith("2.0.0.1-");
      assertThat(first.findLibrary("netty")).isNull();
      long written = Files.getLastModifiedTime(library).toMillis();
      Thread.sleep(20);

      try (NativeLibraryLoader second = new NativeLibraryLoader(jar, null, cache)) {
        assertThat(second.getResource(RESOURCE)).isNull();
        assertThat(second.findLibrary("duckdb_java")).isEqualTo(library.toString());
        assertThat(Files.getLastModifiedTime(library).toMillis()).as("extracted once").isEqualTo(written);
      }
    }
  }

  @Test
  void shouldGiveTheLibraryItsOwnFileWhenTheJarCarriesAnotherBuild() throws Exception {
    NativeLibraryCache cache = new NativeLibraryCache(dir.resolve("cache"));
    try (NativeLibraryLoader old = new NativeLibraryLoader(new URL[] {jarWith(LIBRARY, "2.0.0.1").toUri().toURL()},
        null, cache);
        NativeLibraryLoader upgraded = new NativeLibraryLoader(new URL[] {jarWith("a newer build".getBytes(), "2.0.0.1")
            .toUri().toURL()}, null, cache)) {
      old.getResource(RESOURCE);
      upgraded.getResource(RESOURCE);
      assertThat(upgraded.findLibrary("duckdb_java")).isNotEqualTo(old.findLibrary("duckdb_java"));
      assertThat(Path.of(upgraded.findLibrary("duckdb_java"))).hasBinaryContent("a newer build".getBytes());
    }
  }

  @Test
  void shouldLeaveDuckDbItsOwnWayWhenTheCacheCannotBeWritten() throws Exception {
    Path notADirectory = Files.writeString(dir.resolve("cache"), "a file where the cache would be");
    try (NativeLibraryLoader loader = new NativeLibraryLoader(new URL[] {jarWith(LIBRARY, null).toUri().toURL()}, null,
        new NativeLibraryCache(notADirectory))) {
      assertThat(loader.getResource(RESOURCE)).as("DuckDB copies the resource itself, as before").isNotNull();
      assertThat(loader.findLibrary("duckdb_java")).isNull();
    }
  }

  private Path jarWith(byte[] library, String duckDbVersion) throws Exception {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    if (duckDbVersion != null) {
      manifest.getMainAttributes().putValue("DuckDB-Version", duckDbVersion);
    }
    Path jar = Files.createTempFile(dir, "collector", ".jar");
    try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
      out.putNextEntry(new JarEntry(RESOURCE));
      out.write(library);
      out.closeEntry();
    }
    return jar;
  }
}
