package io.memtrace.bench.stress;

import java.util.Locale;

/** Numbers as the report prints them: counts with separators, others to three significant places. */
public final class Fmt {

  private Fmt() {
  }

  public static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  public static String num(double v) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return count((long) v);
    }
    double a = Math.abs(v);
    return String.format(Locale.ROOT, a >= 100 ? "%,.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f", v);
  }

  public static String of(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
