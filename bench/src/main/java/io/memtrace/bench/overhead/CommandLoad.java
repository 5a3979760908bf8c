package io.memtrace.bench.overhead;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
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
 * line of JSON on stdout, which the harness reads, and on stderr where the window's CPU and
 * allocation went by thread ({@link ThreadUsage}).
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
    ThreadUsage usageStart = ThreadUsage.now();
    long cpuStart = os.getProcessCpuTime();
    long wallStart = System.nanoTime();
    phase = MEASURE;
    sleepSeconds(measure);
    ThreadUsage usageEnd = ThreadUsage.now(); // while the load threads are still alive
    phase = STOP;
    long wallEnd = System.nanoTime();
    long cpuEnd = os.getProcessCpuTime();
    usageEnd.printSince(usageStart, cpuEnd - cpuStart);

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
