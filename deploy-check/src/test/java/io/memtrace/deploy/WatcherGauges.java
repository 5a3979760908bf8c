package io.memtrace.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import redis.clients.jedis.Jedis;
import redis.embedded.RedisServer;

/**
 * The gauges the real keyspace watcher sends: the collector jar's {@code watch --forward} runs one
 * pass over a real redis-server that {@code load} filled, and every OTLP/JSON export it posts is kept,
 * one per line, in the format of {@code MEMTRACE_METRICS_FILE} that {@link ExportedMetrics} reads.
 */
final class WatcherGauges {

  static final Path COLLECTOR = Paths.get(System.getProperty("memtrace.collector.jar",
      Repo.ROOT.resolve("collector/target/memtrace-collector.jar").toString())).toAbsolutePath();

  private WatcherGauges() {
  }

  static Path run(Path work, Consumer<Jedis> load) throws IOException, InterruptedException {
    assertThat(COLLECTOR).as("the collector jar (built by mvn package)").exists();
    Files.createDirectories(work);
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    RedisServer redis = RedisServer.newRedisServer().port(port).bind("127.0.0.1")
        .setting("save \"\"").setting("appendonly no").build();
    redis.start();
    List<String> exports = new CopyOnWriteArrayList<>();
    HttpServer upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    upstream.createContext("/v1/metrics", exchange -> {
      exports.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    upstream.start();
    try {
      try (Jedis jedis = new Jedis("127.0.0.1", port)) {
        load.accept(jedis);
      }
      List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
          "-jar", COLLECTOR.toString(), "watch", "--redis", "redis://127.0.0.1:" + port, "--passes", "1",
          // a test's Redis has no other client to spare: the pass need not take its time
          "--commands-per-second", "20000",
          "--config", Repo.ROOT.resolve("demo-app/memtrace.yaml").toString(),
          "--forward", "http://127.0.0.1:" + upstream.getAddress().getPort()));
      Path log = work.resolve("watch.log");
      Process watch = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      assertThat(watch.waitFor(120, TimeUnit.SECONDS)).as("watch finished").isTrue();
      assertThat(watch.exitValue()).as(Files.readString(log)).isZero();
      assertThat(exports).as("exports the watcher sent: %s", Files.readString(log)).isNotEmpty();
      Path metrics = work.resolve("watcher-metrics.jsonl");
      Files.write(metrics, exports);
      return metrics;
    } finally {
      upstream.stop(0);
      redis.stop();
    }
  }

  /** The demo's layered memory: one session, two cache keys, two deep memories with their tags and id. */
  static void demoKeys(Jedis jedis) {
    jedis.rpush("session:auth-session-001:messages", "user: Implement JWT", "assistant: Planned: PyJWT");
    jedis.setex("cache:jwt-libraries", 3600, "PyJWT is lighter than python-jose");
    jedis.zadd("cache:index", 1, "jwt-libraries");
    jedis.hset("deep:memory:1", "text", "Refresh token rotation");
    jedis.hset("deep:memory:2", "text", "JWT validation failures came from clock skew");
    jedis.sadd("deep:tag:jwt", "deep:memory:1", "deep:memory:2");
    jedis.set("deep:next-id", "2");
    jedis.hset("paf:AUTH-001", "decision", "Use PyJWT");
  }
}
