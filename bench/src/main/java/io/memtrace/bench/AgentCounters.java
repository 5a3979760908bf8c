package io.memtrace.bench;

import java.lang.reflect.Method;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads, by reflection, how many events the attached memtrace agent put into its ring and how many
 * it dropped (ring full). Diagnostic only: it tells which path of the publish code a benchmark
 * exercised. It looks at agent internals ({@code Bridge.sink} → the publisher's {@code ring} and
 * its {@code HealthCounters.dropped}); when they are not found, both counts read as -1 and the
 * benchmark itself is unaffected.
 */
final class AgentCounters {

  /** No agent attached: nothing to count. */
  static final AgentCounters NONE = new AgentCounters(null, null, null, null, null);
  /** An agent is attached, but its counters were not found: every count reads -1. */
  private static final AgentCounters UNAVAILABLE = new AgentCounters(null, null, null, null, null);

  private final Object ring;
  private final Method cursor;
  private final AtomicLong dropped;
  private final AtomicLong exported;
  private final AtomicLong compressed;

  private AgentCounters(Object ring, Method cursor, AtomicLong dropped, AtomicLong exported, AtomicLong compressed) {
    this.ring = ring;
    this.cursor = cursor;
    this.dropped = dropped;
    this.exported = exported;
    this.compressed = compressed;
  }

  /** The agent's counters, found through the bootstrap bridge once the agent has started. */
  static AgentCounters awaitAgent(long timeoutMillis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    AgentCounters counters = find();
    while (counters.published() < 0 && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
      counters = find();
    }
    return counters;
  }

  /** The counters of the attached agent, {@link #NONE} without an agent. */
  static AgentCounters find() {
    Class<?> bridge;
    try {
      bridge = Class.forName("io.memtrace.agent.bootstrap.Bridge", false, null);
    } catch (ClassNotFoundException e) {
      return NONE;
    }
    try {
      Object sink = AgentFields.read(bridge, null, "sink");
      Object ring = AgentFields.read(sink.getClass(), sink, "ring");
      Method cursor = ring.getClass().getMethod("getCursor");
      cursor.setAccessible(true);
      Object counters = AgentFields.read(sink.getClass(), sink, "counters");
      AtomicLong dropped = (AtomicLong) AgentFields.read(counters.getClass(), counters, "dropped");
      AtomicLong exported = (AtomicLong) AgentFields.read(counters.getClass(), counters, "exported");
      AtomicLong compressed = optional(counters, "compressed"); // absent in builds before retention
      cursor.invoke(ring);
      return new AgentCounters(ring, cursor, dropped, exported, compressed);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return UNAVAILABLE;
    }
  }

  private static AtomicLong optional(Object counters, String name) {
    try {
      return (AtomicLong) AgentFields.read(counters.getClass(), counters, name);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /**
   * Events in the ring that the consumer has not taken yet (its size less its free slots); 0 without agent or when
   * unknown. Whatever the consumer then does with them (export, compress, drop) has no say in it.
   */
  long waiting() {
    if (ring == null) {
      return 0;
    }
    try {
      long size = ((Number) ring.getClass().getMethod("getBufferSize").invoke(ring)).longValue();
      long free = ((Number) ring.getClass().getMethod("remainingCapacity").invoke(ring)).longValue();
      return size - free;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return 0;
    }
  }

  /** Events published into the ring so far (its cursor + 1); 0 without agent; -1 if unknown. */
  long published() {
    if (this == NONE) {
      return 0;
    }
    if (ring == null) {
      return -1;
    }
    try {
      return ((Long) cursor.invoke(ring)) + 1;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * Spans retention compressed into counts so far (under retention most commands end there, not in {@link #exported()});
   * 0 without agent or in a build that has no such counter.
   */
  long compressed() {
    return compressed == null ? 0 : compressed.get();
  }

  /** Events dropped so far; 0 without agent; -1 if unknown. */
  long dropped() {
    if (this == NONE) {
      return 0;
    }
    return dropped == null ? -1 : dropped.get();
  }

  /** Spans an exporter acknowledged so far; 0 without agent; -1 if unknown. */
  long exported() {
    if (this == NONE) {
      return 0;
    }
    return exported == null ? -1 : exported.get();
  }

  /** {@code now - start}, or -1 when either is unknown. */
  static long delta(long now, long start) {
    return now < 0 || start < 0 ? -1 : now - start;
  }
}
