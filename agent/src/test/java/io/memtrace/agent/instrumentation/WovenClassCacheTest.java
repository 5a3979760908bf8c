package io.memtrace.agent.instrumentation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WovenClassCacheTest {

  private static final String JAR = "jar:file:/app/lib/lettuce-core-6.3.2.jar!/io/lettuce/core/RedisClient.class";
  private static final String NAME = "io/lettuce/core/RedisClient";
  private static final byte[] CLASS_FILE = {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 0, 1};
  private static final byte[] WOVEN = {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 0, 2};

  @Test
  void shouldFindWhatWasKeptForTheSameJarNameAndBytesOnly(@TempDir Path dir) {
    WovenClassCache cache = new WovenClassCache(dir.resolve("woven").resolve("agent"));
    cache.keep(JAR, NAME, CLASS_FILE, WOVEN);

    assertThat(cache.find(JAR, NAME, CLASS_FILE)).isEqualTo(WOVEN);
    assertThat(cache.find(JAR.replace("6.3.2", "7.1.0"), NAME, CLASS_FILE)).as("another release's jar").isNull();
    assertThat(cache.find(JAR, NAME, new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 0, 3})).as("other bytes").isNull();
  }

  @Test
  void shouldPassOverAnEntryThatIsNoClassFile(@TempDir Path dir) throws Exception {
    Path agent = dir.resolve("woven").resolve("agent");
    WovenClassCache cache = new WovenClassCache(agent);
    cache.keep(JAR, NAME, CLASS_FILE, WOVEN);
    try (java.util.stream.Stream<Path> kept = Files.list(agent)) {
      Files.write(kept.findFirst().orElseThrow(), new byte[] {1, 2, 3});
    }

    assertThat(cache.find(JAR, NAME, CLASS_FILE)).isNull();
  }

  @Test
  void shouldTellAClassLeftUnchangedFromOneNeverSeen(@TempDir Path dir) {
    WovenClassCache cache = new WovenClassCache(dir.resolve("woven").resolve("agent"));
    assertThat(cache.find(JAR, NAME, CLASS_FILE)).isNull();

    cache.keep(JAR, NAME, CLASS_FILE, null);

    assertThat(cache.find(JAR, NAME, CLASS_FILE)).isSameAs(WovenClassCache.unchanged()).isEmpty();
  }

  @Test
  void shouldKeepNothingAndNeverThrowWhereNoDirectoryCanBeMade(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("a-file"), "not a directory");
    WovenClassCache cache = new WovenClassCache(file.resolve("woven").resolve("agent"));

    cache.keep(JAR, NAME, CLASS_FILE, WOVEN);

    assertThat(cache.find(JAR, NAME, CLASS_FILE)).isNull();
    WovenClassCache.NONE.keep(JAR, NAME, CLASS_FILE, WOVEN);
    assertThat(WovenClassCache.NONE.find(JAR, NAME, CLASS_FILE)).isNull();
  }

  @Test
  void shouldBeOffWhenTheAgentRunsFromADirectory() {
    assertThat(WovenClassCache.standard()).as("the test's classes are a directory").isSameAs(WovenClassCache.NONE);
  }

  @Test
  void shouldRemoveOtherAgentsIdleCachesAtAFirstStartAndKeepRecentOnes(@TempDir Path dir) throws Exception {
    Path idle = Files.createDirectories(dir.resolve("woven/old-build"));
    Files.write(idle.resolve("k.class"), new byte[] {1});
    Files.setLastModifiedTime(idle, FileTime.fromMillis(
        System.currentTimeMillis() - WovenClassCache.IDLE.toMillis() - 60_000));
    Path recent = Files.createDirectories(dir.resolve("woven/other-build"));
    WovenClassCache cache = new WovenClassCache(dir.resolve("woven/this-build"));

    cache.keep("", "a/B", new byte[] {1, 2}, null);

    assertThat(idle).doesNotExist();
    assertThat(recent).exists();
    assertThat(cache.find("", "a/B", new byte[] {1, 2}))
        .isSameAs(WovenClassCache.unchanged());
  }
}
