package io.memtrace.agent.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import redis.embedded.RedisServer;

/**
 * The Redis a test talks to: {@code REDIS_URL} when set, otherwise a real {@code redis-server}
 * process from the embedded-redis artifact on a free loopback port.
 */
public final class TestRedis implements AutoCloseable {

  public final String host;
  public final int port;
  private final RedisServer server;

  private TestRedis(String host, int port, RedisServer server) {
    this.host = host;
    this.port = port;
    this.server = server;
  }

  public static TestRedis start() throws IOException {
    String url = System.getenv("REDIS_URL");
    if (url != null && !url.isEmpty()) {
      URI uri = URI.create(url);
      return new TestRedis(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort(), null);
    }
    int port = freePort();
    RedisServer server = RedisServer.newRedisServer()
        .port(port)
        .bind("127.0.0.1")
        .setting("save \"\"")
        .setting("appendonly no")
        .build();
    server.start();
    return new TestRedis("localhost", port, server);
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() throws IOException {
    if (server != null) {
      server.stop();
    }
  }
}
