package io.memtrace.bench;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * What a value fingerprint costs memtrace's consumer thread per write: the agent's own {@code ValueFingerprint}
 * (SipHash-2-4), loaded from the agent jar ({@code memtrace.agent.jar}, else as {@link OverheadBench} finds it)
 * in a class loader of its own, hashing a value of 100 bytes and of 1 KB as Redis arguments ({@code byte[]}) and
 * as a memory call's {@code String} (encoded to UTF-8 first), then writing the 16 hex digits. No agent is
 * attached: this is consumer-thread work, measured alone. The thread's own CPU time per op
 * ({@code appThreadCpuNanos} / {@code ops}, from {@link JedisCommandBench.AppThreadCounters}) moves less with a
 * shared machine's load than the score does.
 *
 * <pre>java -cp bench/target/memtrace-bench.jar org.openjdk.jmh.Main FingerprintBench -f 2 -wi 3 -i 5</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class FingerprintBench {

  /** {@code long ValueFingerprint.of(Object)} and {@code byte[] hex(long)} on one keyed instance. */
  private static final MethodHandle OF;
  private static final MethodHandle HEX;

  static {
    try {
      URL jar = BenchAgent.jar().toUri().toURL();
      ClassLoader agent = new URLClassLoader(new URL[] {jar}, ClassLoader.getPlatformClassLoader());
      Class<?> type = Class.forName("io.memtrace.agent.fingerprint.ValueFingerprint", true, agent);
      byte[] key = new byte[16];
      Arrays.fill(key, (byte) 7);
      Object fingerprint = type.getMethod("keyed", byte[].class).invoke(null, (Object) key);
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      OF = lookup.findVirtual(type, "of", MethodType.methodType(long.class, Object.class)).bindTo(fingerprint);
      HEX = lookup.findVirtual(type, "hex", MethodType.methodType(byte[].class, long.class)).bindTo(fingerprint);
    } catch (Throwable t) {
      throw new ExceptionInInitializerError(t);
    }
  }

  private final String text100 = text(100);
  private final String text1k = text(1024);
  private final byte[] bytes100 = text100.getBytes(StandardCharsets.UTF_8);
  private final byte[] bytes1k = text1k.getBytes(StandardCharsets.UTF_8);

  private static String text(int length) {
    StringBuilder s = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      s.append((char) ('a' + i % 26));
    }
    return s.toString();
  }

  private static byte[] fingerprint(Object value) throws Throwable {
    return (byte[]) HEX.invokeExact((long) OF.invokeExact(value));
  }

  /** A Redis write of 100 bytes: the argument as sent. */
  @Benchmark
  public byte[] bytes100(JedisCommandBench.AppThreadCounters counters) throws Throwable {
    counters.ops++;
    return fingerprint(bytes100);
  }

  /** A Redis write of 1 KB. */
  @Benchmark
  public byte[] bytes1k(JedisCommandBench.AppThreadCounters counters) throws Throwable {
    counters.ops++;
    return fingerprint(bytes1k);
  }

  /** A memory call's String value of 100 characters: UTF-8 encoded into a reused buffer, then hashed. */
  @Benchmark
  public byte[] string100(JedisCommandBench.AppThreadCounters counters) throws Throwable {
    counters.ops++;
    return fingerprint(text100);
  }

  /** A memory call's String value of 1,024 characters. */
  @Benchmark
  public byte[] string1k(JedisCommandBench.AppThreadCounters counters) throws Throwable {
    counters.ops++;
    return fingerprint(text1k);
  }
}
