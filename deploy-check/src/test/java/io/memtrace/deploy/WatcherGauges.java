package io.memtrace.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.ForkedJvm;
import io.memtrace.testsupport.OtlpSink;
import io.memtrace.testsupport.TestRedis;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import redis.clients.jedis.Jedis;

/**
 * The gauges the real keyspace watcher sends: the collector jar's {@code watch --forward} runs one
 * pass over a real redis-server that {@code load} filled, and every OTLP/JSON export it posts is kept,
 * one per line, in the format of {@code MEMTRACE_METRICS_FILE} that {@link ExportedMetrics} reads.
 */
final class WatcherGauges {

  private WatcherGauges() {
  }

  static Path run(Path work, Consumer<Jedis> load) throws IOException, InterruptedException {
    assertThat(BuildPaths.COLLECTOR_JAR).as("the collector jar (built by mvn package)").exists();
    Files.createDirectories(work);
    try (TestRedis redis = TestRedis.startOwn(); OtlpSink upstream = new OtlpSink()) {
      try (Jedis jedis = new Jedis(redis.host, redis.port)) {
        load.accept(jedis);
      }
      ForkedJvm.Result watch = ForkedJvm.jar(BuildPaths.COLLECTOR_JAR, "watch", "--redis", redis.url(), "--passes", "1",
          // a test's Redis has no other client to spare: the pass need not take its time
          "--commands-per-second", "20000",
          "--config", BuildPaths.DEMO_CONFIG.toString(),
          "--forward", upstream.endpoint()).run(work.resolve("watch"));
      assertThat(watch.exitCode).as("%s", watch).isZero();
      List<String> exports = upstream.requests("/v1/metrics").stream().map(OtlpSink.Request::text)
          .collect(Collectors.toList());
      assertThat(exports).as("exports the watcher sent: %s", watch).isNotEmpty();
      Path metrics = work.resolve("watcher-metrics.jsonl");
      Files.write(metrics, exports);
      return metrics;
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
