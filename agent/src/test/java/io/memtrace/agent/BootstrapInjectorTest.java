package io.memtrace.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootstrapInjectorTest {

  @TempDir
  Path root;

  @Test
  void shouldWriteTheBridgeOnceAndReuseItsFile() throws Exception {
    Path dir = root.resolve("bootstrap");
    byte[] bridge = "bridge classes".getBytes(StandardCharsets.UTF_8);
    Path first = BootstrapInjector.cached(dir, bridge);
    Files.setLastModifiedTime(first, FileTime.fromMillis(System.currentTimeMillis() - Duration.ofDays(1).toMillis()));
    Path second = BootstrapInjector.cached(dir, bridge);

    assertThat(second).isEqualTo(first);
    assertThat(Files.readAllBytes(second)).isEqualTo(bridge);
    assertThat(Files.getLastModifiedTime(second).toMillis()).as("a start marks its build's file as in use")
        .isGreaterThan(System.currentTimeMillis() - 60_000);
    assertThat(names(dir)).containsExactly(first.getFileName().toString());
  }

  @Test
  void shouldReplaceAFileWhoseBytesAreNotTheBridgesOwn() throws Exception {
    Path dir = root.resolve("bootstrap");
    byte[] bridge = "bridge classes".getBytes(StandardCharsets.UTF_8);
    Path file = BootstrapInjector.cached(dir, bridge);
    Files.write(file, "bridge clas\0es".getBytes(StandardCharsets.UTF_8)); // same length, other bytes

    assertThat(Files.readAllBytes(BootstrapInjector.cached(dir, bridge))).isEqualTo(bridge);
  }

  @Test
  void shouldGiveEachBuildItsOwnFileAndRemoveOthersOnlyOnceIdle() throws Exception {
    Path dir = root.resolve("bootstrap");
    Path old = BootstrapInjector.cached(dir, "build one".getBytes(StandardCharsets.UTF_8));
    Path recent = BootstrapInjector.cached(dir, "build two".getBytes(StandardCharsets.UTF_8));
    Path deadWriter = dir.resolve(old.getFileName() + ".part-999999");
    Files.write(deadWriter, new byte[3]);
    long longAgo = System.currentTimeMillis() - BootstrapInjector.IDLE.toMillis() - 60_000;
    Files.setLastModifiedTime(old, FileTime.fromMillis(longAgo));
    Files.setLastModifiedTime(deadWriter, FileTime.fromMillis(longAgo));

    Path current = BootstrapInjector.cached(dir, "build three".getBytes(StandardCharsets.UTF_8));

    assertThat(recent).isNotEqualTo(old);
    assertThat(names(dir)).containsExactlyInAnyOrder(recent.getFileName().toString(),
        current.getFileName().toString());
  }

  private static List<String> names(Path dir) throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toList());
    }
  }
}
