package io.memtrace.bench.stress.app;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntPredicate;

/**
 * The thread that writes the samples file, one line a second of measurement, and nothing else does.
 * It wakes every 10 ms (with or without an agent, so that its own cost is the same in both) to poll
 * the agent's ring. The main thread steers it with {@link #begin} and {@link #end}, which run on this
 * thread, so every window, histogram and counter snapshot has one owner.
 */
final class Sampler implements AutoCloseable {

  private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
  private static final long WINDOW_NANOS = WindowGrid.WINDOW_NANOS;

  private final BufferedWriter out;
  private final AgentProbe probe;
  private final ProcessGauges gauges;
  private final Failure failure;
  private final BlockingQueue<FutureTask<?>> commands = new LinkedBlockingQueue<>();
  private final Thread thread;
  private volatile boolean running = true;

  private final WindowDrain drain;
  private final Measured window = new Measured();
  private final Measured level = new Measured();
  private final Measured total = new Measured();
  private boolean measuring;
  private int levelThreads;
  private long windowStart;
  private long nextWindowEnd;
  private int windowsLeft;
  private int windowNumber;
  private IntPredicate kept = window -> true;

  private Sampler(BufferedWriter out, AgentProbe probe, ProcessGauges gauges, StressCounters counters,
      Failure failure) {
    this.out = out;
    this.probe = probe;
    this.gauges = gauges;
    this.drain = new WindowDrain(counters);
    this.failure = failure;
    this.thread = new Thread(this::loop, "stress-sampler");
    thread.setDaemon(true);
  }

  static Sampler start(Path file, AgentProbe probe, ProcessGauges gauges, StressCounters counters, Failure failure)
      throws IOException {
    if (file.toAbsolutePath().getParent() != null) {
      Files.createDirectories(file.toAbsolutePath().getParent());
    }
    Sampler sampler = new Sampler(Files.newBufferedWriter(file, StandardCharsets.UTF_8), probe, gauges, counters,
        failure);
    sampler.thread.start();
    return sampler;
  }

  /**
   * Starts measuring {@code seconds} of a level whose threads time on {@code levelClocks};
   * returns t0, epoch milliseconds. The windows are cut at whole seconds from {@code gridNanos} (on
   * {@code System.nanoTime()}'s clock; at most now), and set on {@code levelGrid}, so that each
   * operation counts in the window it ended in: runs taking turns pass their turns' epoch, so
   * that a window closes where a turn ends, not where this call happened to run. Only the windows
   * {@code kept} (numbered from 0) are written and counted; of the others (another run's turns) the
   * errors are kept, and the few operations that ended in them are counted as outside the turns, not
   * timed.
   */
  long begin(int levelThreads, int seconds, List<OpClock> levelClocks, WindowGrid levelGrid, IntPredicate kept,
      long gridNanos) {
    return call(() -> {
      windowStart = Math.min(gridNanos, System.nanoTime());
      levelGrid.set(windowStart);
      // what the recorders hold from the warm-up is thrown away
      drain.use(levelClocks);
      drain.drainInto(window, -1);
      level.reset();
      this.levelThreads = levelThreads;
      nextWindowEnd = windowStart + WINDOW_NANOS;
      windowsLeft = seconds;
      windowNumber = 0;
      this.kept = kept;
      measuring = true;
      return System.currentTimeMillis();
    });
  }

  /** Writes the level's last sample and returns what the level measured. */
  Measured end() {
    return call(() -> {
      // stopped early (a failure), the window ends now
      sample(Math.min(System.nanoTime(), nextWindowEnd));
      measuring = false;
      return level.copy();
    });
  }

  /** Everything measured so far, all levels together. */
  Measured total() {
    return call(total::copy);
  }

  private void loop() {
    long nextTick = System.nanoTime() + TICK_NANOS;
    while (running) {
      try {
        // a window closes at its end, not at the next tick after it: late by a tick, it would take
        // in operations of the next window (another run's turn)
        long wake = measuring && windowsLeft > 1 && nextWindowEnd - nextTick < 0 ? nextWindowEnd : nextTick;
        FutureTask<?> command = commands.poll(Math.max(0, wake - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (command != null) {
          command.run();
          continue;
        }
        if (System.nanoTime() - nextTick >= 0) {
          // after a stall (a long GC) start afresh rather than run the missed ticks back to back
          nextTick = Math.max(nextTick + TICK_NANOS, System.nanoTime());
          if (measuring) {
            probe.pollRing();
          }
        }
        if (measuring) {
          closeWindowIfDue();
        }
      } catch (InterruptedException e) {
        return;
      } catch (Throwable t) {
        failure.record(t);
      }
    }
  }

  private void closeWindowIfDue() throws IOException {
    long now = System.nanoTime();
    // the level's last window is closed by end(), so that no sample covers a few milliseconds
    if (windowsLeft > 1 && now - nextWindowEnd >= 0) {
      sample(nextWindowEnd); // on the grid, however late this thread woke: its operations are by their end
      nextWindowEnd += WINDOW_NANOS;
      windowsLeft--;
    }
  }

  /** Closes the window that ends at {@code endNanos}: its operations, and a sample line when it is kept. */
  private void sample(long endNanos) throws IOException {
    drain.drainInto(window, windowNumber & 1);
    window.seconds = (endNanos - windowStart) / 1e9;
    windowStart = endNanos;
    if (!kept.test(windowNumber++)) {
      window.opsOutsideTurns = window.ops();
      window.latencies.reset();
      window.seconds = 0;
      level.add(window);
      total.add(window);
      return;
    }
    level.add(window);
    total.add(window);
    long endMillis = System.currentTimeMillis() - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - endNanos);
    out.write(Sample.of(endMillis, window, gauges, levelThreads, probe.read()).json());
    out.newLine();
    // a line at a time, so the harness can follow the file and a crash loses at most one second
    out.flush();
  }

  private <T> T call(Callable<T> command) {
    FutureTask<T> task = new FutureTask<>(command);
    commands.add(task);
    try {
      return task.get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the sampler ran a command", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the sampler failed to run a command", e.getCause());
    } catch (TimeoutException e) {
      StringBuilder where = new StringBuilder();
      for (StackTraceElement frame : thread.getStackTrace()) {
        where.append("\n\tat ").append(frame);
      }
      throw new IllegalStateException("the sampler's thread (" + thread.getState() + ") did not run a command within 30 s;"
          + " it was at:" + where, e);
    }
  }

  @Override
  public void close() throws IOException {
    running = false;
    thread.interrupt();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    out.close();
  }
}
