package io.memtrace.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import redis.clients.jedis.Jedis;

/**
 * The consumer-throughput workload of the overhead harness, run under the memtrace agent: one
 * application thread sends {@code GET}s of 4096 different keys through Jedis over a {@link FakeRedisSocket}, so commands
 * cost a fraction of a microsecond and the agent's single consumer thread, not the application,
 * is the bottleneck. Over the measured window it reads from the agent how many spans the exporter
 * had acknowledged (turned into OTLP, sent to the sink, answered 200), and the CPU time of memtrace's
 * own threads: the consumer ({@code memtrace-consumer}), the OTLP sender
 * ({@code memtrace-otlp-traces}) and the JDK HTTP client's selector thread. GC and JIT threads are
 * left out on purpose: here they mostly clean up after the application thread, which allocates
 * hundreds of megabytes a second spinning on Jedis. It prints one line of JSON on stdout.
 *
 * <p>The application thread paces itself to keep 8 batches of events waiting (it reads
 * the ring's backlog every 256 commands), so the consumer always has work
 * and hardly any event is dropped, while the application thread does not spin on the drop path
 * and flood the heap with garbage that the consumer's CPU would then compete with.
 *
 * <p>Two rates come out: spans exported per second of wall time (bounded by one consumer thread,
 * on a machine whose other core also runs the application thread and the sink), and spans per
 * second of memtrace's CPU time, i.e. what one core fully given to memtrace sustains.
 *
 * <p>Usage: {@code ConsumerLoad warmupSeconds measureSeconds}
 */
public final class ConsumerLoad {

  private static volatile boolean running = true;
  private static volatile long sent;

  private ConsumerLoad() {
  }

  public static void main(String[] args) throws Exception {
    double warmup = Double.parseDouble(args[0]);
    double measure = Double.parseDouble(args[1]);
    AgentCounters agent = AgentCounters.awaitAgent(30_000);
    if (agent.published() < 0 || agent.exported() < 0) {
      System.err.println("ConsumerLoad: the memtrace agent is not attached or its counters were not found");
      System.exit(2);
    }
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    Thread app = new Thread(() -> sendGets(agent), "app");
    app.setDaemon(true);
    app.start();

    Thread.sleep((long) (warmup * 1000));
    Sample start = new Sample(agent, threads, os, app);
    Thread.sleep((long) (measure * 1000));
    Sample end = new Sample(agent, threads, os, app);
    running = false;

    double seconds = (end.wall - start.wall) / 1e9;
    long agentNanos = 0;
    for (java.util.Map.Entry<Long, Long> e : end.agentThreads.entrySet()) {
      agentNanos += e.getValue() - start.agentThreads.getOrDefault(e.getKey(), 0L);
    }
    double agentCpuSeconds = agentNanos / 1e9;
    double appCpuSeconds = (end.appCpu - start.appCpu) / 1e9;
    double otherCpuSeconds = (end.processCpu - start.processCpu) / 1e9 - appCpuSeconds - agentCpuSeconds;
    long exported = end.exported - start.exported;
    System.out.println("RESULT {\"seconds\":" + seconds
        + ",\"commands\":" + (end.sent - start.sent)
        + ",\"published\":" + (end.published - start.published)
        + ",\"dropped\":" + (end.dropped - start.dropped)
        + ",\"exported\":" + exported
        + ",\"compressed\":" + (end.compressed - start.compressed)
        + ",\"exported_per_s\":" + exported / seconds
        + ",\"agent_cpu_s\":" + agentCpuSeconds
        + ",\"spans_per_cpu_s\":" + exported / agentCpuSeconds
        + ",\"agent_ns_per_command\":" + agentNanos / (double) Math.max(1, end.sent - start.sent)
        + ",\"app_cpu_s\":" + appCpuSeconds
        + ",\"other_cpu_s\":" + otherCpuSeconds + "}");
    System.out.flush();
    // the agent's shutdown hook drains what is left in the ring; none of it is measured
  }

  /** Every counter the result is made of, read at one moment. */
  private static final class Sample {
    final long wall = System.nanoTime();
    final java.util.Map<Long, Long> agentThreads;
    final long processCpu;
    final long appCpu;
    final long exported;
    final long compressed;
    final long published;
    final long dropped;
    final long sent = ConsumerLoad.sent;

    Sample(AgentCounters agent, ThreadMXBean threads, com.sun.management.OperatingSystemMXBean os, Thread app) {
      agentThreads = agentThreadCpu(threads);
      processCpu = os.getProcessCpuTime();
      appCpu = threads.getThreadCpuTime(app.getId());
      exported = agent.exported();
      compressed = agent.compressed();
      published = agent.published();
      dropped = agent.dropped();
    }
  }

  /** CPU nanoseconds so far of each live memtrace thread, by thread id. */
  private static java.util.Map<Long, Long> agentThreadCpu(ThreadMXBean threads) {
    java.util.Map<Long, Long> cpu = new java.util.HashMap<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      String name = t.getName();
      // HttpClient-*: the JDK client memtrace uses for https:// endpoints only
      if (name.startsWith("memtrace-consumer") || name.startsWith("memtrace-otlp")
          || name.startsWith("HttpClient-")) {
        long nanos = threads.getThreadCpuTime(t.getId());
        if (nanos >= 0) {
          cpu.put(t.getId(), nanos);
        }
      }
    }
    return cpu;
  }

  private static void sendGets(AgentCounters agent) {
    String[] keys = new String[KEYS];
    for (int i = 0; i < KEYS; i++) {
      keys[i] = "user:" + (100_000 + i) + ":name";
    }
    try (Jedis jedis = new Jedis(FakeRedisSocket.factory("$5\r\nhello\r\n"))) {
      long n = 0;
      while (running) {
        jedis.get(keys[(int) (n & (KEYS - 1))]);
        sent = ++n;
        if ((n & 255) == 0) {
          // the ring's own backlog: under retention most commands end compressed, counted only when their summary goes
          while (running && agent.waiting() > BACKLOG) {
            java.util.concurrent.locks.LockSupport.parkNanos(50_000);
          }
        }
      }
    }
  }

  /**
   * Keys the application thread cycles through: a different key on every command, as in the
   * overhead workload, so the consumer decodes each one (one key over and over would hit the
   * consumer's cache of the previous key and flatter it).
   */
  private static final int KEYS = 4096;

  /** Events kept waiting for the consumer: 8 batches, half of memtrace's default ring. */
  private static final long BACKLOG = 4_096;
}
