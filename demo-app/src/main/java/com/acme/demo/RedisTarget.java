package com.acme.demo;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import redis.embedded.RedisServer;

/** The Redis the demo uses: {@code REDIS_URL}, or an embedded {@code redis-server} on a free port. */
final class RedisTarget implements AutoCloseable {

  final String host;
  final int port;
  private final RedisServer embedded;

  private RedisTarget(String host, int port, RedisServer embedded) {
    this.host = host;
    this.port = port;
    this.embedded = embedded;
  }

  static RedisTarget open() throws IOException {
    String url = System.getenv("REDIS_URL");
    if (url != null && !url.isBlank()) {
      URI uri = URI.create(url);
      return new RedisTarget(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort(), null);
    }
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    RedisServer server = RedisServer.newRedisServer().port(port).bind("127.0.0.1")
        .setting("save \"\"").setting("appendonly no").build();
    server.start();
    return new RedisTarget("127.0.0.1", port, server);
  }

  /**
   * Runs the embedded {@code redis-server} on {@code port} until this JVM is stopped, for demo.sh: the
   * demo and the collector's keyspace watcher then share one Redis that outlives the demo run.
   */
  static void serveUntilKilled(int port) throws IOException, InterruptedException {
    RedisServer server = RedisServer.newRedisServer().port(port).bind("127.0.0.1")
        .setting("save \"\"").setting("appendonly no").build();
    server.start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        server.stop();
      } catch (IOException ignored) {
        // the process goes with this JVM
      }
    }));
    System.out.println("demo: embedded Redis at 127.0.0.1:" + port + " until stopped");
    Thread.currentThread().join();
  }

  String describe() {
    return (embedded == null ? "Redis at " : "embedded Redis at ") + host + ":" + port;
  }

  @Override
  public void close() throws IOException {
    if (embedded != null) {
      embedded.stop();
    }
  }
}
