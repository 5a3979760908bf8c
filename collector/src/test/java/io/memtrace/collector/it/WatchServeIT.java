package io.memtrace.collector.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memtrace.testsupport.OtlpSink;
import io.memtrace.testsupport.TestRedis;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * {@code serve --watch-redis} through the real collector jar: the keyspace tables and
 * {@code GET /api/keyspace} fill, the gauges reach the {@code --forward} endpoint and the
 * {@code metrics} table, a password in the URL is never printed or stored, Redis killed and
 * restarted during a pass leaves stale rows and then complete ones again, and spans sent while
 * Redis is down are all stored.
 */
class WatchServeIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  void shouldWatchThroughARestartAndForwardTheGaugesWithoutLosingASpan() throws Exception {
    try (TestRedis redis = TestRedis.startOwn(); OtlpSink upstream = new OtlpSink()) {
      watchThroughARestart(redis, upstream);
    }
  }

  private void watchThroughARestart(TestRedis redis, OtlpSink upstream) throws Exception {
    int redisPort = redis.port;
    try (Jedis jedis = new Jedis("127.0.0.1", redisPort)) {
      jedis.aclSetUser("watcher", ("on >s3cret-pw " + io.memtrace.collector.keyspace.WatchAcl.RULES).split(" "));
      load(jedis, 30_000);
    }
    try (CollectorProcess serve = CollectorProcess.serve(dir.resolve("data"),
        "--watch-redis", "redis://watcher:s3cret-pw@127.0.0.1:" + redisPort, "--watch-interval", "1s",
        // slow enough that a pass over 30,000 keys is still running when Redis is killed
        "--watch-commands-per-second", "20000",
        "--forward", upstream.endpoint())) {
      String address = "127.0.0.1:" + redisPort;
      Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> completePasses(serve) >= 1);
      JsonNode latest = api(serve, "");
      assertThat(latest.at("/samples")).anySatisfy(s -> {
        assertThat(s.get("redis").asText()).isEqualTo(address);
        assertThat(s.get("namespace").asText()).isEqualTo("session:s1");
        assertThat(s.get("layer").asText()).isEqualTo("session");
        assertThat(s.get("keys").asLong()).isEqualTo(1);
      });
      assertThat(latest.at("/servers/0/used_memory").asLong()).isPositive();
      assertThat(latest.at("/servers")).hasSize(1);
      assertThat(api(serve, "?since=10m").at("/servers").size()).as("history since ten minutes ago")
          .isGreaterThanOrEqualTo(latest.at("/servers").size());
      assertThat(serve.get("/api/keyspace?since=yesterday").statusCode()).isEqualTo(400);

      // Redis goes away in the middle of a pass (one that has said it is still running), and spans keep coming
      long firstPass = count(serve, "SELECT max(pass_id) FROM keyspace_server WHERE complete");
      Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> count(serve,
          "SELECT count(*) FROM keyspace_server WHERE NOT complete AND NOT stale AND pass_id > " + firstPass) >= 1);
      redis.stop();
      for (int i = 0; i < 20; i++) {
        byte[] batch = ServeIT.batch(String.format("%032x", 0xfeed00 + i), 50).toByteArray();
        assertThat(serve.post("/v1/traces", "application/x-protobuf", null, batch).statusCode()).isEqualTo(200);
      }
      Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> count(serve,
          "SELECT count(*) FROM keyspace_server WHERE stale AND error IS NOT NULL") >= 1);
      assertThat(count(serve, "SELECT count(*) FROM keyspace WHERE stale")).as("last figures carried over").isPositive();
      assertThat(count(serve, "SELECT max(pass_commands) FROM keyspace_server WHERE stale"))
          .as("Redis went away in the middle of a pass").isGreaterThan(100);
      assertThat(count(serve, "SELECT count(*) FROM spans WHERE trace_id LIKE '00000000000000000000000000feed%'"))
          .as("spans sent while Redis was down").isEqualTo(1_000);

      redis.restart();
      try (Jedis jedis = new Jedis("127.0.0.1", redisPort)) {
        jedis.aclSetUser("watcher", ("on >s3cret-pw " + io.memtrace.collector.keyspace.WatchAcl.RULES).split(" "));
        load(jedis, 500);
      }
      long before = completePasses(serve);
      Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> completePasses(serve) > before);
      assertThat(count(serve, "SELECT keys FROM keyspace WHERE namespace = 'bulk' AND complete AND NOT stale "
          + "ORDER BY time DESC LIMIT 1")).as("the restarted Redis's keys").isEqualTo(500 - 20);

      // seed 001's gauges, upstream and in the metrics table
      Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> forwarded(upstream).stream().anyMatch(
          f -> f.startsWith("/v1/metrics ") && f.contains("memory.deep.count")));
      List<String> forwarded = forwarded(upstream);
      assertThat(forwarded).anySatisfy(f -> assertThat(f).contains("memory.session.size").contains("memory.cache.size")
          .contains("memory.keyspace.bytes"));
      assertThat(count(serve, "SELECT count(*) FROM metrics WHERE name = 'memory.deep.count' AND value = 3"))
          .isPositive();

      String everything = serve.stderr() + String.join("\n", forwarded)
          + serve.post("/api/query", "application/sql", null,
              "SELECT * FROM keyspace_server".getBytes(StandardCharsets.UTF_8)).body();
      assertThat(everything).doesNotContain("s3cret-pw");
      assertThat(serve.stop()).isEqualTo(143);
    }
  }

  /** What serve forwarded upstream, each request as its path and body. */
  private static List<String> forwarded(OtlpSink upstream) {
    return upstream.requests().stream().map(r -> r.path + " " + r.text()).toList();
  }

  /** The demo's layered memory, three deep records among them, and {@code bulk} keys to make a pass take a while. */
  private static void load(Jedis jedis, int bulk) {
    Pipeline p = jedis.pipelined();
    p.rpush("session:s1:messages", "user: hello", "assistant: hi");
    p.setex("cache:jwt", 3600, "PyJWT");
    p.zadd("cache:index", 1, "jwt");
    for (int i = 1; i <= 3; i++) {
      p.hset("deep:memory:" + i, Map.of("text", "memory " + i));
    }
    p.sadd("deep:tag:jwt", "deep:memory:1");
    p.set("deep:next-id", "3");
    for (int i = 0; i < bulk - 20; i++) {
      p.set("bulk:" + i, "x".repeat(100));
    }
    p.sync();
  }

  private static long completePasses(CollectorProcess serve) throws Exception {
    return count(serve, "SELECT count(*) FROM keyspace_server WHERE complete AND NOT stale");
  }

  private static JsonNode api(CollectorProcess serve, String query) throws Exception {
    HttpResponse<String> response = serve.get("/api/keyspace" + query);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private static long count(CollectorProcess serve, String sql) throws Exception {
    HttpResponse<String> response = serve.post("/api/query", "application/sql", null, sql.getBytes(StandardCharsets.UTF_8));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode v = JSON.readTree(response.body()).at("/rows/0/0");
    return v.isMissingNode() || v.isNull() ? -1 : v.asLong();
  }
}
