package io.memtrace.bench;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
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

/**
 * Lettuce 6.6 sync commands over {@link FakeLettuceConnection}: no network, and the command is
 * completed on the calling thread. With the agent each operation runs both of memtrace's Lettuce
 * hooks here: the start published at {@code DefaultEndpoint.write} (on the application thread in a
 * real connection too) and the end published at {@code complete()} (on a Netty event loop in a real
 * connection). {@link OverheadBench} runs this class without and with the agent, as it does
 * {@link JedisCommandBench}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class LettuceCommandBench {

  /** Simulated application work per operation, as in {@link JedisCommandBench#appWork}. */
  @Param({"0"})
  public int appWork;

  private ClientResources resources;
  private StatefulRedisConnection<String, String> connection;
  private RedisCommands<String, String> commands;

  @Setup(Level.Trial)
  public void connect() throws InterruptedException {
    resources = DefaultClientResources.create();
    connection = FakeLettuceConnection.open(resources);
    commands = connection.sync();
    if (!"hello".equals(commands.get(JedisCommandBench.KEY))
        || !"OK".equals(commands.set(JedisCommandBench.KEY, JedisCommandBench.VALUE))) {
      throw new IllegalStateException("the fake Lettuce connection does not answer as expected");
    }
    AgentCheck.verifyTraced("a Lettuce command", () -> commands.get(JedisCommandBench.KEY),
        System.getProperty(JedisCommandBench.EXPECT_AGENT));
  }

  @TearDown(Level.Trial)
  public void disconnect() {
    connection.close();
    resources.shutdown(0, 1, TimeUnit.SECONDS);
  }

  /** One GET through the sync API: a bulk-string reply. */
  @Benchmark
  public String lettuceGet(JedisCommandBench.AppThreadCounters counters) {
    counters.operation(appWork);
    return commands.get(JedisCommandBench.KEY);
  }

  /** One SET through the sync API: a status reply. */
  @Benchmark
  public String lettuceSet(JedisCommandBench.AppThreadCounters counters) {
    counters.operation(appWork);
    return commands.set(JedisCommandBench.KEY, JedisCommandBench.VALUE);
  }

  /** One SET of a 1 KB value (see {@link JedisCommandBench#set1k}). */
  @Benchmark
  public String lettuceSet1k(JedisCommandBench.AppThreadCounters counters) {
    counters.operation(appWork);
    return commands.set(JedisCommandBench.KEY, JedisCommandBench.VALUE_1K);
  }
}
