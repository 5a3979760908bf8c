package io.memtrace.testsupport;

import io.memtrace.testsupport.redis.Resp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import redis.embedded.RedisServer;

/**
 * The Redis a test talks to. {@link #start()} takes {@code REDIS_URL} when it is set (say, a Redis 7 for
 * the tests that need one); otherwise, as {@link #startOwn}, it runs a real {@code redis-server} process
 * from the embedded-redis artifact (the binary ships inside that jar, so a fresh machine needs nothing
 * installed) on a free loopback port, without persistence, stopped at {@link #close}.
 */
public final class TestRedis implements AutoCloseable {

  public final String host;
  public final int port;
  /** Whether it runs the server itself, rather than being given {@code REDIS_URL}. */
  private final boolean owned;
  private RedisServer server;

  private TestRedis(String host, int port, boolean owned) {
    this.host = host;
    this.port = port;
    this.owned = owned;
  }

  /** {@code REDIS_URL} when set, else a server of its own. */
  public static TestRedis start() throws IOException {
    String url = System.getenv("REDIS_URL");
    if (url != null && !url.isEmpty()) {
      URI uri = URI.create(url);
      return new TestRedis(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort(), false);
    }
    return startOwn();
  }

  /**
   * A server of its own, whatever {@code REDIS_URL} says: for a test that stops or restarts it, or must know
   * every key in it.
   */
  public static TestRedis startOwn() throws IOException {
    TestRedis redis = new TestRedis("127.0.0.1", Ports.free(), true);
    redis.restart();
    return redis;
  }

  /** {@code redis://host:port}. */
  public String url() {
    return "redis://" + host + ":" + port;
  }

  /** {@code redis://host:port/db}. */
  public String url(int db) {
    return url() + "/" + db;
  }

  /** Whether this runs the server (and so may stop it), rather than being given {@code REDIS_URL}. */
  public boolean owned() {
    return owned;
  }

  /** Stops its own server; {@link #restart} starts it again on the same port (nothing holds the port meanwhile). */
  public void stop() throws IOException {
    if (server != null) {
      server.stop();
      server = null;
    }
  }

  /** Starts its own server again on the same port, empty (a Redis that went away and came back). */
  public void restart() throws IOException {
    if (!owned() || server != null) {
      throw new IllegalStateException(owned() ? "redis-server on " + port + " is running" : "not its own: " + url());
    }
    RedisServer started = RedisServer.newRedisServer()
        .port(port)
        .bind("127.0.0.1")
        .setting("save \"\"")
        .setting("appendonly no")
        .build();
    started.start();
    server = started;
  }

  /** Empties every database (FLUSHALL): a program run again starts from the Redis it started from before. */
  public void flushAll() {
    try (Resp resp = Resp.connect(host, port)) {
      resp.ok("FLUSHALL");
    } catch (IOException e) {
      throw new UncheckedIOException("FLUSHALL on " + url(), e);
    }
  }

  @Override
  public void close() throws IOException {
    stop();
  }

  @Override
  public String toString() {
    return url();
  }
}
