package io.memtrace.collector.snapshots;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.collector.Cli;
import io.memtrace.collector.keyspace.RedisUrl;
import io.memtrace.collector.redis.SnapshotEntry;
import io.memtrace.collector.redis.SnapshotFile;
import io.memtrace.collector.redis.SnapshotReader;
import io.memtrace.common.NamespaceRule;
import io.memtrace.testsupport.TestRedis;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/** The scheduled snapshots of serve --watch-redis against a real redis-server: scoped, bounded, pruned, listed. */
class ScheduledSnapshotsIT {

  private static TestRedis redis;
  private static Jedis jedis;
  /** When notes:n1 got its 600 s TTL ({@code System.nanoTime()}). */
  private static long expiredAt;

  @TempDir
  Path data;

  @BeforeAll
  static void fill() throws Exception {
    redis = TestRedis.startOwn();
    jedis = new Jedis(redis.host, redis.port);
    for (int i = 0; i < 40; i++) {
      jedis.set("notes:n" + i, "note " + i);
      jedis.set("other:o" + i, "other " + i);
    }
    jedis.expire("notes:n1", 600);
    expiredAt = System.nanoTime();
    jedis.hset("notes:profile", Map.of("city", "London"));
    for (int i = 0; i < 50; i++) {
      jedis.rpush("notes:big", "e" + i);
    }
    jedis.select(2);
    jedis.set("notes:in-two", "x");
    jedis.select(0);
  }

  @AfterAll
  static void stop() throws Exception {
    jedis.close();
    redis.close();
  }

  private ScheduledSnapshots snapshots(int keep, long maxKeys, int perSecond) {
    SnapshotSchedule schedule = new SnapshotSchedule(60_000, NamespaceGlobs.parse("--snapshot-namespaces", "notes",
        NamespaceRule.defaultRule()), keep, 0, maxKeys, 20, perSecond);
    return new ScheduledSnapshots(List.of(RedisUrl.parse("--watch-redis", redis.url())), schedule,
        new SnapshotShelf(data));
  }

  @Test
  void shouldTakeOnlyTheNamespacesAskedWithTtlsAndNameTheValuesTooLargeToRead() {
    snapshots(5, 100_000, 100_000).takeAll();
    SnapshotShelf shelf = new SnapshotShelf(data);
    assertThat(shelf.list()).extracting(SnapshotShelf.Shelved::db).containsExactly(0, 2);
    SnapshotFile file = SnapshotReader.readFile(shelf.list().get(0).file());
    assertThat(file.entries()).extracting(SnapshotEntry::keyText).hasSize(41).allMatch(k -> k.startsWith("notes:"))
        .contains("notes:profile").doesNotContain("notes:big");
    assertThat(file.skipped()).isEqualTo(1);
    assertThat(file.skippedKeys()).containsExactly("notes:big");
    assertThat(file.namespaces()).containsExactly("notes");
    assertThat(file.db()).isZero();
    assertThat(file.finished()).isAfterOrEqualTo(file.created());
    SnapshotEntry withTtl = file.entries().stream().filter(e -> e.keyText().equals("notes:n1")).findFirst().orElseThrow();
    // the TTL left is the 600 s set less the time since, however long the tests before this one took
    long since = java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - expiredAt) + 1;
    assertThat(withTtl.ttlMillis()).isBetween(600_000L - since, 600_000L);
    assertThat(SnapshotReader.readFile(shelf.list().get(1).file()).entries()).extracting(SnapshotEntry::keyText)
        .containsExactly("notes:in-two");
  }

  @Test
  void shouldStopAtTheKeyCeilingAndCountTheRest() {
    snapshots(5, 10, 100_000).takeAll();
    SnapshotFile file = SnapshotReader.readFile(new SnapshotShelf(data).list().get(0).file());
    assertThat(file.entries()).hasSize(10);
    assertThat(file.skipped()).isEqualTo(32); // 41 small keys and the big list, less the 10 taken
  }

  @Test
  void shouldKeepRedisUnderTheCommandCeiling() {
    long start = System.nanoTime();
    snapshots(5, 100_000, 400).takeAll();
    double seconds = (System.nanoTime() - start) / 1e9;
    // db0: 1 INFO + 1 SELECT + SCANs + 4 commands for each of the 42 notes keys, and db2 alike: over 170 commands
    // at 400 a second, with a burst of 40
    assertThat(seconds).isGreaterThan((170 - 40) / 400.0);
  }

  @Test
  void shouldPruneToTheNewestAndListWhatIsKept() throws Exception {
    ScheduledSnapshots s = snapshots(2, 100_000, 100_000);
    for (int i = 0; i < 4; i++) {
      s.takeAll();
      Thread.sleep(5); // a new millisecond, a new file name
    }
    SnapshotShelf shelf = new SnapshotShelf(data);
    assertThat(shelf.list().stream().filter(x -> x.db() == 0)).hasSize(2);
    assertThat(s.recent()).anyMatch(line -> line.contains("old one(s) removed"));
    Cli listing = Cli.run("snapshots", "--data", data.toString());
    assertThat(listing.exitCode).as("%s", listing).isZero();
    assertThat(listing.out).contains(redis.host + ":" + redis.port).contains("notes");
    assertThat(listing.out.lines().filter(l -> l.contains("  41  ")).count()).isEqualTo(2);
  }
}
