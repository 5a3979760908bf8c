package io.memtrace.bench.stress.app;

import com.acme.memory.MemoryManager;
import com.acme.memory.RedisMemoryManager;
import com.acme.memory.layers.CacheMemory;
import com.acme.memory.layers.DeepMemory;
import com.acme.memory.layers.PafStore;
import com.acme.memory.layers.SessionMemory;
import java.time.Duration;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.JedisPooled;

/** The demo's layered memory, every layer on one {@link JedisPooled}, as the fleet itself wires it. */
final class DemoMemory implements AutoCloseable {

  /** The fact every {@code paf.validate} checks; {@link #PAF_CHOICE} holds against it. */
  static final String PAF_CATEGORY = "STRESS";
  static final String PAF_ID = "001";
  static final String PAF_CHOICE = "memtrace";
  /**
   * Far above a loopback round trip (~50 µs), so an error means Redis is down or refusing, not that
   * the agent and the workload share two busy cores.
   */
  private static final int TIMEOUT_MILLIS = 5_000;

  final JedisPooled redis;
  final MemoryManager memory;
  final SessionMemory session;
  final CacheMemory cache;
  final DeepMemory deep;
  final PafStore paf;

  private DemoMemory(JedisPooled redis) {
    this.redis = redis;
    this.memory = new RedisMemoryManager(redis);
    this.session = new SessionMemory(redis);
    this.cache = new CacheMemory(redis);
    this.deep = new DeepMemory(redis);
    this.paf = new PafStore(redis);
  }

  /** A pool of {@code connections}: one a worker thread, so no worker ever waits for a connection. */
  static DemoMemory connect(String host, int port, int connections) {
    ConnectionPoolConfig pool = new ConnectionPoolConfig();
    pool.setMaxTotal(connections);
    pool.setMaxIdle(connections);
    pool.setMaxWait(Duration.ofMillis(TIMEOUT_MILLIS));
    pool.setJmxEnabled(false);
    return new DemoMemory(new JedisPooled(pool, host, port, TIMEOUT_MILLIS));
  }

  /** What the cycles read without writing: the fact they validate against. */
  void prepare() {
    paf.addFact(PAF_CATEGORY, PAF_ID, "Trace every memory call with memtrace spans",
        "the fleet's memory is only debuggable when each call is a span");
  }

  /**
   * Empties a session. {@link SessionMemory} only appends; a session that grew for the whole run
   * would add a steady rise to Redis's memory and hide the leak the leak workload makes.
   */
  void dropSession(String sessionId) {
    redis.del("session:" + sessionId + ":messages");
  }

  @Override
  public void close() {
    redis.close();
  }
}
