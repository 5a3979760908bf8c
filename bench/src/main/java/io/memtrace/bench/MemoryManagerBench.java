package io.memtrace.bench;

import io.memtrace.bench.memory.DocumentMemory;
import io.memtrace.bench.memory.StoreOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
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
import redis.clients.jedis.Jedis;

/**
 * A memory manager instrumented by configuration alone: {@link DocumentMemory}, plain application
 * code over Jedis and {@link FakeRedisSocket}. With the agent and {@code memtrace-bench.yaml}, each
 * operation is one memory span (the method advice) plus one Redis span (its child) on the
 * application thread. {@link OverheadBench} runs this class without and with the agent, as it does
 * {@link JedisCommandBench}; compared with that class's {@code set}/{@code get}, the difference is
 * what the method rule adds on top of Redis tracing.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class MemoryManagerBench {

  static final String KEY = "user:42:name";
  static final String VALUE = "Ada Lovelace";
  static final String PARTITION = "fleet";
  static final StoreOptions OPTIONS = new StoreOptions(PARTITION, "agent-7", Duration.ofHours(1));

  /** Simulated application work per operation, as in {@link JedisCommandBench#appWork}. */
  @Param({"0"})
  public int appWork;

  private Jedis storeClient;
  private Jedis retrieveClient;
  private DocumentMemory storeMemory;
  private DocumentMemory retrieveMemory;

  @Setup(Level.Trial)
  public void connect() {
    // one connection per canned reply: SET is answered +OK, GET a bulk string
    storeClient = new Jedis(FakeRedisSocket.factory("+OK\r\n"));
    retrieveClient = new Jedis(FakeRedisSocket.factory("$5\r\nhello\r\n"));
    storeMemory = new DocumentMemory(storeClient);
    retrieveMemory = new DocumentMemory(retrieveClient);
    storeMemory.store(KEY, VALUE, OPTIONS);
    if (!"hello".equals(retrieveMemory.retrieve(KEY, PARTITION))) {
      throw new IllegalStateException("the fake Redis connection does not answer as expected");
    }
    String expected = System.getProperty(JedisCommandBench.EXPECT_AGENT);
    AgentCheck.verify(storeClient, expected);
    AgentCheck.verifyMemoryManager(expected);
  }

  @TearDown(Level.Trial)
  public void disconnect() {
    storeClient.close();
    retrieveClient.close();
  }

  /** {@code store(key, value, options)}: one SET inside one memory span. */
  @Benchmark
  public void store(JedisCommandBench.AppThreadCounters counters) {
    counters.operation(appWork);
    storeMemory.store(KEY, VALUE, OPTIONS);
  }

  /** {@code retrieve(key, partition)}: one GET inside one memory span. */
  @Benchmark
  public String retrieve(JedisCommandBench.AppThreadCounters counters) {
    counters.operation(appWork);
    return retrieveMemory.retrieve(KEY, PARTITION);
  }
}
