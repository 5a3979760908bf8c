package io.memtrace.bench;

import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

/**
 * Jedis commands against {@link FakeRedisSocket}: no network, so the time per operation is Jedis's
 * own work plus whatever an agent adds on the calling thread. {@link OverheadBench} runs this class
 * twice, without and with {@code -javaagent:memtrace-agent.jar}, and compares.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class JedisCommandBench {

  static final String KEY = "user:42:name";
  static final String VALUE = "Ada Lovelace";
  static final int PIPELINE_LENGTH = 10;
  /** A 1 KB value, text as most stored values are: what a captured value costs is measured on it. */
  static final String VALUE_1K = "v".repeat(1024);

  /**
   * Set by {@link OverheadBench} in the forked JVM: {@code true} when the agent must be attached,
   * {@code false} when it must not be. A run whose JVM does not match fails instead of reporting a
   * misleading number.
   */
  static final String EXPECT_AGENT = "memtrace.bench.expectAgent";

  /**
   * Simulated application work per operation, in {@link Blackhole#consumeCPU} tokens: 0 runs
   * Jedis back to back (the agent's consumer cannot keep up, its ring fills); a few hundred tokens
   * give the consumer time to drain the ring, as any real network round trip would.
   */
  @Param({"0"})
  public int appWork;

  private Jedis getClient;
  private Jedis setClient;
  private Jedis pipelineClient;

  @Setup(Level.Trial)
  public void connect() {
    // new Jedis(JedisSocketFactory) connects lazily and sends no HELLO/AUTH/CLIENT SETINFO, so
    // the fake stream only ever answers the benchmark's own commands
    getClient = new Jedis(FakeRedisSocket.factory("$5\r\nhello\r\n"));
    setClient = new Jedis(FakeRedisSocket.factory("+OK\r\n"));
    pipelineClient = new Jedis(FakeRedisSocket.factory("+OK\r\n"));
    if (!"hello".equals(getClient.get(KEY)) || !"OK".equals(setClient.set(KEY, VALUE))) {
      throw new IllegalStateException("the fake Redis connection does not answer as expected");
    }
    AgentCheck.verify(setClient, System.getProperty(EXPECT_AGENT));
  }

  @TearDown(Level.Trial)
  public void disconnect() {
    getClient.close();
    setClient.close();
    pipelineClient.close();
  }

  /** One GET: a bulk-string reply. */
  @Benchmark
  public String get(AppThreadCounters counters) {
    counters.operation(appWork);
    return getClient.get(KEY);
  }

  /** One SET: a status reply. */
  @Benchmark
  public String set(AppThreadCounters counters) {
    counters.operation(appWork);
    return setClient.set(KEY, VALUE);
  }

  /** One SET of a 1 KB value: with {@code capture.values} on, a {@code memory.value} event of 1 KB. */
  @Benchmark
  public String set1k(AppThreadCounters counters) {
    counters.operation(appWork);
    return setClient.set(KEY, VALUE_1K);
  }

  /** Ten SETs queued on a pipeline, then {@code sync()}: one batch span with the agent. */
  @Benchmark
  public String pipelineSet10(AppThreadCounters counters) {
    counters.operation(appWork);
    Pipeline pipeline = pipelineClient.pipelined();
    Response<String> last = null;
    for (int i = 0; i < PIPELINE_LENGTH; i++) {
      last = pipeline.set(KEY, VALUE);
    }
    pipeline.sync();
    return last.get();
  }

  /**
   * Per-iteration counters (JMH auxiliary results, summed over an iteration; {@link OverheadBench}
   * divides them by {@link #ops}): bytes allocated and CPU time used by the benchmark thread
   * itself, from HotSpot's per-thread counters, and the agent's ring traffic. {@code -prof gc}'s
   * {@code gc.alloc.rate.norm} counts every thread of the JVM, including memtrace's consumer thread
   * that builds the spans; these counters isolate the application thread.
   */
  @AuxCounters(AuxCounters.Type.EVENTS)
  @State(Scope.Thread)
  public static class AppThreadCounters {
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Benchmark operations in this iteration. */
    public long ops;
    private long startBytes;
    private long startCpuNanos;
    private AgentCounters agent = AgentCounters.NONE;
    private long startPublished;
    private long startDropped;

    @Setup(Level.Iteration)
    public void start() {
      if (agent == AgentCounters.NONE) {
        agent = AgentCounters.find(); // once the agent is found, the same counters stay valid
      }
      startPublished = agent.published();
      startDropped = agent.dropped();
      startBytes = THREADS.getCurrentThreadAllocatedBytes();
      startCpuNanos = THREADS.getCurrentThreadCpuTime();
    }

    /**
     * CPU time the benchmark thread used since this iteration started. Unlike the wall-clock
     * score, it does not grow when the thread waits for a core (other busy threads, including
     * memtrace's consumer, on a machine with few cores).
     */
    public long appThreadCpuNanos() {
      return THREADS.getCurrentThreadCpuTime() - startCpuNanos;
    }

    /** Bytes the benchmark thread allocated since this iteration started. */
    public long appThreadBytes() {
      return THREADS.getCurrentThreadAllocatedBytes() - startBytes;
    }

    /** With the agent: events it put into its ring during this iteration (0 without it). */
    public long agentPublished() {
      return AgentCounters.delta(agent.published(), startPublished);
    }

    /** With the agent: events it dropped because the ring was full (0 without it). */
    public long agentDropped() {
      return AgentCounters.delta(agent.dropped(), startDropped);
    }

    /**
     * Counts one benchmark operation, after the application work it stands for ({@code appWork}
     * {@link Blackhole#consumeCPU} tokens; none at 0). Package-private: JMH reads only public members as counters.
     */
    void operation(int appWork) {
      ops++;
      if (appWork > 0) {
        Blackhole.consumeCPU(appWork);
      }
    }
  }
}
