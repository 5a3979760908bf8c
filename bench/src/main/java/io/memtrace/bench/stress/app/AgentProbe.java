package io.memtrace.bench.stress.app;

import io.memtrace.bench.AgentFields;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads the memtrace agent's counters and ring by reflection, as {@code bench.AgentCounters} does:
 * {@code Bridge.sink} → its {@code ring} (a relocated Disruptor {@code RingBuffer}) and its
 * {@code counters} ({@code HealthCounters}). The only place the application knows the agent; without
 * one every reading is -1. The agent installs its sink a little after premain, so until the sink is
 * found each call looks again. Sampler thread only.
 */
final class AgentProbe {

  private static final String BRIDGE = "io.memtrace.agent.bootstrap.Bridge";
  private static final String AGENT_THREADS = "memtrace";

  private final Class<?> bridge;
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private Object ring;
  private Method bufferSize;
  private Method remainingCapacity;
  private AtomicLong produced;
  private AtomicLong exported;
  private AtomicLong compressed;
  private AtomicLong dropped;
  private AtomicLong spansInFailedExports;
  private AtomicLong exportFailures;
  private long ringUsedMax = -1;

  private AgentProbe(Class<?> bridge) {
    this.bridge = bridge;
  }

  /** The probe of the agent in this JVM; one whose every reading is -1 when there is none. */
  static AgentProbe find() {
    try {
      // the agent puts its bridge on the boot class path at premain, before any application class
      return new AgentProbe(Class.forName(BRIDGE, false, null));
    } catch (ClassNotFoundException e) {
      return new AgentProbe(null);
    }
  }

  /** Called every 10 ms: keeps the window's most ring slots in use. */
  void pollRing() {
    if (found()) {
      ringUsedMax = Math.max(ringUsedMax, ringUsed());
    }
  }

  /** The readings now, and a new window for {@code ring_used_max}. */
  AgentReadings read() {
    if (!found()) {
      return AgentReadings.NONE;
    }
    long usedMax = Math.max(ringUsedMax, ringUsed());
    ringUsedMax = -1;
    long[] agentThreads = agentThreads();
    return new AgentReadings(produced.get(), exported.get(), compressed.get(),
        dropped.get() + spansInFailedExports.get(), exportFailures.get(), ringSize(), usedMax, agentThreads[1],
        agentThreads[0]);
  }

  private boolean found() {
    if (ring != null) {
      return true;
    }
    if (bridge == null) {
      return false;
    }
    try {
      Object sink = AgentFields.read(bridge, null, "sink");
      Object counters = AgentFields.read(sink.getClass(), sink, "counters");
      Object candidate = AgentFields.read(sink.getClass(), sink, "ring");
      bufferSize = accessible(candidate.getClass().getMethod("getBufferSize"));
      remainingCapacity = accessible(candidate.getClass().getMethod("remainingCapacity"));
      produced = (AtomicLong) AgentFields.read(counters.getClass(), counters, "produced");
      exported = (AtomicLong) AgentFields.read(counters.getClass(), counters, "exported");
      compressed = (AtomicLong) AgentFields.read(counters.getClass(), counters, "compressed");
      dropped = (AtomicLong) AgentFields.read(counters.getClass(), counters, "dropped");
      spansInFailedExports = (AtomicLong) AgentFields.read(counters.getClass(), counters, "spansInFailedExports");
      exportFailures = (AtomicLong) AgentFields.read(counters.getClass(), counters, "exportFailures");
      ring = candidate;
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      // the no-op sink of the agent's first moments has no ring: look again on the next call
      return false;
    }
  }

  private long ringSize() {
    try {
      return ((Number) bufferSize.invoke(ring)).longValue();
    } catch (ReflectiveOperationException e) {
      return -1;
    }
  }

  private long ringUsed() {
    try {
      return ringSize() - ((Number) remainingCapacity.invoke(ring)).longValue();
    } catch (ReflectiveOperationException e) {
      return -1;
    }
  }

  /**
   * The live agent threads: {count, CPU ms} (CPU -1 where the JVM does not measure it; a thread
   * that ended takes its time with it).
   */
  private long[] agentThreads() {
    long count = 0;
    long nanos = 0;
    boolean cpu = threads.isThreadCpuTimeSupported();
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null && info.getThreadName().startsWith(AGENT_THREADS)) {
        count++;
        nanos += cpu ? Math.max(0, threads.getThreadCpuTime(info.getThreadId())) : 0;
      }
    }
    return new long[] {count, cpu ? nanos / 1_000_000 : -1};
  }

  private static Method accessible(Method method) {
    method.setAccessible(true);
    return method;
  }
}
