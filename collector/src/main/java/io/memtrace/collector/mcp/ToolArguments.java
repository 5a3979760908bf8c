package io.memtrace.collector.mcp;

import io.memtrace.collector.CollectorException;
import io.memtrace.collector.Visible;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One call's arguments, checked: every message names the tool, the argument and what it must be, so that an assistant
 * can correct its call. An argument the tool does not take is refused too, rather than silently ignored.
 */
final class ToolArguments {

  private static final Pattern TRACE_ID = Pattern.compile("[0-9a-fA-F]{8,32}");
  private static final Pattern SPAN_ID = Pattern.compile("[0-9a-fA-F]{16}");
  private static final Pattern RELATIVE = Pattern.compile("-(\\d{1,9})(ms|s|m|h|d|w)");

  private final String tool;
  private final Map<String, Object> given;
  private final Instant now;

  /** @param known the arguments the tool takes (its schema's properties) */
  ToolArguments(String tool, Map<String, Object> given, Set<String> known, Instant now) {
    this.tool = tool;
    this.given = given == null ? Map.of() : given;
    this.now = now;
    Set<String> unknown = new TreeSet<>(this.given.keySet());
    unknown.removeAll(known);
    if (!unknown.isEmpty()) {
      throw problem("takes no argument " + String.join(", ", unknown.stream().map(Visible::text).toList())
          + "; its arguments are " + new TreeSet<>(known));
    }
  }

  /** When the call came: what relative times count back from. */
  Instant now() {
    return now;
  }

  /** A text argument, or null when absent or empty. */
  String text(String name) {
    Object v = given.get(name);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s)) {
      throw problem(name + " is text, not " + Visible.text(String.valueOf(v)));
    }
    return s.isEmpty() ? null : s;
  }

  String required(String name) {
    String v = text(name);
    if (v == null) {
      throw problem("needs the argument " + name);
    }
    return v;
  }

  boolean flag(String name) {
    Object v = given.get(name);
    if (v == null) {
      return false;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    throw problem(name + " is true or false, not " + Visible.text(String.valueOf(v)));
  }

  /** A count from 1 to {@code max}; {@code fallback} when absent. Past the maximum is an error, never cut quietly. */
  int limit(String name, int fallback, int max) {
    Object v = given.get(name);
    if (v == null) {
      return fallback;
    }
    long n;
    if (v instanceof Number number && number.doubleValue() == Math.rint(number.doubleValue())) {
      n = number.longValue();
    } else {
      throw problem(name + " is a whole number from 1 to " + max + ", not " + Visible.text(String.valueOf(v)));
    }
    if (n < 1 || n > max) {
      throw problem(name + " is from 1 to " + max + ", not " + n + (n > max ? " (the most one answer holds; narrow "
          + "the question or page through it)" : ""));
    }
    return (int) n;
  }

  /** A trace id: 8 to 32 hex digits (a prefix of one, as {@code traces --trace} takes), in lower case; null when absent. */
  String traceId(String name) {
    String v = text(name);
    if (v == null) {
      return null;
    }
    if (!TRACE_ID.matcher(v).matches()) {
      throw problem(name + " is a trace id of 32 hex digits (or its first 8 or more), not '" + Visible.text(v) + "'");
    }
    return v.toLowerCase(Locale.ROOT);
  }

  /** A span id: 16 hex digits; null when absent. */
  String spanId(String name) {
    String v = text(name);
    if (v == null) {
      return null;
    }
    if (!SPAN_ID.matcher(v).matches()) {
      throw problem(name + " is a span id of 16 hex digits, not '" + Visible.text(v) + "'");
    }
    return v.toLowerCase(Locale.ROOT);
  }

  /**
   * A time: RFC 3339 ({@code 2026-11-29T04:05:44Z}, an offset instead of Z) or relative to now ({@code -1h},
   * {@code -30m}, {@code -45s}, {@code -2d}, {@code -1w}, {@code -500ms}); null when absent.
   */
  Instant time(String name) {
    String v = text(name);
    if (v == null) {
      return null;
    }
    Matcher relative = RELATIVE.matcher(v.strip());
    if (relative.matches()) {
      long n = Long.parseLong(relative.group(1));
      Duration back = switch (relative.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        case "d" -> Duration.ofDays(n);
        default -> Duration.ofDays(7 * n);
      };
      return now.minus(back);
    }
    try {
      return OffsetDateTime.parse(v.strip()).toInstant();
    } catch (DateTimeParseException e) {
      throw problem(name + " is a time in RFC 3339 (2026-11-29T04:05:44Z) or relative to now (-1h, -30m, -2d), not '"
          + Visible.text(v) + "'");
    }
  }

  CollectorException problem(String what) {
    return new CollectorException(tool + ": " + what);
  }
}
