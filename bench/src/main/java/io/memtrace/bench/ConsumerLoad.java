package io.memtrace.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import redis.clients.jedis.Jedis;

/**
 * The consumer-throughput workload of the overhead harness, run under the memtrace agent: one
 * application thread sends {@code GET}s through Jedis over a {@link FakeRedisSocket}, so commands
 * cost a fraction of a microsecond and the agent's single consumer thread, not the application,
 * is the bottleneck. Over the measured window it reads from the agent how many spans the exporter
 * had acknowledged (turned into OTLP, sent to the sink, answered 200), and the CPU time of memtrace's
 * own threads: the consumer ({@code memtrace-consumer}), the OTLP sender
 * ({@code memtrace-otlp-traces}) and the JDK HTTP client's selector thread. GC and JIT threads are
 * left out on purpose: here they mostly clean up after the application thread, which allocates
 * hundreds of megabytes a second spinning on Jedis. It prints one line of JSON on stdout.
 *
 * <p>The application thread paces itself to keep 8 batches of events waiting (it reads
 * the agent's published and exported counts every 256 commands), so the consumer always has work
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
    long wall0 = System.nanoTime();
    java.util.Map<Long, Long> agent0 = agentThreadCpu(threads);
    long cpu0 = os.getProcessCpuTime();
    long app0 = threads.getThreadCpuTime(app.getId());
    long exported0 = agent.exported();
    long published0 = agent.published();
    long dropped0 = agent.dropped();
    long sent0 = sent;
    Thread.sleep((long) (measure * 1000));
    long wall1 = System.nanoTime();
    java.util.Map<Long, Long> agent1 = agentThreadCpu(threads);
    long cpu1 = os.getProcessCpuTime();
    long app1 = threads.getThreadCpuTime(app.getId());
    long exported1 = agent.exported();
    long published1 = agent.published();
    long dropped1 = agent.dropped();
    long sent1 = sent;
    running = false;

    double seconds = (wall1 - wall0) / 1e9;
    long agentNanos = 0;
    for (java.util.Map.Entry<Long, Long> e : agent1.entrySet()) {
      agentNanos += e.getValue() - agent0.getOrDefault(e.getKey(), 0L);
    }
    double agentCpuSeconds = agentNanos / 1e9;
    double otherCpuSeconds = ((cpu1 - cpu0) - (app1 - app0)) / 1e9 - agentCpuSeconds;
    long exported = exported1 - exported0;
    System.out.println("RESULT {\"seconds\":" + seconds
        + ",\"commands\":" + (sent1 - sent0)
        + ",\"published\":" + (published1 - published0)
        + ",\"dropped\":" + (dropped1 - dropped0)
        + ",\"exported\":" + exported
        + ",\"exported_per_s\":" + exported / seconds
        + ",\"agent_cpu_s\":" + agentCpuSeconds
        + ",\"spans_per_cpu_s\":" + exported / agentCpuSeconds
        + ",\"app_cpu_s\":" + (app1 - app0) / 1e9
        + ",\"other_cpu_s\":" + otherCpuSeconds + "}");
    System.out.flush();
    // the agent's shutdown hook drains what is left in the ring; none of it is measured
  }

  /** CPU nanoseconds so far of each live memtrace thread, by thread id. */
  private static java.util.Map<Long, Long> agentThreadCpu(ThreadMXBean threads) {
    java.util.Map<Long, Long> cpu = new java.util.HashMap<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      String name = t.getName();
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
    try (Jedis jedis = new Jedis(FakeRedisSocket.factory("$5\r\nhello\r\n"))) {
      long n = 0;
      while (running) {
        jedis.get("user:42:name");
        sent = ++n;
        if ((n & 255) == 0) {
          while (running && agent.published() - agent.exported() > BACKLOG) {
            java.util.concurrent.locks.LockSupport.parkNanos(50_000);
          }
        }
      }
    }
  }

  /** Events kept waiting for the consumer: 8 batches, half of memtrace's default ring. */
  private static final long BACKLOG = 4_096;
}
