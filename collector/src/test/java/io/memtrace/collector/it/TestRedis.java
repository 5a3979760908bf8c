package io.memtrace.collector.it;

import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.TreeMap;
import redis.clients.jedis.Jedis;
import redis.embedded.RedisServer;

/**
 * The Redis a test talks to: {@code REDIS_URL} when set, otherwise a real {@code redis-server}
 * process from the embedded-redis artifact on a free loopback port.
 */
final class TestRedis implements AutoCloseable {

  final String host;
  final int port;
  private final RedisServer server;

  private TestRedis(String host, int port, RedisServer server) {
    this.host = host;
    this.port = port;
    this.server = server;
  }

  static TestRedis start() throws IOException {
    String url = System.getenv("REDIS_URL");
    if (url != null && !url.isEmpty()) {
      URI uri = URI.create(url);
      return new TestRedis(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort(), null);
    }
    int port = CollectorProcess.freePort();
    RedisServer server = RedisServer.newRedisServer()
        .port(port)
        .bind("127.0.0.1")
        .setting("save \"\"")
        .setting("appendonly no")
        .build();
    server.start();
    return new TestRedis("127.0.0.1", port, server);
  }

  String url(int db) {
    return "redis://" + host + ":" + port + "/" + db;
  }

  @Override
  public void close() throws IOException {
    if (server != null) {
      server.stop();
    }
  }

  /** Calls per command since the server started (or since CONFIG RESETSTAT), from Redis's own INFO commandstats. */
  static Map<String, Long> commandCalls(Jedis jedis) {
    Map<String, Long> calls = new TreeMap<>();
    for (String line : jedis.info("commandstats").split("\r?\n")) {
      if (line.startsWith("cmdstat_")) {
        String name = line.substring(8, line.indexOf(':'));
        String n = line.substring(line.indexOf("calls=") + 6);
        calls.put(name, Long.parseLong(n.substring(0, n.indexOf(','))));
      }
    }
    return calls;
  }
}
