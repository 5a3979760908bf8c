package io.memtrace.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Map;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Where the test run's CPU goes, per test class: with {@code MEMTRACE_TEST_CPU_LOG=FILE} in the environment, each
 * test JVM appends one line per finished class to FILE: the CPU seconds the fork and the child processes it waited
 * for spent while the class ran (user + system, from {@code /proc/self/stat}), the wall seconds, the module
 * and the class. {@code bench/ci-runs.sh} sets it and sums the lines. Without the variable, or
 * off Linux, it does nothing.
 *
 * <p>A child still running when its class ends (a server shared by the whole fork) is counted in the class during
 * which it exits. JUnit finds this listener through {@code META-INF/services}.
 */
public final class TestCpuLog implements TestExecutionListener {
  private static final Path LOG = logFile();
  private static final Path STAT = Path.of("/proc/self/stat");
  private static final double TICKS_PER_SECOND = 100.0;
  /** Surefire and Failsafe set {@code basedir} to the module's folder. */
  private static final String MODULE =
      Path.of(System.getProperty("basedir", "")).toAbsolutePath().getFileName().toString();

  private final Map<String, long[]> started = new ConcurrentHashMap<>();

  private static Path logFile() {
    String file = System.getenv("MEMTRACE_TEST_CPU_LOG");
    return file == null || file.isBlank() ? null : Path.of(file);
  }

  @Override
  public void executionStarted(TestIdentifier test) {
    // a @Nested class runs inside its outer class, which counts it
    if (LOG == null || !(test.getSource().orElse(null) instanceof ClassSource)
        || ((ClassSource) test.getSource().get()).getClassName().contains("$")) {
      return;
    }
    long ticks = cpuTicks();
    if (ticks >= 0) {
      started.put(test.getUniqueId(), new long[] {ticks, System.nanoTime()});
    }
  }

  @Override
  public void executionFinished(TestIdentifier test, TestExecutionResult result) {
    long[] start = LOG == null ? null : started.remove(test.getUniqueId());
    if (start == null) {
      return;
    }
    ClassSource source = (ClassSource) test.getSource().orElseThrow();
    long ticks = cpuTicks();
    if (ticks < 0) {
      return;
    }
    String line = String.format(Locale.ROOT, "%.2f %.2f %s %s%n", (ticks - start[0]) / TICKS_PER_SECOND,
        (System.nanoTime() - start[1]) / 1e9, MODULE, source.getClassName());
    try {
      Files.writeString(LOG, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      System.err.println("TestCpuLog: cannot append to " + LOG + ": " + e.getMessage());
    }
  }

  /** utime + stime + cutime + cstime of this process, in clock ticks; -1 where /proc is not there. */
  static long cpuTicks() {
    return ProcStat.cpuTicks(STAT);
  }
}
