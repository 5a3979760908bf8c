package io.memtrace.bench;

import io.memtrace.bench.memory.DocumentMemory;
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
 * What joining the current OpenTelemetry span costs memtrace's root spans (issue 15): a memory
 * manager call (a root memory span and its Redis child) and a Redis command on its own (a root
 * Redis span), over {@link FakeRedisSocket}, run with the memtrace agent and
 * {@code memtrace-bench.yaml}. {@code otel}:
 * <ul>
 *   <li>{@code none}: the OpenTelemetry API is never loaded, so memtrace installs no reader and
 *       pays one static null check;</li>
 *   <li>{@code idle}: the application has loaded the API (memtrace binds to it) but no span is
 *       current: the reader asks and finds none;</li>
 *   <li>{@code span}: a span is current on the thread ({@link OtelSpanScope}); each root span
 *       reads and parses its ids.</li>
 * </ul>
 * Run: {@code java -cp bench/target/memtrace-bench.jar org.openjdk.jmh.Main JoinedSpanBench
 * -jvmArgsAppend -javaagent:agent/target/memtrace-agent.jar=config=<memtrace-bench.yaml>}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class JoinedSpanBench {

  @Param({"none", "idle", "span"})
  public String otel;

  private Jedis getClient;
  private Jedis retrieveClient;
  private DocumentMemory memory;
  private AutoCloseable scope;

  @Setup(Level.Trial)
  public void connect() {
    getClient = new Jedis(FakeRedisSocket.factory("$5\r\nhello\r\n"));
    retrieveClient = new Jedis(FakeRedisSocket.factory("$5\r\nhello\r\n"));
    memory = new DocumentMemory(retrieveClient);
    if (!"none".equals(otel)) {
      // Thread-scoped state is set up on the benchmark thread: the span stays current on it
      scope = OtelSpanScope.open("span".equals(otel));
    }
    if (!"hello".equals(getClient.get(MemoryManagerBench.KEY))
        || !"hello".equals(memory.retrieve(MemoryManagerBench.KEY, MemoryManagerBench.PARTITION))) {
      throw new IllegalStateException("the fake Redis connection does not answer as expected");
    }
  }

  @TearDown(Level.Trial)
  public void disconnect() throws Exception {
    if (scope != null) {
      scope.close();
    }
    getClient.close();
    retrieveClient.close();
  }

  /** One GET with no memtrace span around it: a root Redis span. */
  @Benchmark
  public String get(JedisCommandBench.AppThreadCounters counters) {
    counters.ops++;
    return getClient.get(MemoryManagerBench.KEY);
  }

  /** {@code retrieve(key, partition)}: a root memory span, and its GET as a child. */
  @Benchmark
  public String retrieve(JedisCommandBench.AppThreadCounters counters) {
    counters.ops++;
    return memory.retrieve(MemoryManagerBench.KEY, MemoryManagerBench.PARTITION);
  }
}
