package io.memtrace.bench.overhead;

import java.io.IOException;
import java.net.ServerSocket;
import redis.embedded.RedisServer;

/**
 * The Redis a workload talks to: one given as {@code host:port}, or a real {@code redis-server}
 * from the embedded-redis artifact on a free loopback port, without persistence, stopped on close.
 */
public final class LocalRedis implements AutoCloseable {

  public final String host;
  public final int port;
  private final RedisServer server;

  private LocalRedis(String host, int port, RedisServer server) {
    this.host = host;
    this.port = port;
    this.server = server;
  }

  /** @param given {@code host:port} of a running Redis, or null to start one */
  public static LocalRedis start(String given) throws IOException {
    return start(given, java.util.List.of());
  }

  /**
   * As {@link #start(String)}, with extra {@code redis.conf} lines for a server it starts (for
   * example {@code maxmemory 96mb}); ignored for a given one.
   */
  public static LocalRedis start(String given, java.util.List<String> settings) throws IOException {
    if (given != null) {
      int colon = given.lastIndexOf(':');
      return new LocalRedis(given.substring(0, colon), Integer.parseInt(given.substring(colon + 1)), null);
    }
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    redis.embedded.core.RedisServerBuilder builder = RedisServer.newRedisServer()
        .port(port)
        .bind("127.0.0.1")
        .setting("save \"\"")
        .setting("appendonly no");
    for (String setting : settings) {
      builder.setting(setting);
    }
    RedisServer server = builder.build();
    server.start();
    return new LocalRedis("127.0.0.1", port, server);
  }

  @Override
  public void close() throws IOException {
    if (server != null) {
      server.stop();
    }
  }
}
