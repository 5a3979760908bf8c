package io.memtrace.agent.config;

import static io.memtrace.agent.config.ValueTypes.of;

import io.memtrace.agent.config.ValueType.BadValue;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Numbers, which always have a range: a number outside it is reported and replaced by the nearest
 * bound, so no setting can make memtrace allocate or wait without limit; text that is not a
 * number gives the default.
 */
final class NumberTypes {

  private static final Pattern DURATION = Pattern.compile("([0-9]+)\\s*(ms|s|m|h|d)?");

  private NumberTypes() {
  }

  static ValueType<Integer> integer(int min, int max) {
    return of(min + " to " + max, text -> intInRange(text, min, max));
  }

  /** A power of two within {@code min..max}, as the ring's size must be. */
  static ValueType<Integer> powerOfTwo(int min, int max) {
    return of("a power of two, " + min + " to " + max, text -> {
      int value = intInRange(text, min, max);
      if (Integer.bitCount(value) != 1) {
        throw new BadValue("must be a power of two (for example 65536), got " + value, null);
      }
      return value;
    });
  }

  /**
   * A duration in milliseconds. The OpenTelemetry specification says milliseconds; like the
   * OpenTelemetry Java SDK, a unit ({@code ms}, {@code s}, {@code m}, {@code h}, {@code d}) is
   * also understood, because {@code OTEL_BSP_SCHEDULE_DELAY=1s} is what Java users write.
   */
  static ValueType<Long> millis(long min, long max) {
    return of("ms, " + min + " to " + max + "; a unit (`500ms`, `10s`, `2m`) may be given",
        text -> {
          Matcher m = DURATION.matcher(text.toLowerCase(Locale.ROOT));
          if (!m.matches()) {
            throw new BadValue("must be a duration in milliseconds (5000) or with a unit "
                + "(500ms, 10s, 2m), got '" + text + "'", null);
          }
          String unit = m.group(2) == null ? "ms" : m.group(2);
          long factor = unit.equals("ms") ? 1 : unit.equals("s") ? 1_000 : unit.equals("m") ? 60_000
              : unit.equals("h") ? 3_600_000 : 86_400_000;
          long ms;
          try {
            ms = Math.multiplyExact(Long.parseLong(m.group(1)), factor);
          } catch (ArithmeticException | NumberFormatException e) {
            ms = Long.MAX_VALUE; // beyond any range: reported and replaced by the maximum
          }
          return inRange(ms, min, max, "'" + text + "'", " ms");
        });
  }

  private static long wholeNumber(String text) throws BadValue {
    if (!text.matches("-?[0-9]+")) {
      throw new BadValue("must be a whole number, got '" + text + "'", null);
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      return text.startsWith("-") ? Long.MIN_VALUE : Long.MAX_VALUE; // out of range, reported as such
    }
  }

  private static int intInRange(String text, int min, int max) throws BadValue {
    try {
      return (int) inRange(wholeNumber(text), min, max, text, "");
    } catch (BadValue e) {
      Long nearest = (Long) e.usable();
      throw new BadValue(e.getMessage(), nearest == null ? null : nearest.intValue());
    }
  }

  private static long inRange(long value, long min, long max, String shown, String unit)
      throws BadValue {
    if (value < min || value > max) {
      long nearest = value < min ? min : max;
      throw new BadValue("must be between " + min + " and " + max + unit + ", got " + shown, nearest);
    }
    return value;
  }
}
