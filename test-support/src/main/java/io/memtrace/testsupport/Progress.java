package io.memtrace.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Waiting on a process a test started by its progress, not by the wall clock: the CPU time the process and its
 * descendants (a {@code serve} launcher's child JVM) have used since the wait began.
 *
 * <p>Why: a wall-clock limit is a guess at the machine's speed. A Spring app that starts in 20 s on a quiet machine took
 * 110 s at load 20 and hit a two-minute limit, yet it was working all along. A hang (a start-up deadlock, a JVM silent
 * for minutes) uses next to no CPU however loaded the machine is. So a wait fails when:
 * <ul>
 *   <li>over the last stall window ({@link #STALL_WINDOW} unless set) the process used less than 1 % of one core (at
 *       least {@link #IDLE_FLOOR}) outside the threads that keep ticking in a hung JVM ({@link #HOUSEKEEPING}): it is
 *       hung, and is reported within about a window;</li>
 *   <li>it used more CPU than its budget (the caller's {@code timeout}, now in CPU seconds): it spins, or its work grew
 *       beyond what the test meant; the budget does not depend on how loaded the machine is;</li>
 *   <li>or, as a net that lets nothing run forever, after {@link #WALL_NET} (or three times the budget, if longer) of
 *       wall time.</li>
 * </ul>
 * A machine loaded until the child gets less than 1 % of a core for a minute still fails; that is a machine where no
 * test result means anything. A child that legitimately waits on something else for a window (a server it polls) must
 * say so with a longer window.
 */
public final class Progress {

  /** How long a process may use (next to) no CPU before it is called hung. */
  public static final Duration STALL_WINDOW = Duration.ofSeconds(60);
  /** The share of one core below which a stall window counts as no progress. */
  static final double IDLE_SHARE = 0.01;
  /** The least CPU that counts as progress in a window, whatever its length (a clock tick is 10 ms). */
  static final Duration IDLE_FLOOR = Duration.ofMillis(50);
  /** The wall-clock safety net. */
  public static final Duration WALL_NET = Duration.ofMinutes(15);

  /**
   * The threads (by their name as Linux keeps it, 15 characters) that keep working in a JVM whose program is hung: the
   * JVM's own, and the periodic ones of memtrace's agent and the OpenTelemetry agent. An idle JVM with both agents used
   * 0.9 s of CPU a minute in them (memtrace's consumer 0.4 s, the metric readers 0.4 s) at load 15, more than a stall
   * threshold of 1 % of a core; its other threads used none.
   */
  static final Pattern HOUSEKEEPING = Pattern.compile("VM Thread|VM Periodic|GC Thread|G1 |C1 Compiler|C2 Compiler"
      + "|Service Thread|Monitor Deflat|Notification Th|Common-Cleaner|Signal Dispat|Finalizer|Reference Hand|Sweeper"
      + "|Attach Listen|memtrace-|PeriodicMetric|BatchSpanProc|OkHttp |JFR ");

  private final ProcessHandle process;
  private final Duration budget;
  private final Duration window;
  private final long startNanos = System.nanoTime();
  private final long startCpu;
  /** (wall nanos, cpu nanos) samples; the first is the newest one at least a window old. */
  private final ArrayDeque<long[]> samples = new ArrayDeque<>();

  /** Starts counting now: {@code budget} of CPU, no progress for {@code window} is a hang. */
  public Progress(ProcessHandle process, Duration budget, Duration window) {
    this.process = process;
    this.budget = budget;
    this.window = window;
    long[] measured = cpuNanos(process);
    this.startCpu = measured[0];
    samples.add(new long[] {startNanos, measured[0] - measured[1]});
  }

  /** One slice of a wait: waits about {@code millis} for what is awaited; true once it happened. */
  public interface Slice {
    boolean done(long millis) throws InterruptedException;
  }

  /** Waits slice by slice: null once {@code slice} is done, else why the wait should fail ({@link #check}). */
  public String await(Slice slice) throws InterruptedException {
    while (!slice.done(sliceMillis())) {
      String why = check();
      if (why != null) {
        return why;
      }
    }
    return null;
  }

  /** How long to wait between two {@link #check}s: a tenth of the window, at most a second. */
  public long sliceMillis() {
    return Math.max(10, Math.min(1000, window.toMillis() / 10));
  }

  /** Samples the process; null while it makes progress within its bounds, else why the wait should fail. */
  public String check() {
    if (!process.isAlive()) {
      return null; // its CPU is no longer readable; the caller's own wait sees the end
    }
    long now = System.nanoTime();
    long[] measured = cpuNanos(process);
    long used = measured[0] - startCpu;
    long cpu = measured[0] - measured[1];
    long wall = now - startNanos;
    if (used > budget.toNanos()) {
      return "used more than its CPU budget of " + seconds(budget.toNanos()) + " (" + spent(used, wall) + ")";
    }
    long net = Math.max(WALL_NET.toNanos(), 3 * budget.toNanos());
    if (wall > net) {
      return "still ran after the wall-clock safety net of " + seconds(net) + " (" + spent(used, wall) + ")";
    }
    samples.add(new long[] {now, cpu});
    while (samples.size() > 1) {
      long[] oldest = samples.removeFirst();
      if (now - samples.getFirst()[0] < window.toNanos()) {
        samples.addFirst(oldest);
        break;
      }
    }
    long[] reference = samples.getFirst();
    long idle = Math.max(IDLE_FLOOR.toNanos(), (long) (window.toNanos() * IDLE_SHARE));
    if (now - reference[0] >= window.toNanos() && cpu - reference[1] < idle) {
      return "made no progress for " + seconds(now - reference[0]) + ": " + seconds(cpu - reference[1])
          + " of CPU in that time outside the JVM's and the agents' housekeeping threads (" + spent(used, wall) + ")";
    }
    return null;
  }

  /**
   * The CPU a process and its living descendants have used, with the children they waited for; and the part of it their
   * living housekeeping threads used ({@link #HOUSEKEEPING}).
   */
  static long[] cpuNanos(ProcessHandle process) {
    long[] ticks = {0, 0};
    if (!add(process, ticks)) {
      return new long[] {process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L), 0};
    }
    process.descendants().forEach(child -> add(child, ticks));
    return new long[] {TimeUnit.MILLISECONDS.toNanos(ticks[0] * 10), TimeUnit.MILLISECONDS.toNanos(ticks[1] * 10)};
  }

  /** Adds a process's CPU ticks and its housekeeping threads' to {@code ticks}; false where /proc cannot tell them. */
  private static boolean add(ProcessHandle process, long[] ticks) {
    Path proc = Path.of("/proc", String.valueOf(process.pid()));
    long all = ProcStat.cpuTicks(proc.resolve("stat"));
    if (all < 0) {
      return false;
    }
    ticks[0] += all;
    try (DirectoryStream<Path> threads = Files.newDirectoryStream(proc.resolve("task"))) {
      for (Path thread : threads) {
        String stat = Files.readString(thread.resolve("stat"), StandardCharsets.US_ASCII);
        if (HOUSEKEEPING.matcher(stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'))).lookingAt()) {
          ticks[1] += ProcStat.ticks(stat, 15);
        }
      }
    } catch (IOException | RuntimeException threadEnded) {
      // counted as progress: at worst it hides a hang for one window
    }
    return true;
  }

  private static String spent(long cpu, long wall) {
    return seconds(cpu) + " of CPU in " + seconds(wall) + " of wall time since the wait began";
  }

  private static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
  }
}
