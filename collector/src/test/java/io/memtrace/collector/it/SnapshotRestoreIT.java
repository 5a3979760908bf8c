package io.memtrace.collector.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.collector.Cli;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XAddParams;

/** snapshot / restore / clean against a real redis-server. */
class SnapshotRestoreIT extends RedisTestBase {

  static final byte[] BINARY_KEY = {'b', 'i', 'n', ':', 0, (byte) 0xff, (byte) 0xfe};
  static final byte[] BINARY_VALUE = {0, 1, 2, (byte) 0x80, (byte) 0xff, '\n', '"'};

  @TempDir
  Path dir;

  @BeforeEach
  void fill() {
    jedis.select(0);
    jedis.flushAll();
    jedis.set("agent:1:name", "planner");
    jedis.setex("session:token:abc", 600, "secret");
    jedis.hset("profile:42", Map.of("city", "London", "lang", "en"));
    jedis.rpush("queue:jobs", "a", "b", "a");
    jedis.sadd("tags", "x", "y");
    jedis.zadd("scores", Map.of("alice", 1.5, "bob", -2.0));
    jedis.zadd("scores".getBytes(), Double.POSITIVE_INFINITY, "max".getBytes());
    jedis.xadd("events", new StreamEntryID(1700000000000L, 1), Map.of("type", "store", "key", "k1"));
    jedis.xadd("events", XAddParams.xAddParams().id(new StreamEntryID(1700000000001L, 0)), Map.of("type", "delete"));
    jedis.xgroupCreate("events", "readers", new StreamEntryID(1700000000000L, 1), false);
    jedis.set(BINARY_KEY, BINARY_VALUE);
    jedis.expire(BINARY_KEY, 3600);
  }

  @Test
  void shouldRoundTripEveryTypeWithTtlsAndBinaryValues() throws Exception {
    Path file = dir.resolve("snap.json");
    Cli snapshot = Cli.run("snapshot", "--redis", redis.url(0), "--out", file.toString());
    assertThat(snapshot.exitCode).as("%s", snapshot).isZero();
    assertThat(snapshot.err).contains("snapshot: 8 keys written");
    assertThat(Files.readString(file)).contains("\"key_text\" : \"agent:1:name\"").doesNotContain("KEYS");

    jedis.flushAll();
    Cli restore = Cli.run("restore", "--redis", redis.url(0), "--in", file.toString());
    assertThat(restore.exitCode).as("%s", restore).isZero();

    assertThat(jedis.get("agent:1:name")).isEqualTo("planner");
    assertThat(jedis.ttl("agent:1:name")).as("no TTL stays no TTL").isEqualTo(-1);
    assertThat(jedis.ttl("session:token:abc")).isBetween(590L, 600L);
    assertThat(jedis.hgetAll("profile:42")).isEqualTo(Map.of("city", "London", "lang", "en"));
    assertThat(jedis.lrange("queue:jobs", 0, -1)).containsExactly("a", "b", "a");
    assertThat(jedis.smembers("tags")).containsExactlyInAnyOrder("x", "y");
    assertThat(jedis.zscore("scores", "alice")).isEqualTo(1.5);
    assertThat(jedis.zscore("scores", "bob")).isEqualTo(-2.0);
    assertThat(jedis.zscore("scores", "max")).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(jedis.type("events")).isEqualTo("stream");
    assertThat(jedis.xrange("events", (StreamEntryID) null, (StreamEntryID) null)).extracting(e -> e.getID().toString())
        .containsExactly("1700000000000-1", "1700000000001-0");
    assertThat(jedis.xinfoGroups("events")).extracting(g -> g.getName()).containsExactly("readers");
    assertThat(jedis.get(BINARY_KEY)).isEqualTo(BINARY_VALUE);
    assertThat(jedis.ttl(BINARY_KEY)).isBetween(3590L, 3600L);
  }

  @Test
  void shouldRefuseToOverwriteExistingKeysAndWriteNothing() throws Exception {
    Path file = dir.resolve("snap.json");
    assertThat(Cli.run("snapshot", "--redis", redis.url(0), "--out", file.toString()).exitCode).isZero();
    jedis.del("tags", "queue:jobs");
    jedis.set("agent:1:name", "changed");

    Cli refused = Cli.run("restore", "--redis", redis.url(0), "--in", file.toString());

    assertThat(refused.exitCode).isEqualTo(1);
    assertThat(refused.err).contains("refusing to overwrite 6 existing keys")
        .contains("--replace").contains("Nothing was written");
    assertThat(jedis.exists("tags")).as("a key missing from Redis was not restored either").isFalse();
    assertThat(jedis.get("agent:1:name")).isEqualTo("changed");

    Cli replaced = Cli.run("restore", "--redis", redis.url(0), "--in", file.toString(), "--replace");
    assertThat(replaced.exitCode).as("%s", replaced).isZero();
    assertThat(jedis.get("agent:1:name")).isEqualTo("planner");
    assertThat(jedis.smembers("tags")).containsExactlyInAnyOrder("x", "y");
  }

  @Test
  void shouldRejectACorruptFileAndLeaveRedisUntouched() throws Exception {
    Path file = dir.resolve("snap.json");
    assertThat(Cli.run("snapshot", "--redis", redis.url(0), "--out", file.toString()).exitCode).isZero();
    String good = Files.readString(file);
    jedis.flushAll();

    Path truncated = Files.writeString(dir.resolve("truncated.json"), good.substring(0, good.length() / 2));
    Path badType = Files.writeString(dir.resolve("bad-type.json"), good.replaceFirst("\"type\" : \"hash\"", "\"type\" : \"graph\""));
    Path badBase64 = Files.writeString(dir.resolve("bad-base64.json"), good.replaceFirst("\"value\" : \"", "\"value\" : \"%%%"));
    for (Path corrupt : List.of(truncated, badType, badBase64)) {
      Cli result = Cli.run("restore", "--redis", redis.url(0), "--in", corrupt.toString(), "--replace");
      assertThat(result.exitCode).as("%s", result).isEqualTo(1);
      assertThat(result.err).contains("is corrupt").contains("Redis was not touched");
      assertThat(jedis.dbSize()).as("nothing written from %s", corrupt).isZero();
    }
    assertThat(Cli.run("restore", "--redis", redis.url(0), "--in", badType.toString()).err).contains("'graph' is not one of");
  }

  @Test
  void shouldCleanOnlyWithYesAndOnlyKeysWithoutTtlWhenAsked() {
    jedis.setex("agent:2:temp", 600, "t");
    Cli dryRun = Cli.run("clean", "--redis", redis.url(0), "--pattern", "agent:*", "--no-ttl-only");
    assertThat(dryRun.exitCode).isZero();
    assertThat(dryRun.out).isEqualTo("agent:1:name\n");
    assertThat(dryRun.err).contains("dry run: would delete 1 key matching 'agent:*' without a TTL");
    assertThat(jedis.exists("agent:1:name")).isTrue();

    Cli really = Cli.run("clean", "--redis", redis.url(0), "--pattern", "agent:*", "--yes");
    assertThat(really.err).contains("deleted 2 of 2 keys");
    assertThat(jedis.exists("agent:1:name")).isFalse();
    assertThat(jedis.exists("profile:42")).isTrue();
    assertThat(new String(jedis.get(BINARY_KEY), StandardCharsets.ISO_8859_1)).isNotEmpty();
  }

  @Test
  void shouldExplainABadRedisUrl() {
    Cli result = Cli.run("snapshot", "--redis", "http://localhost:6379", "--out", dir.resolve("x.json").toString());
    assertThat(result.exitCode).isEqualTo(1);
    assertThat(result.err).contains("--redis must look like redis://host:6379");
  }
}
