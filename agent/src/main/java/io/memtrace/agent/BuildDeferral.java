package io.memtrace.agent;

import io.memtrace.agent.pipeline.SpanRing;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * When the start thread builds the consumer, the exporters and the OpenTelemetry SDK behind them: at the first event,
 * or contained failure, to report; without one, once the application has stopped loading classes. They are a few
 * hundred classes: built at once, they took a core from the application's first Redis command, which does not need
 * them (its event waits in the ring, and beyond it in the start-up overflow), and built after a fixed second they
 * took it from the middle of a Spring Boot app's start. A JVM that exits meanwhile with something to report has them
 * built within a few milliseconds (its shutdown hook waits for them); one that recorded nothing never builds them.
 */
final class BuildDeferral {

  /** The least the build waits for an event. */
  static final long MIN_MILLIS = 1_000;
  /** How long the application must have loaded no class before the build goes ahead without an event. */
  static final long QUIET_MILLIS = 300;
  /**
   * The CPU the process must then use, still loading no class, before the build goes ahead: on a loaded machine a
   * starved application went 300 ms of wall time without loading a class in the middle of its start (2026-12-02).
   */
  static final long QUIET_CPU_MILLIS = 150;
  /** The most the build waits for an event or a quiet application. */
  static final long MAX_MILLIS = 10_000;
  /** How often it looks: publishing stays as it is, with no signal to send from an application thread. */
  private static final long LOOK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
  /** How often it reads the process's CPU time, once the wall-time window is quiet. */
  private static final long CPU_LOOK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private BuildDeferral() {
  }

  /**
   * Returns once there is something to export or report ({@link ShutdownHook#hasSomethingToReport}), or once
   * {@link #MIN_MILLIS} have passed and {@code classesLoaded} has not changed for {@link #QUIET_MILLIS} and then for
   * {@link #QUIET_CPU_MILLIS} of the process's CPU, or after {@link #MAX_MILLIS}; says which, for the debug log.
   */
  static String await(SpanRing ring, IntSupplier classesLoaded) {
    return await(ring, classesLoaded, BuildDeferral::processCpuNanos, MAX_MILLIS);
  }

  /** As above, with the process's CPU time from {@code cpuNanos} (negative: unknown) and the longest wait. */
  static String await(SpanRing ring, IntSupplier classesLoaded, LongSupplier cpuNanos, long maxMillis) {
    long began = System.nanoTime();
    long quietSince = began;
    long cpuMark = Long.MIN_VALUE; // the process's CPU once the wall-time window was quiet
    long cpu = 0;
    long cpuLookedAt = 0;
    int loaded = classesLoaded.getAsInt();
    while (!ShutdownHook.hasSomethingToReport(ring)) {
      long now = System.nanoTime();
      int loadedNow = classesLoaded.getAsInt();
      if (loadedNow != loaded) {
        loaded = loadedNow;
        quietSince = now;
        cpuMark = Long.MIN_VALUE;
      }
      if (now - began >= TimeUnit.MILLISECONDS.toNanos(maxMillis)) {
        return "no event, the application not quiet after " + maxMillis + " ms";
      }
      if (now - began >= TimeUnit.MILLISECONDS.toNanos(MIN_MILLIS)
          && now - quietSince >= TimeUnit.MILLISECONDS.toNanos(QUIET_MILLIS)) {
        // read only here, and at most every CPU_LOOK_NANOS: a look of /proc costs 20-35 us of CPU, and counts in ticks
        // of 10 ms
        if (cpuMark == Long.MIN_VALUE || now - cpuLookedAt >= CPU_LOOK_NANOS) {
          cpu = cpuNanos.getAsLong();
          cpuLookedAt = now;
        }
        if (cpuMark == Long.MIN_VALUE) {
          cpuMark = cpu;
        }
        if (cpu < 0 || cpu - cpuMark >= TimeUnit.MILLISECONDS.toNanos(QUIET_CPU_MILLIS)) {
          return "no event, no class loaded for " + QUIET_MILLIS + " ms and then " + QUIET_CPU_MILLIS + " ms of CPU";
        }
      }
      LockSupport.parkNanos(LOOK_NANOS);
    }
    return "something to report";
  }

  /** The CPU the process has used (utime + stime of /proc/self/stat, at 100 ticks a second), or -1 where unknown. */
  static long processCpuNanos() {
    try {
      String stat = new String(Files.readAllBytes(Paths.get("/proc/self/stat")), StandardCharsets.US_ASCII);
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * TimeUnit.MILLISECONDS.toNanos(10);
    } catch (Exception e) {
      return -1; // not Linux: wall time alone, as before
    }
  }
}
