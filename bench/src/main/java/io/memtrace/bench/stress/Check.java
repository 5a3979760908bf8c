package io.memtrace.bench.stress;

/**
 * One thing a scenario must hold, as {@code stress-results.json} shows it: what was checked, the
 * value measured, the bound it was held to, and whether it held.
 */
public record Check(String what, String measured, String bound, boolean holds) {

  /** {@code measured <= max}. */
  public static Check atMost(String what, double measured, double max, String unit) {
    return new Check(what, Fmt.num(measured) + unit, "<= " + Fmt.num(max) + unit, measured <= max);
  }

  /** {@code measured >= min}. */
  public static Check atLeast(String what, double measured, double min, String unit) {
    return new Check(what, Fmt.num(measured) + unit, ">= " + Fmt.num(min) + unit, measured >= min);
  }

  /** {@code measured == expected}, for counts. */
  public static Check equal(String what, long measured, long expected) {
    return new Check(what, Fmt.count(measured), "= " + Fmt.count(expected), measured == expected);
  }

  /** A yes/no fact, with what was seen. */
  public static Check that(String what, boolean holds, String measured, String bound) {
    return new Check(what, measured, bound, holds);
  }
}
