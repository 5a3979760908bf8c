package io.memtrace.bench;

import io.memtrace.bench.genai.ChatParts;
import java.util.List;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * What a model-call span and the provenance of a chat-memory read cost the application thread. {@link
 * OverheadBench} runs it without and with the agent and {@code memtrace-bench.yaml}:
 * {@code modelCall} is one model-call span (its links are found on the consumer thread);
 * {@code memoryRead} a read marked {@code context: chat_memory}, {@code cacheRead} the same read unmarked, so
 * their difference is the provenance bookkeeping a read adds on the application thread.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class ModelCallBench {

  /**
   * Application work per op ({@code Blackhole.consumeCPU} tokens): at 0 the consumer cannot keep up and most
   * events take the cheap drop path; 1000 (~2–3 µs) lets every event be published, as in an application.
   */
  @Param({"0", "1000"})
  public int appWork;

  private final List<ChatParts.Message> messages = List.of(new ChatParts.Message("Hello, I am Ada."),
      new ChatParts.Message("Welcome back, Ada! Tea as usual?"), new ChatParts.Message("Yes please."));
  private final ChatParts.Memory memory = new ChatParts.Memory(messages);
  private final ChatParts.Cache cache = new ChatParts.Cache(messages);
  private final ChatParts.Model model = new ChatParts.Model();

  @Setup(Level.Trial)
  public void check() {
    AgentCheck.verifyMemoryManager(System.getProperty(JedisCommandBench.EXPECT_AGENT));
  }

  @Benchmark
  public Object memoryRead(JedisCommandBench.AppThreadCounters counters) {
    counters.ops++;
    Blackhole.consumeCPU(appWork);
    return memory.get("conv-1");
  }

  @Benchmark
  public Object cacheRead(JedisCommandBench.AppThreadCounters counters) {
    counters.ops++;
    Blackhole.consumeCPU(appWork);
    return cache.get("conv-1");
  }

  @Benchmark
  public Object modelCall(JedisCommandBench.AppThreadCounters counters) {
    counters.ops++;
    Blackhole.consumeCPU(appWork);
    return model.call(messages);
  }
}
