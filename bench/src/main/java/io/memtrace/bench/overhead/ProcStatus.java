package io.memtrace.bench.overhead;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;

/** Reads a {@code kB} field of {@code /proc/self/status}, e.g. {@code VmHWM} (peak RSS). */
final class ProcStatus {

  private ProcStatus() {
  }

  /** The field's value in kB, or -1 where /proc is not there (not Linux). */
  static long kilobytes(String field) {
    try {
      for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
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
}
