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

      ForkedJvm.Result stored = CollectorProcess.run("query", "--data", data.toString(), "--format", "csv",
          "SELECT count(DISTINCT pass_id) AS passes, max(value) FILTER (WHERE name = 'memory.deep.count') AS deep "
              + "FROM keyspace, metrics");
      assertThat(stored.stdout).as("%s", stored).isEqualTo("passes,deep\n2,2.0\n");
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
