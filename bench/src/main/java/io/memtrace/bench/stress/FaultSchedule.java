package io.memtrace.bench.stress;

import java.util.ArrayList;
import java.util.List;

/**
 * Faults injected at set times after the application started measuring. Each fault begins and
 * ends by an action of the harness; its window is recorded as it really happened (a restart of the
 * collector takes its own time), and the application is never waited on.
 */
final class FaultSchedule {

  /** An action of the harness on the rig. */
  @FunctionalInterface
  interface Action {
    void run() throws Exception;
  }

  private record Fault(String label, double at, double length, Action begin, Action end) {
  }

  private final List<Fault> faults = new ArrayList<>();

  /** A fault {@code at} seconds after measurement began, lasting {@code length} seconds. */
  FaultSchedule add(String label, double at, double length, Action begin, Action end) {
    faults.add(new Fault(label, at, length, begin, end));
    return this;
  }

  /** Runs every fault in order from {@code t0} (epoch ms) and returns the windows as they happened. */
  List<FaultWindow> play(long t0) throws Exception {
    List<FaultWindow> windows = new ArrayList<>();
    for (Fault f : faults) {
      sleepUntil(t0 + (long) (f.at * 1000));
      long from = System.currentTimeMillis();
      f.begin.run();
      sleepUntil(Math.max(System.currentTimeMillis(), from + (long) (f.length * 1000)));
      f.end.run();
      windows.add(new FaultWindow(f.label, from, System.currentTimeMillis()));
    }
    return windows;
  }

  private static void sleepUntil(long epochMillis) throws InterruptedException {
    long wait = epochMillis - System.currentTimeMillis();
    if (wait > 0) {
      Thread.sleep(wait);
    }
  }
}
