package io.memtrace.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time from a Linux {@code stat} line ({@code /proc/PID/stat}, {@code /proc/PID/task/TID/stat}), in clock ticks.
 * Apart from {@link TestCpuLog}, a JUnit listener, so that {@link Progress} also runs where JUnit's launcher is not on
 * the class path (a benchmark's own {@code main}).
 */
final class ProcStat {

  private ProcStat() {
  }

  /** utime + stime + cutime + cstime from a process's {@code stat} file; -1 where it is not there (off Linux, ended). */
  static long cpuTicks(Path stat) {
    try {
      return ticks(Files.readString(stat, StandardCharsets.US_ASCII), 17);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** utime + stime (fields 14 and 15 of a {@code stat} line), and cutime and cstime with {@code lastField} 17. */
  static long ticks(String stat, int lastField) {
    // the command name may hold spaces; the fields after it start past the last ')'
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    // fields[0] is field 3 (state); utime is field 14
    long total = 0;
    for (int field = 14; field <= lastField; field++) {
      total += Long.parseLong(fields[field - 3]);
    }
    return total;
  }
}
