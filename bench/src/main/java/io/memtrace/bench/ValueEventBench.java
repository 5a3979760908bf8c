package io.memtrace.bench;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * What a captured value costs memtrace's consumer thread per write: the agent's own {@code RedisValueEvents}, loaded
 * from the agent jar in a class loader of its own (as {@link FingerprintBench}), turning a SET of 1 KB of text, an
 * HSET of ten 100-byte fields and a SET of 1 KB that is not UTF-8 into their {@code memory.value} events (scope
 * check, UTF-8 check, escaping or base64, the event's attributes). No agent is attached: consumer-thread work,
 * measured alone; divide {@code appThreadCpuNanos} by {@code ops}.
 *
 * <pre>java -cp bench/target/memtrace-bench.jar org.openjdk.jmh.Main ValueEventBench -f 2 -wi 3 -i 5</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class ValueEventBench {

  private static final MethodHandle PARSE;
  private static final MethodHandle ADD;
  private static final MethodHandle RESET;
  private static final Object EVENTS;
  private static final Class<?> RECORD;

  static {
    try {
      URL jar = BenchAgent.jar().toUri().toURL();
      ClassLoader agent = new URLClassLoader(new URL[] {jar}, ClassLoader.getPlatformClassLoader());
      Class<?> scope = Class.forName("io.memtrace.agent.config.ValueScope", true, agent);
      Class<?> keys = Class.forName("io.memtrace.agent.redis.KeyPolicy", true, agent);
      Class<?> capture = Class.forName("io.memtrace.agent.values.ValueCapture", true, agent);
      Class<?> events = Class.forName("io.memtrace.agent.values.RedisValueEvents", true, agent);
      Class<?> info = Class.forName("io.memtrace.agent.redis.RedisCommandInfo", true, agent);
      RECORD = Class.forName("io.memtrace.agent.span.SpanRecord", true, agent);
      Object policy = keys.getConstructor(boolean.class, List.class, Pattern.class)
          .newInstance(true, List.of("*:token:*"), io.memtrace.common.NamespaceRule.defaultRule().pattern());
      Object all = scope.getMethod("of", List.class).invoke(null, List.of("user:*"));
      Object captureAll = capture.getConstructor(scope, keys, int.class).newInstance(all, policy, 65536);
      EVENTS = events.getConstructor(capture).newInstance(captureAll);
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      PARSE = lookup.findStatic(info, "of", MethodType.methodType(info, List.class));
      ADD = lookup.findVirtual(events, "add", MethodType.methodType(void.class, info, Object.class, int.class,
          long.class, RECORD));
      RESET = lookup.findVirtual(RECORD, "reset", MethodType.methodType(void.class));
    } catch (Throwable t) {
      throw new ExceptionInInitializerError(t);
    }
  }

  private final Object record = newRecord();
  private final Object set1k = command("SET", "user:42:bio", text(1024));
  private final Object hset10 = hset10();
  private final Object binary1k = binary1k();

  private static Object newRecord() {
    try {
      return RECORD.getConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String text(int length) {
    StringBuilder s = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      s.append((char) ('a' + i % 26));
    }
    return s.toString();
  }

  private static Object command(String... words) {
    byte[][] args = new byte[words.length][];
    for (int i = 0; i < words.length; i++) {
      args[i] = words[i].getBytes(StandardCharsets.UTF_8);
    }
    return parse(List.of(args));
  }

  private static Object parse(List<byte[]> args) {
    try {
      return PARSE.invoke(args);
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  private static Object hset10() {
    String[] words = new String[22];
    words[0] = "HSET";
    words[1] = "user:42:profile";
    for (int i = 0; i < 10; i++) {
      words[2 + 2 * i] = "field" + i;
      words[3 + 2 * i] = text(100);
    }
    return command(words);
  }

  private static Object binary1k() {
    byte[] value = new byte[1024];
    for (int i = 0; i < value.length; i++) {
      value[i] = (byte) (i * 31);
    }
    return parse(List.of("SET".getBytes(StandardCharsets.US_ASCII), "user:42:blob".getBytes(StandardCharsets.US_ASCII),
        value));
  }

  private Object events(Object command) throws Throwable {
    RESET.invoke(record);
    ADD.invoke(EVENTS, command, (Object) "OK", -1, 0L, record);
    return record;
  }

  /** A SET of 1 KB of text: one {@code replace} event. */
  @Benchmark
  public Object set1k(JedisCommandBench.AppThreadCounters counters) throws Throwable {
    counters.ops++;
    return events(set1k);
  }

  /** An HSET of ten 100-byte fields: one {@code fields_set} event, a JSON object. */
  @Benchmark
  public Object hset10x100(JedisCommandBench.AppThreadCounters counters) throws Throwable {
    counters.ops++;
    return events(hset10);
  }

  /** A SET of 1 KB that is not UTF-8: base64. */
  @Benchmark
  public Object binary1k(JedisCommandBench.AppThreadCounters counters) throws Throwable {
    counters.ops++;
    return events(binary1k);
  }
}
