package io.memtrace.collector.truth;

import io.memtrace.testsupport.Ports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.Jedis;

/**
 * Debian's redis-server (7.x: FCALL and COPY need 7, the embedded one of the other tests is older), on a free
 * loopback port, no persistence, every keyspace event on: the suite's own subscription needs them all, and the
 * collector's watcher never removes a flag, so it finds them already set.
 */
final class TruthRedis implements AutoCloseable {

  static final Path BINARY = Path.of(System.getProperty("truth.redis", "/usr/bin/redis-server"));
  /** The function library FCALL calls: a write the way an application's Lua would make it. */
  static final String LIBRARY = "#!lua name=truth\n"
      + "redis.register_function('truth_set', function(keys, args) return redis.call('SET', keys[1], args[1]) end)";

  final String host = "127.0.0.1";
  final int port;
  private final Process process;

  private TruthRedis(int port, Process process) {
    this.port = port;
    this.process = process;
  }

  static TruthRedis start(Path dir) throws Exception {
    Files.createDirectories(dir);
    int port = Ports.free();
    Process process = new ProcessBuilder(List.of(BINARY.toString(), "--port", String.valueOf(port), "--bind",
        "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--notify-keyspace-events", "KEA",
        "--databases", "16"))
        .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
    TruthRedis redis = new TruthRedis(port, process);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      try (Jedis jedis = redis.client()) {
        jedis.functionLoad(LIBRARY);
        return redis;
      } catch (redis.clients.jedis.exceptions.JedisConnectionException notYet) {
        if (System.nanoTime() > deadline || !process.isAlive()) {
          redis.close();
          throw new IOException("redis-server did not start: " + Files.readString(dir.resolve("redis.log")));
        }
        Thread.sleep(50);
      }
    }
  }

  Jedis client() {
    return new Jedis(host, port, 10_000);
  }

  String url() {
    return "redis://" + host + ":" + port;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
