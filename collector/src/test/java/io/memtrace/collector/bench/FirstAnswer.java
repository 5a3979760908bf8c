package io.memtrace.collector.bench;

import io.memtrace.collector.embedded.EmbeddedReader;
import io.memtrace.collector.reader.KeyTimeline;
import io.memtrace.collector.reader.StoreReader;
import io.memtrace.collector.reader.TimelineRequest;
import io.memtrace.collector.store.StoreFiles;
import io.memtrace.collector.values.CapturedValue;
import io.memtrace.collector.values.ValuesRequest;
import io.memtrace.collector.versions.KeyVersions;
import io.memtrace.collector.versions.RecordVersions;
import io.memtrace.collector.versions.VersionHistory;
import io.memtrace.collector.versions.VersionsText;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;

/**
 * Not a test: one record's first answers in a fresh JVM, as {@code timeline --key KEY --versions --limit 1000
 * --format json} run once pays them ({@link VersionsBenchmark} {@code --first}). Printed apart: what the JVM had spent
 * before {@code main}, the store's opening (DuckDB's native library loaded, the file opened), the first answer (its
 * classes loaded and run cold) and the second (the same, some of it compiled), each also step by step (the timeline
 * read, the captured values read, the versions and diffs, the JSON), each in wall time, the process's CPU
 * time (every thread: DuckDB's, the JIT's, the GC's) and, on Linux, how it splits between this thread, the JIT's
 * compiler threads, the GC's threads and the rest (DuckDB's workers, from {@code /proc}, in its 10 ms ticks), the bytes
 * this thread allocated and the collections run.
 */
final class FirstAnswer {

  private static final com.sun.management.OperatingSystemMXBean CPU =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private static final com.sun.management.ThreadMXBean THREAD =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private FirstAnswer() {
  }

  static void time(Path dir, String key) {
    System.out.printf("before main: %d ms wall since the JVM started, %.0f ms CPU%n",
        ManagementFactory.getRuntimeMXBean().getUptime(), CPU.getProcessCpuTime() / 1e6);
    Mark open = new Mark();
    try (StoreReader reader = EmbeddedReader.local(new StoreFiles(dir))) {
      open.print("store opened");
      TimelineRequest request = new TimelineRequest(key, null, null, 1_000);
      for (String which : new String[] {"first answer", "second answer"}) {
        Mark answer = new Mark();
        // RecordVersions.read step by step (the benchmark's records have one namespace and one Redis)
        Mark step = new Mark();
        KeyTimeline timeline = reader.timeline(new TimelineRequest(key, null, null, TimelineRequest.MAX_LIMIT));
        step = step.print("  timeline read");
        List<CapturedValue> values = reader.capturedValues(new ValuesRequest(key, null, null, null,
            RecordVersions.MAX_VALUES + 1));
        step = step.print("  captured values read");
        KeyVersions versions = VersionHistory.build(key, values, timeline, request.limit(), false);
        step = step.print("  versions and diffs");
        int length = VersionsText.json(versions).length();
        step.print("  JSON written");
        answer.print(which + " (" + length / 1024 + " K chars of JSON)");
      }
    }
  }

  /** The clocks at one moment. */
  private static final class Mark {
    private final long wall = System.nanoTime();
    private final long cpu = CPU.getProcessCpuTime();
    private final long allocated = THREAD.getThreadAllocatedBytes(Thread.currentThread().getId());
    private final long collections = collections();
    private final long thread = THREAD.getCurrentThreadCpuTime();
    private final long[] groups = groups();

    /** Prints what was spent since this mark; a new mark. */
    Mark print(String what) {
      long[] now = groups();
      long main = (THREAD.getCurrentThreadCpuTime() - thread) / 1_000_000;
      System.out.printf("%s: %.1f ms wall, %.0f ms CPU (this thread %d, JIT %d, GC %d, other threads %d), %d MB "
          + "allocated, %d collections%n", what, (System.nanoTime() - wall) / 1e6, (CPU.getProcessCpuTime() - cpu) / 1e6,
          main, now[0] - groups[0], now[1] - groups[1], Math.max(0, now[2] - groups[2] - main),
          (THREAD.getThreadAllocatedBytes(Thread.currentThread().getId()) - allocated) >> 20,
          collections() - collections);
      return new Mark();
    }

    /** CPU ms of the JIT's threads, the GC's, and all others, from {@code /proc/self/task} (zeros elsewhere). */
    private static long[] groups() {
      long[] ms = new long[3];
      ServeProcess.cpuMillisByThread(Path.of("/proc/self/task")).forEach((name, cpu) ->
          ms[name.contains("CompilerThre") ? 0 : name.startsWith("G1") || name.startsWith("GC ") ? 1 : 2] += cpu);
      return ms;
    }

    private static long collections() {
      long n = 0;
      for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
        n += Math.max(0, gc.getCollectionCount());
      }
      return n;
    }
  }
}
