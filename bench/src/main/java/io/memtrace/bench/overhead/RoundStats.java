package io.memtrace.bench.overhead;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The arithmetic of the overhead report: medians over the rounds, ratios paired within a round (a variant against
 * the baseline measured minutes apart on the same machine), and a target's row of the report's table.
 */
final class RoundStats {

  private RoundStats() {
  }

  static String check(String what, double value, String op, double target, String unit) {
    boolean ok;
    switch (op) {
      case ">=":
        ok = value >= target;
        break;
      case "<=":
        ok = value <= target;
        break;
      default:
        ok = value < target;
    }
    String number = Math.abs(target) >= 1000 ? fmt("%,.0f", value) : fmt("%.2f", value);
    String goal = Math.abs(target) >= 1000 ? fmt("%,.0f", target) : fmt("%s", trim(target));
    return "| " + what + " " + op + " " + goal + unit + " | " + number + unit + " | " + (ok ? "met" : "**missed**") + " |";
  }

  private static String trim(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }

  interface Pair {
    double apply(Forks.Outcome variant, Forks.Outcome baseline);
  }

  /** The median over rounds of {@code f(variant run, baseline run of the same round)}. */
  static double pairedMedian(Map<Integer, Forks.Outcome> runs, Map<Integer, Forks.Outcome> base, Pair f) {
    List<Double> values = new ArrayList<>();
    for (Map.Entry<Integer, Forks.Outcome> e : runs.entrySet()) {
      Forks.Outcome b = base.get(e.getKey());
      if (b != null) {
        values.add(f.apply(e.getValue(), b));
      }
    }
    return median(values);
  }

  static double median(Map<Integer, Forks.Outcome> runs, ToDoubleFunction<Forks.Outcome> f) {
    return medianList(new ArrayList<>(runs.values()), f);
  }

  static double medianAll(Map<Integer, List<Forks.Outcome>> runs, ToDoubleFunction<Forks.Outcome> f) {
    List<Forks.Outcome> all = new ArrayList<>();
    runs.values().forEach(all::addAll);
    return medianList(all, f);
  }

  static double medianList(List<Forks.Outcome> runs, ToDoubleFunction<Forks.Outcome> f) {
    List<Double> values = new ArrayList<>();
    for (Forks.Outcome o : runs) {
      values.add(f.applyAsDouble(o));
    }
    return median(values);
  }

  static double median(List<Double> values) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  static String fmt(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
