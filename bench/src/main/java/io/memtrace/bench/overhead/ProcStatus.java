package io.memtrace.bench.overhead;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;

/**
 * Reads this process's figures from {@code /proc}: a {@code kB} field of {@code /proc/self/status},
 * e.g. {@code VmHWM} (peak RSS), and the CPU time so far from {@code /proc/self/stat}.
 */
public final class ProcStatus {

  /** {@code USER_HZ}, the unit of {@code /proc}'s CPU times: 100 on every Linux this runs on. */
  private static final int TICKS_PER_SECOND = 100;

  private ProcStatus() {
  }

  /** The field's value in kB, or -1 where /proc is not there (not Linux). */
  static long kilobytes(String field) {
    return kilobytes("self", field);
  }

  /** The field's value in kB for process {@code pid}, or -1 when it is gone or /proc is not there. */
  public static long kilobytes(long pid, String field) {
    return kilobytes(String.valueOf(pid), field);
  }

  private static long kilobytes(String process, String field) {
    try {
      for (String line : Files.readAllLines(Paths.get("/proc", process, "status"))) {
        if (line.startsWith(field + ":")) {
          String digits = line.substring(field.length() + 1).replace("kB", "").trim();
          return Long.parseLong(digits);
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  /**
   * The CPU time this process has used so far, all threads, user and system, in seconds (with the
   * clock-tick resolution of {@code /proc}, 10 ms), or -1 where /proc is not there. Unlike wall
   * time it hardly moves when other processes compete for the cores.
   */
  static double cpuSeconds() {
    try {
      String stat = new String(Files.readAllBytes(Paths.get("/proc/self/stat")), java.nio.charset.StandardCharsets.US_ASCII);
      // fields after the command name, which is in parentheses and may hold spaces: state is the
      // first, utime the 12th and stime the 13th
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / (double) TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * Each live thread's CPU time so far in nanoseconds ({@code /proc/self/task/TID/schedstat}), keyed
   * {@code "TID NAME"} by the kernel's name of the thread (its first 15 characters); empty where /proc or schedstat
   * is not there.
   */
  static java.util.Map<String, Long> cpuByNativeThread() {
    java.util.Map<String, Long> cpu = new java.util.HashMap<>();
    try (java.util.stream.Stream<java.nio.file.Path> tasks = Files.list(Paths.get("/proc/self/task"))) {
      for (java.nio.file.Path task : (Iterable<java.nio.file.Path>) tasks::iterator) {
        try {
          String name = Files.readString(task.resolve("comm")).trim();
          String schedstat = Files.readString(task.resolve("schedstat"));
          cpu.put(task.getFileName() + " " + name, Long.parseLong(schedstat.substring(0, schedstat.indexOf(' '))));
        } catch (IOException | RuntimeException e) {
          // the thread ended meanwhile, or the kernel keeps no schedstat
        }
      }
    } catch (IOException e) {
      return cpu;
    }
    return cpu;
  }
}
