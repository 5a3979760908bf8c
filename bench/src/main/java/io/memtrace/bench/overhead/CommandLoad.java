package io.memtrace.bench.overhead;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import org.HdrHistogram.Histogram;

/**
 * The overhead harness's workload, run in a JVM of its own under each variant (no agent, memtrace,
 * the OpenTelemetry agent), through the client of its main class ({@link JedisLoad},
 * {@link LettuceLoad}): every thread loops {@code SET key value} / {@code GET key} with 100-byte
 * values over a small key space of its own, as fast as Redis answers. Nothing in it knows of any
 * agent.
 *
 * <p>After the warm-up it measures for a fixed time: commands completed, the latency of each
 * command (timed around the call, recorded into a per-thread histogram), the process's CPU time
 * over the measured window only (so start-up and warm-up are excluded; it includes every thread an
 * agent or the client runs), and at exit the peak resident set size ({@code VmHWM}). It prints one
 * line of JSON on stdout, which the harness reads.
 *
 * <p>Arguments of a client's main: {@code host port threads warmupSeconds measureSeconds [valueBytes] [keys]}
 */
final class CommandLoad {

  /** The client the workload runs through, connected to the harness's Redis. */
  interface Client extends AutoCloseable {
    /**
     * The connection of one load thread, called on that thread before it starts; it has answered a
     * {@code PING} when this returns.
     */
    Connection open();

    /** Called once every load thread has closed its connection. */
    @Override
    void close();
  }

  /** How a client connects to {@code host:port}. */
  interface Connector {
    Client connect(String host, int port);
  }

  /** What one load thread sends its commands through. */
  interface Connection extends AutoCloseable {
    void set(byte[] key, byte[] value);

    void get(byte[] key);

    @Override
    void close();
  }


  private static final int WARMUP = 0;
  private static final int MEASURE = 1;
  private static final int STOP = 2;

  private static volatile int phase = WARMUP;

  private CommandLoad() {
  }

  /** Runs the workload through the client {@code connector} makes; {@code args} as in the class comment. */
  static void run(String[] args, Connector connector) throws Exception {
    String host = args[0];
    int port = Integer.parseInt(args[1]);
    int threads = Integer.parseInt(args[2]);
    double warmup = Double.parseDouble(args[3]);
    double measure = Double.parseDouble(args[4]);
    int valueBytes = args.length > 5 ? Integer.parseInt(args[5]) : 100;
    int keys = args.length > 6 ? Integer.parseInt(args[6]) : 1000;

    byte[] value = new byte[valueBytes];
    Arrays.fill(value, (byte) 'v');
    Client client = connector.connect(host, port);
    List<Worker> workers = new ArrayList<>();
    CountDownLatch connected = new CountDownLatch(threads);
    for (int t = 0; t < threads; t++) {
      Worker worker = new Worker(client, t, keys, value, connected);
      workers.add(worker);
      worker.start();
    }
    connected.await();

    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    sleepSeconds(warmup);
    Map<Thread, Long> threadCpuStart = threadCpu();
    Map<Thread, Long> allocatedStart = threadAllocated();
    Map<String, Long> nativeStart = ProcStatus.cpuByNativeThread();
    long cpuStart = os.getProcessCpuTime();
    long wallStart = System.nanoTime();
    phase = MEASURE;
    sleepSeconds(measure);
    Map<Thread, Long> threadCpuEnd = threadCpu(); // while the load threads are still alive
    Map<Thread, Long> allocatedEnd = threadAllocated();
    Map<String, Long> nativeEnd = ProcStatus.cpuByNativeThread();
    phase = STOP;
    long wallEnd = System.nanoTime();
    long cpuEnd = os.getProcessCpuTime();
    printCpuByThread(threadCpuStart, threadCpuEnd, cpuEnd - cpuStart);
    printAllocatedByThread(allocatedStart, allocatedEnd);
    printCpuByNativeThread(nativeStart, nativeEnd);

    Histogram all = new Histogram(3_600_000_000_000L, 3);
    long ops = 0;
    long errors = 0;
    long total = 0;
    for (Worker worker : workers) {
      worker.join();
      all.add(worker.latencies);
      ops += worker.measured;
      errors += worker.errors;
      total += worker.total;
    }
    client.close();
    double seconds = (wallEnd - wallStart) / 1e9;
    StringBuilder json = new StringBuilder("{");
    field(json, "threads", threads);
    field(json, "ops", ops);
    field(json, "errors", errors);
    field(json, "total_ops", total);
    field(json, "seconds", seconds);
    field(json, "throughput", ops / seconds);
    field(json, "p50_us", all.getValueAtPercentile(50) / 1000.0);
    field(json, "p99_us", all.getValueAtPercentile(99) / 1000.0);
    field(json, "p999_us", all.getValueAtPercentile(99.9) / 1000.0);
    field(json, "max_us", all.getMaxValue() / 1000.0);
    field(json, "cpu_ns_per_op", ops == 0 ? -1 : (double) (cpuEnd - cpuStart) / ops);
    field(json, "cpu_utilisation", (cpuEnd - cpuStart) / (double) (wallEnd - wallStart));
    field(json, "peak_rss_kb", ProcStatus.kilobytes("VmHWM"));
    json.setLength(json.length() - 1);
    json.append('}');
    System.out.println("RESULT " + json);
    System.out.flush();
  }

  /** CPU nanoseconds so far of every live thread. */
  private static Map<Thread, Long> threadCpu() {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    return perThread(t -> mx.getThreadCpuTime(t.getId()));
  }

  /** Bytes allocated so far by every live thread (the heap's allocation, which sets how often the GC runs). */
  private static Map<Thread, Long> threadAllocated() {
    com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    return perThread(t -> mx.getThreadAllocatedBytes(t.getId()));
  }

  /** {@code measure} of every live thread, but those it has no figure for (-1). */
  private static Map<Thread, Long> perThread(ToLongFunction<Thread> measure) {
    Map<Thread, Long> values = new HashMap<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      long value = measure.applyAsLong(t);
      if (value >= 0) {
        values.put(t, value);
      }
    }
    return values;
  }

  /**
   * A diagnostic for the fork's log (stderr): where the measured window's CPU went, by thread
   * name (numbers stripped, so a pool counts as one), and the rest (GC, JIT, VM) by difference.
   */
  private static void printCpuByThread(Map<Thread, Long> start, Map<Thread, Long> end, long processNanos) {
    Map<String, Long> byName = byName(start, end, t -> t.getName().replaceAll("[0-9]+", "N"));
    long threads = byName.values().stream().mapToLong(Long::longValue).sum();
    System.err.println(line("CPU in the measured window by thread (ms):", byName, 1_000_000)
        .append(" | GC, JIT and VM (process minus threads)=").append((processNanos - threads) / 1_000_000));
  }

  /** The second: what each thread allocated in the measured window, by name as in the first. */
  private static void printAllocatedByThread(Map<Thread, Long> start, Map<Thread, Long> end) {
    System.err.println(line("Allocated in the measured window by thread (MB):",
        byName(start, end, t -> t.getName().replaceAll("[0-9]+", "N")), 1 << 20));
  }

  /**
   * The third: the window's CPU by the kernel's name of each thread, so that the JVM's own threads, which the first
   * cannot see (GC workers, G1's refinement, the JIT compilers), show by name; empty off Linux.
   */
  private static void printCpuByNativeThread(Map<String, Long> start, Map<String, Long> end) {
    // keyed "TID NAME"; a pool's number is at the end of a name (GC Thread#1, load-3): only that one is stripped
    System.err.println(line("CPU in the measured window by native thread (ms):", byName(start, end,
        k -> k.substring(k.indexOf(' ') + 1).replaceAll("[0-9]+$", "N").replace(' ', '_')), 1_000_000));
  }

  /** What each name's threads used from {@code start} to {@code end}. */
  private static <K> Map<String, Long> byName(Map<K, Long> start, Map<K, Long> end, Function<K, String> name) {
    Map<String, Long> byName = new TreeMap<>();
    for (Map.Entry<K, Long> e : end.entrySet()) {
      byName.merge(name.apply(e.getKey()), e.getValue() - start.getOrDefault(e.getKey(), 0L), Long::sum);
    }
    return byName;
  }

  /** {@code title}, then {@code name=value} in {@code unit}s for each name that used one or more, the most first. */
  private static StringBuilder line(String title, Map<String, Long> byName, long unit) {
    StringBuilder line = new StringBuilder(title);
    byName.entrySet().stream().filter(e -> e.getValue() >= unit)
        .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
        .forEach(e -> line.append(' ').append(e.getKey()).append('=').append(e.getValue() / unit));
    return line;
  }

  static void field(StringBuilder json, String name, double value) {
    json.append('"').append(name).append("\":");
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      json.append((long) value);
    } else {
      json.append(value);
    }
    json.append(',');
  }

  private static void sleepSeconds(double seconds) throws InterruptedException {
    Thread.sleep((long) (seconds * 1000));
  }

  /** One thread and its connection; SET then GET of the same key, round robin over the key space. */
  private static final class Worker extends Thread {
    final Histogram latencies = new Histogram(3_600_000_000_000L, 3);
    private final Client client;
    private final byte[][] keys;
    private final byte[] value;
    private final CountDownLatch connected;
    long measured;
    long total;
    long errors;

    Worker(Client client, int index, int keyCount, byte[] value, CountDownLatch connected) {
      super("load-" + index);
      this.client = client;
      this.value = value;
      this.connected = connected;
      this.keys = new byte[keyCount][];
      for (int i = 0; i < keyCount; i++) {
        keys[i] = ("bench:" + index + ":" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
      }
    }

    @Override
    public void run() {
      try (Connection connection = client.open()) {
        connected.countDown();
        int k = 0;
        while (true) {
          int now = phase;
          if (now == STOP) {
            return;
          }
          byte[] key = keys[k];
          k = k + 1 == keys.length ? 0 : k + 1;
          long t0 = System.nanoTime();
          try {
            connection.set(key, value);
          } catch (RuntimeException e) {
            errors++;
          }
          long t1 = System.nanoTime();
          try {
            connection.get(key);
          } catch (RuntimeException e) {
            errors++;
          }
          long t2 = System.nanoTime();
          total += 2;
          if (now == MEASURE) {
            latencies.recordValue(t1 - t0);
            latencies.recordValue(t2 - t1);
            measured += 2;
          }
        }
      } finally {
        if (connected.getCount() > 0) {
          connected.countDown();
        }
      }
    }
  }
}
