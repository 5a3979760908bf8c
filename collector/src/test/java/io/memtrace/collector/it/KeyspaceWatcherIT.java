package io.memtrace.collector.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.collector.bench.KeyspaceBenchmark;
import io.memtrace.collector.keyspace.KeyspaceSample;
import io.memtrace.collector.keyspace.KeyspaceWatcher;
import io.memtrace.collector.keyspace.MemoryStateConfig;
import io.memtrace.collector.keyspace.PassSnapshot;
import io.memtrace.collector.keyspace.RedisUrl;
import io.memtrace.collector.keyspace.WatchAcl;
import io.memtrace.collector.keyspace.WatchSettings;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * The watcher against a real redis-server: 50,000 keys in 20 namespaces of every type, one pass.
 * Keys per namespace are SCAN's exact count; bytes are within the stated bound of the sum of
 * MEMORY USAGE over every key; the command ceiling holds as Redis's own INFO commandstats counts;
 * and the minimal ACL user of docs/memory-state.md is enough, and no more than enough.
 */
class KeyspaceWatcherIT extends RedisTestBase {

  static final int NAMESPACES = 20;
  static final int PER_NAMESPACE = 2_500;
  static final int CEILING = 40_000;

  @BeforeAll
  static void load() throws Exception {
    jedis.flushAll();
    Random random = new Random(29);
    Pipeline p = jedis.pipelined();
    for (int ns = 0; ns < NAMESPACES; ns++) {
      for (int i = 0; i < PER_NAMESPACE; i++) {
        String key = "app" + ns + ":" + i;
        switch (ns % 4) {
          case 0 -> p.set(key, "v".repeat(10 + random.nextInt(400)));
          case 1 -> p.hset(key, Map.of("a", "x".repeat(random.nextInt(100)), "b", "y".repeat(random.nextInt(300))));
          case 2 -> p.rpush(key, "m".repeat(20 + random.nextInt(200)), "n".repeat(random.nextInt(50)));
          default -> p.sadd(key, "s" + random.nextInt(1000), "t" + random.nextInt(1000));
        }
        if (i % 3 == 0) {
          p.expire(key, 3_600 + random.nextInt(3_600));
        }
      }
    }
    p.sync();
  }

  private static WatchSettings settings(int ceiling) {
    return new WatchSettings(60_000, ceiling, WatchSettings.DEFAULT_SCAN_COUNT, WatchSettings.DEFAULT_EXACT_KEYS,
        WatchSettings.DEFAULT_SAMPLE_KEYS, WatchSettings.DEFAULT_PIPELINE_KEYS);
  }

  static PassSnapshot onePass(String url, WatchSettings settings) {
    List<PassSnapshot> seen = new CopyOnWriteArrayList<>();
    new KeyspaceWatcher(RedisUrl.parse("--redis", url), settings, MemoryStateConfig.defaults(), seen::add).run(1);
    assertThat(seen).isNotEmpty();
    return seen.get(seen.size() - 1);
  }

  @Test
  void shouldCountEveryKeyAndMeasureBytesWithinTheStatedBoundUnderTheCeiling() {
    Map<String, Long> before = commandCalls(jedis);
    PassSnapshot pass = onePass(redis.url(), settings(CEILING));
    Map<String, Long> after = commandCalls(jedis);

    assertThat(pass.complete()).as("%s", pass.server()).isTrue();
    assertThat(pass.server().error()).isNull();
    assertThat(pass.samples()).hasSize(NAMESPACES);
    Map<String, Long> exact = KeyspaceBenchmark.exactBytes(jedis);
    List<String> outside = new java.util.ArrayList<>();
    for (KeyspaceSample s : pass.samples()) {
      assertThat(s.keys()).as(s.namespace()).isEqualTo(PER_NAMESPACE);
      assertThat(s.sampledKeys()).as(s.namespace()).isLessThan(PER_NAMESPACE);
      assertThat(s.bytesError()).as(s.namespace()).isPositive();
      long off = Math.abs(s.bytes() - exact.get(s.namespace()));
      String what = String.format("%s: estimate %d, exact %d, bound %d", s.namespace(), s.bytes(),
          exact.get(s.namespace()), s.bytesError());
      // the bound is four standard errors, which one figure in 5,000 to 16,000 passes by chance (the normal tail, and
      // ScanSamplingSimulationTest's measured 2e-4 for sampled passes): at most one of the twenty past it, none past
      // six. Two of twenty past four by chance: 190 x (2e-4)^2 = 8e-6 a run; one past six: 20 x 2e-9
      assertThat(off).as(what).isLessThanOrEqualTo(s.bytesError() * 3 / 2);
      if (off > s.bytesError()) {
        outside.add(what);
      }
      // every third key has a TTL
      long withoutTtl = PER_NAMESPACE - (PER_NAMESPACE + 2) / 3;
      assertThat(Math.abs(s.keysWithoutTtl() - withoutTtl)).as("%s keys without TTL: estimate %d, exact %d, bound %d",
          s.namespace(), s.keysWithoutTtl(), withoutTtl, s.keysWithoutTtlError())
          .isLessThanOrEqualTo(s.keysWithoutTtlError() * 3 / 2);
      assertThat(s.ttlP50()).as(s.namespace()).isBetween(3_000.0, 7_300.0);
      assertThat(s.types()).hasSize(1);
    }
    assertThat(outside).as("estimates past their stated bound (four standard errors)").hasSizeLessThanOrEqualTo(1);

    long sent = 0;
    Map<String, Long> ran = new HashMap<>();
    for (Map.Entry<String, Long> e : after.entrySet()) {
      long delta = e.getValue() - before.getOrDefault(e.getKey(), 0L);
      sent += delta;
      if (delta > 0) {
        ran.put(e.getKey(), delta);
      }
    }
    sent -= 1; // the INFO commandstats of the test itself
    assertThat(ran.keySet()).as("commands Redis ran during the pass")
        .containsOnly("info", "select", "scan", "type", "pttl", "object", "memory");
    assertThat(sent).as("commands Redis counted (%s) against what the watcher counted", ran).isEqualTo(pass.server().passCommands());
    double rate = sent / pass.server().passSeconds();
    assertThat(rate).as("%d commands in %.2f s", sent, pass.server().passSeconds()).isLessThanOrEqualTo(CEILING * 1.02);
  }

  @Test
  void shouldNeedNoMoreThanTheDocumentedAcl() {
    jedis.aclSetUser("watcher", ("on >watch-pw " + WatchAcl.RULES).split(" "));
    try (Jedis asWatcher = new Jedis(redis.host, redis.port)) {
      asWatcher.auth("watcher", "watch-pw");
      for (Runnable refused : List.<Runnable>of(() -> asWatcher.keys("*"), () -> asWatcher.get("app0:1"),
          () -> asWatcher.flushAll(), () -> asWatcher.configGet("*"))) {
        try {
          refused.run();
          throw new AssertionError("the watcher's user may run more than it needs");
        } catch (JedisDataException e) {
          assertThat(e.getMessage()).startsWith("NOPERM");
        }
      }
    }
    PassSnapshot pass = onePass("redis://watcher:watch-pw@" + redis.host + ":" + redis.port, settings(CEILING));
    assertThat(pass.complete()).isTrue();
    assertThat(pass.server().error()).as("nothing refused").isNull();
    assertThat(pass.server().usedMemory()).isPositive();
    assertThat(pass.samples()).allSatisfy(s -> assertThat(s.bytes()).isPositive());
    assertThat(pass.samples()).allSatisfy(s -> assertThat(s.idleP50()).isNotNull());
  }

  @Test
  void shouldGoOnWithoutAProbeTheUserMayNotRunAndSaySo() {
    jedis.aclSetUser("narrow", ("on >narrow-pw " + WatchAcl.RULES.replace("+memory|usage ", "")).split(" "));
    PassSnapshot pass = onePass("redis://narrow:narrow-pw@" + redis.host + ":" + redis.port, settings(CEILING));
    assertThat(pass.complete()).isTrue();
    assertThat(pass.server().error()).contains("MEMORY USAGE refused").contains("NOPERM");
    assertThat(pass.samples()).allSatisfy(s -> assertThat(s.bytes()).isNull())
        .allSatisfy(s -> assertThat(s.keys()).isEqualTo(PER_NAMESPACE));
  }

  @Test
  void shouldMarkAFailedPassStaleAndNameTheError() {
    PassSnapshot pass = onePass("redis://nobody:wrong@" + redis.host + ":" + redis.port, settings(CEILING));
    assertThat(pass.stale()).isTrue();
    assertThat(pass.complete()).isFalse();
    assertThat(pass.server().error()).containsIgnoringCase("WRONGPASS").doesNotContain("wrong@");
  }
}
