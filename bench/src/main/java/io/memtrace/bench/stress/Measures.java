package io.memtrace.bench.stress;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Figures computed from a run's per-second samples: the reference p99, the stability score, the
 * time to recover after a fault, and growth of a quantity over the run. Pure functions.
 */
final class Measures {

  private Measures() {
  }

  static double median(double[] values) {
    double[] v = Arrays.stream(values).filter(x -> !Double.isNaN(x)).sorted().toArray();
    if (v.length == 0) {
      return Double.NaN;
    }
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  static boolean inAnyFault(Sample s, List<FaultWindow> faults) {
    for (FaultWindow f : faults) {
      if (f.covers(s.t())) {
        return true;
      }
    }
    return false;
  }

  /** The median of {@code field} over windows outside every fault (all windows when there are none outside). */
  static double steady(List<Sample> samples, List<FaultWindow> faults, ToDoubleFunction<Sample> field) {
    double[] outside = samples.stream().filter(s -> !inAnyFault(s, faults)).mapToDouble(field).toArray();
    return outside.length > 0 ? median(outside) : median(samples.stream().mapToDouble(field).toArray());
  }

  /** Events dropped during each window (the first window: since the agent started). */
  static long[] dropsPerWindow(List<Sample> samples) {
    long[] drops = new long[samples.size()];
    long before = 0;
    for (int i = 0; i < samples.size(); i++) {
      long d = samples.get(i).dropped();
      drops[i] = d < 0 ? 0 : Math.max(0, d - before);
      before = Math.max(before, d);
    }
    return drops;
  }

  /**
   * The stability score, 0 to 100: the share of windows in which the p99 stayed within
   * {@code factor} times the steady p99 and memtrace dropped nothing.
   */
  static double stability(List<Sample> samples, List<FaultWindow> faults, double factor) {
    if (samples.isEmpty()) {
      return 0;
    }
    double ref = steady(samples, faults, Sample::p99us);
    long[] drops = dropsPerWindow(samples);
    int good = 0;
    for (int i = 0; i < samples.size(); i++) {
      if (samples.get(i).p99us() <= factor * ref && drops[i] == 0) {
        good++;
      }
    }
    return Math.round(1000.0 * good / samples.size()) / 10.0;
  }

  /**
   * Seconds from the end of {@code fault} until steady state: the first window from which {@code k}
   * consecutive windows have throughput at least 80 % of the steady one, nothing dropped, and the
   * agent's exported count moving again (when the run has an agent), and whose p99 is within
   * {@code factor} of the steady p99 in that first window and in the median of the {@code k}. The
   * median lets one noisy second among the {@code k} pass (on two shared cores a quarter of steady
   * windows can be over 2x the median), not a slow return. Infinity when the run never got there.
   */
  static double recoverySeconds(List<Sample> samples, FaultWindow fault, List<FaultWindow> faults, double factor, int k) {
    double refP99 = steady(samples, faults, Sample::p99us);
    double refOps = steady(samples, faults, s -> s.ops());
    long[] drops = dropsPerWindow(samples);
    List<Integer> after = new ArrayList<>();
    for (int i = 0; i < samples.size(); i++) {
      if (samples.get(i).t() - 1000 >= fault.to()) {
        after.add(i);
      }
    }
    for (int a = 0; a + k <= after.size(); a++) {
      Sample first = samples.get(after.get(a));
      boolean steady = first.p99us() <= factor * refP99;
      boolean exporting = first.exported() < 0;
      double[] p99s = new double[k];
      for (int j = a; j < a + k && steady; j++) {
        int i = after.get(j);
        Sample s = samples.get(i);
        p99s[j - a] = s.p99us();
        steady = s.ops() >= 0.8 * refOps && drops[i] == 0;
        if (i > 0 && s.exported() > samples.get(i - 1).exported()) {
          exporting = true;
        }
      }
      if (steady && exporting && median(p99s) <= factor * refP99) {
        return Math.max(0, (first.t() - 1000 - fault.to()) / 1000.0);
      }
    }
    return Double.POSITIVE_INFINITY;
  }

  /** The lowest non-negative {@code field} in the first third of the samples and in the last third, as {first, last}: for heap after GC, the live heap at either end. */
  static double[] thirds(List<Sample> samples, ToDoubleFunction<Sample> field) {
    int n = samples.size();
    int third = Math.max(1, n / 3);
    double first = samples.subList(0, Math.min(third, n)).stream().mapToDouble(field).filter(v -> v >= 0).min().orElse(Double.NaN);
    double last = samples.subList(Math.max(0, n - third), n).stream().mapToDouble(field).filter(v -> v >= 0).min().orElse(Double.NaN);
    return new double[] {first, last};
  }

  static double max(List<Sample> samples, ToDoubleFunction<Sample> field) {
    return samples.stream().mapToDouble(field).filter(v -> !Double.isNaN(v)).max().orElse(Double.NaN);
  }

  /**
   * The lowest heap-after-GC of the windows within 2.5 s after {@code t}, when a full collection ran:
   * the live heap then (a young collection right after it can only read higher).
   */
  static double liveHeapAfter(List<Sample> samples, long t) {
    return samples.stream().filter(x -> x.t() > t && x.t() <= t + 2500 && x.heapAfterGcMb() >= 0)
        .mapToDouble(Sample::heapAfterGcMb).min().orElse(Double.NaN);
  }
}
