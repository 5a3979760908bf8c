package io.memtrace.collector.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which leftover DuckDB libraries a start removes, and which it must leave alone. */
class StaleLibrariesTest {

  @TempDir
  Path dir;

  @Test
  void shouldRemoveSettledCopiesNoProcessHasLoadedAndKeepTheRest() throws Exception {
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    Path orphan = old(Files.write(tmp.resolve("libduckdb_java111.so"), new byte[1]));
    Path inUse = old(Files.write(tmp.resolve("libduckdb_java222.so"), new byte[1]));
    Path fresh = Files.write(tmp.resolve("libduckdb_java333.so"), new byte[1]);
    Path unrelated = old(Files.write(tmp.resolve("libother.so"), new byte[1]));
    Path proc = Files.createDirectories(dir.resolve("proc/77"));
    Files.writeString(proc.resolve("maps"), "7f00-7f10 r-xp 00000000 fd:00 12 " + inUse.toAbsolutePath() + "\n"
        + "7f20-7f30 r--p 00000000 00:00 0 [heap]\n");
    Files.createDirectories(dir.resolve("proc/self-is-not-a-pid"));

    assertThat(StaleLibraries.sweepTemporary(tmp, Instant.now().minus(StaleLibraries.SETTLED), dir.resolve("proc")))
        .containsExactly(orphan);
    assertThat(tmp.toFile().list()).containsExactlyInAnyOrder("libduckdb_java222.so", "libduckdb_java333.so",
        "libother.so");
    assertThat(fresh).exists();
    assertThat(unrelated).exists();
  }

  @Test
  void shouldRemoveOtherBuildsAndDeadWritersPartialCopiesFromTheCache() throws Exception {
    Path current = Files.createDirectories(dir.resolve("duckdb/2.0.0.1-aaaa"));
    Path library = Files.write(current.resolve("libduckdb_java.so"), new byte[1]);
    Path mine = Files.write(current.resolve("libduckdb_java.so.part-" + ProcessHandle.current().pid()), new byte[1]);
    Path dead = Files.write(current.resolve("libduckdb_java.so.part-" + deadPid()), new byte[1]);
    Path older = Files.createDirectories(dir.resolve("duckdb/1.4.0-bbbb"));
    Files.write(older.resolve("libduckdb_java.so"), new byte[1]);

    StaleLibraries.sweepCache(dir.resolve("duckdb"), current);

    assertThat(older).doesNotExist();
    assertThat(dead).doesNotExist();
    assertThat(library).exists();
    assertThat(mine).as("a live JVM is still writing it").exists();
  }

  private static Path old(Path file) throws Exception {
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(1, ChronoUnit.HOURS)));
    return file;
  }

  private static long deadPid() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    return gone.pid();
  }
}
