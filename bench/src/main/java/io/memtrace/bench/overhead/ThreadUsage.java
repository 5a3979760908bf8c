package io.memtrace.bench.overhead;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * What every thread of the load's JVM has used so far, read at the start and at the end of the measured window, so that
 * {@link CommandLoad} can print where the window's CPU and allocation went: a diagnostic for the fork's log (stderr),
 * read by a person (bench/README.md says how), not by the harness. Three readings: CPU and allocated bytes of each Java
 * thread (from the thread MX bean), and CPU of each native thread by the kernel's name ({@link ProcStatus}), which also
 * shows the JVM's own threads (GC workers, the JIT compilers) that the bean cannot see.
 */
final class ThreadUsage {

  private final Map<Thread, Long> cpu;
  private final Map<Thread, Long> allocated;
  private final Map<String, Long> nativeCpu;

  private ThreadUsage(Map<Thread, Long> cpu, Map<Thread, Long> allocated, Map<String, Long> nativeCpu) {
    this.cpu = cpu;
    this.allocated = allocated;
    this.nativeCpu = nativeCpu;
  }

  /** The three readings now; at the window's end, while the load threads are still alive. */
  static ThreadUsage now() {
    return new ThreadUsage(threadCpu(), threadAllocated(), ProcStatus.cpuByNativeThread());
  }

  /**
   * Prints three lines to stderr, what each thread used from {@code start} to this reading: CPU by thread, allocation
   * by thread, CPU by native thread; {@code processNanos} is the process's CPU over the same window.
   */
  void printSince(ThreadUsage start, long processNanos) {
    printCpuByThread(start.cpu, cpu, processNanos);
    printAllocatedByThread(start.allocated, allocated);
    printCpuByNativeThread(start.nativeCpu, nativeCpu);
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
   * The first line: where the measured window's CPU went, by thread name (numbers stripped, so a pool counts as one),
   * and the rest (GC, JIT, VM) by difference.
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
}
