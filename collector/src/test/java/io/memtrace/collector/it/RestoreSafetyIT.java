package io.memtrace.collector.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.collector.Cli;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.StreamEntryID;

/** restore is all or nothing, and snapshot writes only where it was asked to, against a real redis-server. */
class RestoreSafetyIT extends RedisTestBase {

  @TempDir
  Path dir;

  @BeforeEach
  void fill() {
    jedis.flushAll();
    jedis.set("plan", "old plan");
    jedis.xadd("events", new StreamEntryID(1700000000000L, 1), Map.of("type", "store"));
    jedis.xadd("events", new StreamEntryID(1700000000001L, 0), Map.of("type", "delete"));
  }

  @Test
  void shouldRefuseStreamIdsOutOfOrderOrZeroBeforeTouchingTheOldStream() throws Exception {
    Path file = snapshot();
    String good = Files.readString(file);
    Path swapped = Files.writeString(dir.resolve("swapped.json"), good.replace("1700000000000-1", "@ID@")
        .replace("1700000000001-0", "1700000000000-1").replace("@ID@", "1700000000001-0"));
    Path zero = Files.writeString(dir.resolve("zero.json"), good.replace("1700000000000-1", "0-0"));
    jedis.set("plan", "newer plan");

    Cli outOfOrder = Cli.run("restore", "--redis", redis.url(0), "--in", swapped.toString(), "--replace");
    Cli zeroId = Cli.run("restore", "--redis", redis.url(0), "--in", zero.toString(), "--replace");

    assertThat(outOfOrder.exitCode).isEqualTo(1);
    assertThat(outOfOrder.err).contains("is not above the id before it").contains("Redis was not touched");
    assertThat(zeroId.err).contains("is 0-0, which Redis does not accept");
    assertThat(jedis.xlen("events")).as("the stream --replace would have replaced").isEqualTo(2);
    assertThat(jedis.get("plan")).isEqualTo("newer plan");
  }

  @Test
  void shouldRefuseATtlRedisCannotSetRatherThanDropIt() throws Exception {
    jedis.pexpire("plan", 600_000);
    String good = Files.readString(snapshot());
    Path forever = Files.writeString(dir.resolve("forever.json"),
        good.replaceFirst("\"ttl_ms\" : \\d+", "\"ttl_ms\" : " + Long.MAX_VALUE));
    jedis.del("plan");

    Cli result = Cli.run("restore", "--redis", redis.url(0), "--in", forever.toString());

    assertThat(result.exitCode).isEqualTo(1);
    assertThat(result.err).contains("ttl_ms").contains("Redis cannot set " + Long.MAX_VALUE)
        .contains("would keep the key for ever");
    assertThat(jedis.exists("plan")).isFalse();
  }

  @Test
  void shouldLeaveEveryOldValueWhenRedisRefusesAKeyHalfWay() throws Exception {
    jedis.set("zzz", "old zzz");
    byte[] big = new byte[2 << 20];
    Arrays.fill(big, (byte) 'x');
    // keys in this order: the first is written before Redis refuses the second
    Path file = Files.writeString(dir.resolve("hand.json"), "{\"format\": \"memtrace-redis-snapshot\", \"version\": 1, "
        + "\"keys\": [" + stringKey("plan", "new plan".getBytes(StandardCharsets.UTF_8)) + ", "
        + stringKey("zzz", big) + "]}");
    jedis.configSet("proto-max-bulk-len", "1mb");
    Cli result;
    try {
      result = Cli.run("restore", "--redis", redis.url(0), "--in", file.toString(), "--replace");
    } finally {
      jedis.configSet("proto-max-bulk-len", "512mb");
    }

    assertThat(result.exitCode).as("%s", result).isEqualTo(1);
    // Redis refuses zzz and drops the connection: when its error reply came back, zzz is named; when the
    // connection broke first (plan's answer may be lost with it), the batch and its largest value are, never plan
    assertThat(result.err).as("%s", result).contains("no key was changed").satisfiesAnyOf(
        err -> assertThat(err).contains("restore stopped at key zzz: Redis answered"),
        err -> assertThat(err).contains("the connection to Redis broke").contains("keys 1 to 2 were sent (plan to zzz)")
            .contains("largest value among them is key zzz's, with an element of " + big.length + " bytes"));
    assertThat(jedis.get("plan")).as("written before the failure, yet not in place").isEqualTo("old plan");
    assertThat(jedis.get("zzz")).isEqualTo("old zzz");
    assertThat(jedis.keys("memtrace:restore:*")).as("staging keys left behind").isEmpty();
  }

  @Test
  void shouldRoundTripAValueLargerThanJacksonsDefaultStringLimit() throws Exception {
    byte[] value = new byte[20 << 20];
    for (int i = 0; i < value.length; i++) {
      value[i] = (byte) (i * 31);
    }
    jedis.set("blob".getBytes(StandardCharsets.UTF_8), value);
    Path file = snapshot();
    jedis.flushAll();

    Cli restore = Cli.run("restore", "--redis", redis.url(0), "--in", file.toString());

    assertThat(restore.exitCode).as("%s", restore).isZero();
    assertThat(jedis.get("blob".getBytes(StandardCharsets.UTF_8))).isEqualTo(value);
  }

  @Test
  void shouldRefuseAPlantedPartialLinkAndADirectoryInOneLine() throws Exception {
    Path victim = Files.writeString(dir.resolve("victim.txt"), "precious");
    Path out = dir.resolve("snap.json");
    Files.createSymbolicLink(dir.resolve("snap.json.partial"), victim);

    Cli linked = Cli.run("snapshot", "--redis", redis.url(0), "--out", out.toString());
    Cli directory = Cli.run("snapshot", "--redis", redis.url(0), "--out", dir.toString());

    assertThat(linked.exitCode).isEqualTo(1);
    assertThat(linked.err).contains("snap.json.partial is a symbolic link").hasLineCount(1);
    assertThat(Files.readString(victim)).isEqualTo("precious");
    assertThat(out).doesNotExist();
    assertThat(directory.exitCode).isEqualTo(1);
    assertThat(directory.err).contains("is a directory; name the snapshot file").hasLineCount(1);
  }

  private Path snapshot() {
    Path file = dir.resolve("snap-" + System.nanoTime() + ".json");
    Cli result = Cli.run("snapshot", "--redis", redis.url(0), "--out", file.toString());
    assertThat(result.exitCode).as("%s", result).isZero();
    return file;
  }

  private static String stringKey(String key, byte[] value) {
    return "{\"key\": \"" + Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8))
        + "\", \"type\": \"string\", \"ttl_ms\": null, \"value\": \"" + Base64.getEncoder().encodeToString(value) + "\"}";
  }
}
