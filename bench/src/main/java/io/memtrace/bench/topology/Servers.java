package io.memtrace.bench.topology;

import io.memtrace.testsupport.redis.RedisCluster;
import io.memtrace.testsupport.redis.RedisProcess;
import io.memtrace.testsupport.redis.RedisSentinels;
import io.memtrace.testsupport.redis.Resp;
import io.memtrace.testsupport.redis.TlsRedis;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The real Redis servers of one {@link Topology}, started on free loopback ports in a temporary folder by
 * test-support's classes (Debian's {@code redis-server}) and stopped, by their own PIDs, by {@link #close}. A
 * shutdown hook stops them too, so a benchmark fork that fails in its set-up (where JMH calls no tear-down)
 * leaves no server behind.
 */
public final class Servers implements AutoCloseable {

  public final Topology topology;
  private final Path dir;
  private final AutoCloseable servers;
  private final Thread hook;

  private Servers(Topology topology, Path dir, AutoCloseable servers) {
    this.topology = topology;
    this.dir = dir;
    this.servers = servers;
    this.hook = new Thread(this::stop, "memtrace-bench-servers");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** Starts what {@code topology} needs and returns once it is ready (cluster settled, Sentinels agree). */
  public static Servers start(Topology topology) throws IOException {
    requireServerBinary();
    Path dir = Files.createTempDirectory("memtrace-topology-" + topology.name().toLowerCase() + "-");
    try {
      switch (topology) {
        case STANDALONE:
          return new Servers(topology, dir, RedisProcess.start(dir.resolve("standalone")));
        case CLUSTER:
          return new Servers(topology, dir, RedisCluster.start(dir.resolve("cluster")));
        case SENTINEL:
        case REPLICA:
          return new Servers(topology, dir, RedisSentinels.start(dir.resolve("sentinel")));
        case TLS:
          return new Servers(topology, dir, TlsRedis.start(dir.resolve("tls")));
        default:
          throw new IllegalArgumentException("no servers for " + topology);
      }
    } catch (IOException | RuntimeException e) {
      delete(dir);
      throw e;
    }
  }

  /**
   * Fails with what to install when there is no {@code redis-server} where test-support looks ({@code REDIS_SERVER},
   * else Debian's {@code /usr/bin/redis-server}): test-support would skip a JUnit test there, and JUnit is not in
   * the bench jar.
   */
  private static void requireServerBinary() {
    String named = System.getenv("REDIS_SERVER");
    Path path = Path.of(named == null || named.isEmpty() ? "/usr/bin/redis-server" : named);
    if (!Files.isExecutable(path)) {
      throw new IllegalStateException("no redis-server at " + path
          + ": install Debian's redis-server package (7.0 has TLS and cluster support), or set REDIS_SERVER");
    }
  }

  public RedisProcess standalone() {
    return (RedisProcess) servers;
  }

  public RedisCluster cluster() {
    return (RedisCluster) servers;
  }

  public RedisSentinels sentinels() {
    return (RedisSentinels) servers;
  }

  public TlsRedis tls() {
    return (TlsRedis) servers;
  }

  /** The Sentinel deployment's primary now, as the first Sentinel reports it. */
  public int primaryPort() throws IOException {
    return sentinels().primaryPort();
  }

  /** The Sentinel deployment's replicas: its data nodes other than the primary. */
  public List<Integer> replicaPorts() throws IOException {
    int primary = primaryPort();
    return sentinels().nodePorts().stream().filter(port -> port != primary).toList();
  }

  /** How many GETs the plain (non-TLS) node on {@code port} has served since it started ({@code INFO commandstats}). */
  public static long getCalls(int port) throws IOException {
    try (Resp resp = Resp.connect("127.0.0.1", port)) {
      String info = String.valueOf(resp.call("INFO", "commandstats"));
      for (String line : info.split("\r?\n")) {
        if (line.startsWith("cmdstat_get:calls=")) {
          String calls = line.substring("cmdstat_get:calls=".length());
          return Long.parseLong(calls.substring(0, calls.indexOf(',')));
        }
      }
      return 0;
    }
  }

  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // already shutting down: the hook stops them
    }
    stop();
  }

  private synchronized void stop() {
    try {
      servers.close();
    } catch (Exception e) {
      System.err.println("[bench] stopping " + topology + " servers: " + e);
    }
    delete(dir);
  }

  private static void delete(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      List<Path> all = paths.sorted(Comparator.reverseOrder()).toList();
      for (Path path : all) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      System.err.println("[bench] cannot delete " + dir + ": " + e);
    }
  }
}
