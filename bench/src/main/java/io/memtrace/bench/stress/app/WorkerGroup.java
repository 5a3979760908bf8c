package io.memtrace.bench.stress.app;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/** The threads of one level of a run, each repeating its {@link Cycle} until {@link #stopAndJoin()}. */
final class WorkerGroup {

  /**
   * A worker rests this long after a failed operation: with Redis gone, a thread that retried at
   * once would spin a core on connection errors and starve the agent the run is measuring.
   */
  private static final long ERROR_PAUSE_NANOS = 1_000_000;
  /** Longer than any one operation can take (the 5 s Redis timeout), so a join only fails on a bug. */
  private static final long JOIN_MILLIS = 15_000;

  private final StressCounters counters;
  private final Failure failure;
  private final List<Thread> threads = new ArrayList<>();
  private final List<OpClock> clocks = new ArrayList<>();
  private final WindowGrid grid = new WindowGrid();
  private volatile boolean stopped;

  WorkerGroup(StressCounters counters, Failure failure) {
    this.counters = counters;
    this.failure = failure;
  }

  /** Starts a thread called {@code name} whose operations pass {@code gate} and are timed by its own clock. */
  void start(String name, Gate gate, Function<OpClock, Cycle> cycleOnClock) {
    OpClock clock = new OpClock(gate, grid);
    Cycle cycle = cycleOnClock.apply(clock);
    clocks.add(clock);
    Thread thread = new Thread(() -> repeat(cycle), name);
    // a worker stuck in a call must never keep the JVM alive past the run
    thread.setDaemon(true);
    threads.add(thread);
    thread.start();
  }

  /** The clocks of every thread started so far. */
  List<OpClock> clocks() {
    return List.copyOf(clocks);
  }

  /** The windows their operations are counted in. */
  WindowGrid grid() {
    return grid;
  }

  void stopAndJoin() throws InterruptedException {
    stopped = true;
    for (Thread thread : threads) {
      thread.join(JOIN_MILLIS);
    }
  }

  private void repeat(Cycle cycle) {
    try {
      for (long i = 0; !stopped; i++) {
        try {
          cycle.run(i);
        } catch (InterruptedException e) {
          return;
        } catch (Exception e) {
          counters.errors.increment();
          LockSupport.parkNanos(ERROR_PAUSE_NANOS);
        }
      }
    } catch (Throwable t) {
      // OutOfMemoryError above all: the run stops and reports it
      failure.record(t);
    }
  }
}
