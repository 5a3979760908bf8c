package io.memtrace.collector.cli;

import io.memtrace.collector.CollectorException;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the durations ({@code 30s}, {@code 15m}, {@code 2h}, {@code 7d}), sizes ({@code 16MiB}) and choices
 * ({@code auto}) of options, and checks their OTLP/HTTP endpoints.
 */
final class Units {

  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?");

  private Units() {
  }

  static Duration duration(String option, String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    Matcher m = DURATION.matcher(t);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      switch (m.group(2)) {
        case "ms": return Duration.ofMillis(n);
        case "s": return Duration.ofSeconds(n);
        case "m": return Duration.ofMinutes(n);
        case "h": return Duration.ofHours(n);
        default: return Duration.ofDays(n);
      }
    }
    try {
      return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
    } catch (RuntimeException e) {
      throw new CollectorException(option + " '" + text + "' is not a duration; use e.g. 30s, 15m, 2h, 7d or PT15M");
    }
  }

  /** A duration that must be above zero, as a timeout or an interval. */
  static Duration positiveDuration(String option, String text) {
    Duration d = duration(option, text);
    if (d.isZero() || d.isNegative()) {
      throw new CollectorException(option + " must be positive, not '" + text + "'");
    }
    return d;
  }

  static long bytes(String option, String text) {
    Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new CollectorException(option + " '" + text + "' is not a size; use e.g. 16MiB, 512KiB or 1048576");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "b" : m.group(2);
    switch (unit.charAt(0)) {
      case 'k': return n * 1024;
      case 'm': return n * 1024 * 1024;
      case 'g': return n * 1024 * 1024 * 1024;
      default: return n;
    }
  }

  /**
   * The constant of {@code type} that {@code text}, the value of {@code option}, names in any case; an error lists the
   * choices, lower case, as the help shows them.
   */
  static <E extends Enum<E>> E choice(String option, String text, Class<E> type) {
    try {
      return Enum.valueOf(type, text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      E[] all = type.getEnumConstants();
      StringBuilder choices = new StringBuilder();
      for (int i = 0; i < all.length; i++) {
        choices.append(i == 0 ? "" : i == all.length - 1 ? " or " : ", ").append(all[i].name().toLowerCase(Locale.ROOT));
      }
      throw new CollectorException(option + " must be " + choices + ", got " + text);
    }
  }

  /** Refuses {@code url}, the value of {@code option}, unless it is an http:// or https:// URL; null: not given. */
  static void requireHttp(String option, java.net.URI url) {
    if (url != null && !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
      throw new CollectorException(option + " must be an http:// or https:// URL, got " + url);
    }
  }
}
