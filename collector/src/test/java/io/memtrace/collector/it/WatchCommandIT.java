package io.memtrace.collector.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memtrace.testsupport.ForkedJvm;
import io.memtrace.testsupport.TestRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * {@code watch} through the collector jar: two passes into a JSON-lines file (the {@code --timeseries}
 * format) and a store at once; a bad config or URL stops it with a message naming the problem, before
 * anything is written and without echoing a password.
 */
class WatchCommandIT {

  @TempDir
  Path dir;

  @Test
  void shouldWriteEachPassAsATimeSeriesLineAndIntoAStore() throws Exception {
    try (TestRedis redis = TestRedis.start(); Jedis jedis = new Jedis(redis.host, redis.port)) {
      jedis.flushAll();
      jedis.rpush("session:s1:messages", "user: hi");
      jedis.setex("cache:k", 600, "v");
      jedis.hset("deep:memory:1", Map.of("text", "t"));
      jedis.hset("deep:memory:2", Map.of("text", "u"));
      Path out = dir.resolve("watch.jsonl");
      Path data = dir.resolve("data");
      ForkedJvm.Result run = CollectorProcess.run("watch", "--redis", redis.url(),
          "--interval", "500ms", "--passes", "2", "--out", out.toString(), "--data", data.toString());
      assertThat(run.exitCode).as("%s", run).isZero();
      List<String> lines = Files.readAllLines(out);
      assertThat(lines).hasSize(2);
      JsonNode last = new ObjectMapper().readTree(lines.get(1));
      String at = redis.host + ":" + redis.port;
      assertThat(last.at("/namespaces/deep:memory/keyspace").get(at + "/0").get("keys").asLong()).isEqualTo(2);
      assertThat(last.at("/namespaces/cache/keyspace").get(at + "/0").get("layer").asText()).isEqualTo("cache");
      assertThat(last.at("/namespaces/cache/keyspace").get(at + "/0").get("bytes_per_min").isNumber()).isTrue();
      assertThat(last.get("keyspace_servers").get(at).get("complete").asBoolean()).isTrue();

      ForkedJvm.Result stored = CollectorProcess.command("query", "--data", data.toString(), "--format", "csv",
          "SELECT count(DISTINCT pass_id) AS passes, max(value) FILTER (WHERE name = 'memory.deep.count') AS deep "
              + "FROM keyspace, metrics");
      assertThat(stored.stdout).as("%s", stored).isEqualTo("passes,deep\n2,2.0\n");
    }
  }

  /**
   * {@code watch --keyspace-events on}: the server's setting gains the flags, keys of a watched namespace that expire
   * during the passes land in the store's key_notification, and stdout has a JSON line of counts per pass.
   */
  @Test
  void shouldRecordNotificationsIntoTheStoreAndPrintTheirCountsPerPass() throws Exception {
    try (TestRedis redis = TestRedis.startOwn(); Jedis jedis = new Jedis(redis.host, redis.port)) {
      for (int i = 0; i < 20; i++) {
        jedis.set("session:s1:k" + i, "v");
      }
      Thread expire = new Thread(() -> {
        try (Jedis other = new Jedis(redis.host, redis.port)) {
          while (other.configGet("notify-keyspace-events").get("notify-keyspace-events").indexOf('E') < 0) {
            Thread.sleep(20);
          }
          Thread.sleep(300); // the subscription follows the CONFIG SET by a moment
          for (int i = 0; i < 20; i++) {
            other.pexpire("session:s1:k" + i, 100);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      expire.start();
      Path data = dir.resolve("data");
      ForkedJvm.Result run = CollectorProcess.run("watch", "--redis", redis.url(), "--interval", "1s", "--passes", "3",
          "--keyspace-events", "on", "--data", data.toString());
      expire.join();
      assertThat(run.exitCode).as("%s", run).isZero();
      assertThat(jedis.configGet("notify-keyspace-events").get("notify-keyspace-events")).contains("E");
      List<JsonNode> counts = new java.util.ArrayList<>();
      for (String line : run.stdout.split("\n")) {
        if (line.contains("\"key_notification_status\"")) {
          counts.add(new ObjectMapper().readTree(line));
        }
      }
      assertThat(counts).as("%s", run).hasSizeBetween(3, 6);
      JsonNode last = counts.get(counts.size() - 1);
      assertThat(last.get("state").asText()).isEqualTo("on");
      assertThat(last.get("received").asLong()).as("%s", run).isEqualTo(40); // each key's expire and expired
      assertThat(last.get("recorded").asLong()).isEqualTo(40);
      ForkedJvm.Result stored = CollectorProcess.command("query", "--data", data.toString(), "--format", "csv",
          "SELECT kind, count(*) AS n, count(DISTINCT key) AS keys FROM key_notification GROUP BY kind ORDER BY kind");
      assertThat(stored.stdout).as("%s", stored).isEqualTo("kind,n,keys\nexpiry,20,20\nttl,20,20\n");
    }
  }

  @Test
  void shouldStopOnABadConfigOrUrlNamingTheProblem() throws Exception {
    Path config = dir.resolve("memtrace.yaml");
    Files.writeString(config, "memory-state:\n  layer:\n    session: ['s:*']\n");
    ForkedJvm.Result bad = CollectorProcess.run("watch", "--redis", "redis://127.0.0.1:1", "--config",
        config.toString(), "--passes", "1");
    assertThat(bad.exitCode).isEqualTo(1);
    assertThat(bad.stderr).contains("line 2: memory-state.layer is not a key of memory-state");
    ForkedJvm.Result url = CollectorProcess.run("watch", "--redis", "http://user:topsecret@127.0.0.1:6379",
        "--passes", "1");
    assertThat(url.exitCode).isEqualTo(1);
    assertThat(url.stderr).contains("--redis must start with redis:// or rediss://").doesNotContain("topsecret");
  }
}
