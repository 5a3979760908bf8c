package io.memtrace.agent.config;

import io.memtrace.agent.config.ValueType.BadValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The kinds of values settings take. Numbers always have a range: a number outside it is
 * reported and replaced by the nearest bound, so no setting can make memtrace allocate without
 * limit; text that cannot be read at all gives the default.
 */
final class ValueTypes {

  private ValueTypes() {
  }

  /** The type of the {@code memory-managers} and {@code tasks} sections, read by {@link MethodRulesParser}. */
  static final ValueType<Void> RULE_SECTION = of("a list of rules", text -> {
    throw new BadValue("is a list of rules and can only be given in the YAML file", null);
  });

  static ValueType<Boolean> bool() {
    return of("`true` or `false`", text -> {
      if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
        return Boolean.valueOf(text.toLowerCase(Locale.ROOT));
      }
      throw new BadValue("must be true or false, got '" + text + "'", null);
    });
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

  private static final Pattern DURATION = Pattern.compile("([0-9]+)\\s*(ms|s|m|h|d)?");

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

  /** One of {@code allowed}, case-insensitive; the value is the allowed spelling. */
  static ValueType<String> choice(String... allowed) {
    return of(codeList(List.of(allowed)), text -> {
      for (String a : allowed) {
        if (a.equalsIgnoreCase(text)) {
          return a;
        }
      }
      throw new BadValue("must be one of " + String.join(", ", allowed) + ", got '" + text + "'", null);
    });
  }

  /** A comma list of {@code allowed} names; unknown names are reported and left out. */
  static ValueType<List<String>> choices(String... allowed) {
    ValueType<String> one = choice(allowed);
    return new ListType<>(codeList(List.of(allowed)) + "; a comma list", items -> {
      List<String> valid = new ArrayList<>();
      List<String> unknown = new ArrayList<>();
      for (String item : items) {
        try {
          valid.add(one.parse(item));
        } catch (BadValue e) {
          unknown.add(item);
        }
      }
      if (!unknown.isEmpty()) {
        throw new BadValue("may name " + String.join(", ", allowed) + "; " + unknown
            + " is not supported by memtrace", Collections.unmodifiableList(valid));
      }
      return Collections.unmodifiableList(valid);
    });
  }

  /** Text matching {@code allowed}; {@code rule} says what that means to a user. */
  static ValueType<String> text(Pattern allowed, String rule) {
    return of(rule, text -> {
      if (!allowed.matcher(text).matches()) {
        throw new BadValue("must be " + rule + ", got '" + text + "'", null);
      }
      return text;
    });
  }

  /** Any text, such as a path or a name. */
  static ValueType<String> text(String description) {
    return of(description, text -> text);
  }

  /** A list, from a YAML sequence or a comma list. */
  static ValueType<List<String>> list(String description) {
    return new ListType<>(description, Collections::unmodifiableList);
  }

  /** A regular expression whose group 1 is what it extracts. */
  static ValueType<Pattern> regexWithGroup() {
    return of("a regular expression with a capturing group", text -> {
      try {
        Pattern pattern = Pattern.compile(text);
        if (pattern.matcher("").groupCount() < 1) {
          throw new BadValue("must have a capturing group for the namespace, got '" + text + "'", null);
        }
        return pattern;
      } catch (PatternSyntaxException e) {
        throw new BadValue("is not a valid regular expression: " + e.getDescription() + " in '" + text + "'", null);
      }
    });
  }

  /** {@code k1=v1,k2=v2}, percent-decoded; entries that are not {@code k=v} are reported and left out. */
  static ValueType<Map<String, String>> keyValues() {
    return of("`key=value,key2=value2`", text -> {
      KeyValueList parsed = KeyValueList.parse(text);
      if (!parsed.rejected().isEmpty()) {
        throw new BadValue("must be key=value pairs separated by commas; " + parsed.rejected()
            + " left out", parsed.entries());
      }
      return parsed.entries();
    });
  }

  /** An {@code http://} or {@code https://} URL with a host. */
  static ValueType<String> url() {
    return of("an `http://` or `https://` URL", text -> {
      try {
        java.net.URI uri = new java.net.URI(text);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
          return text;
        }
      } catch (java.net.URISyntaxException e) {
        // reported below
      }
      throw new BadValue("must be an http:// or https:// URL with a host, got '" + text + "'", null);
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

  private static String codeList(List<String> values) {
    StringBuilder s = new StringBuilder();
    for (String v : values) {
      s.append(s.length() == 0 ? "" : ", ").append('`').append(v).append('`');
    }
    return s.toString();
  }

  /** Parses one trimmed value. */
  interface Parser<T> {
    T parse(String text) throws BadValue;
  }

  /** Parses the items of a list. */
  interface ListParser<T> {
    T parse(List<String> items) throws BadValue;
  }

  private static <T> ValueType<T> of(String description, Parser<T> parser) {
    return new ValueType<T>() {
      @Override
      public T parse(String text) throws BadValue {
        return parser.parse(text.trim());
      }

      @Override
      public String describe() {
        return description;
      }
    };
  }

  /** A list type: a YAML sequence, or a comma list in the file, the environment or a property. */
  private static final class ListType<T> implements ValueType<T> {
    private final String description;
    private final ListParser<T> parser;

    ListType(String description, ListParser<T> parser) {
      this.description = description;
      this.parser = parser;
    }

    @Override
    public T parse(String text) throws BadValue {
      List<String> items = new ArrayList<>();
      for (String item : text.split(",")) {
        if (!item.trim().isEmpty()) {
          items.add(item.trim());
        }
      }
      return parser.parse(items);
    }

    @Override
    public T parseList(List<String> items) throws BadValue {
      return parser.parse(new ArrayList<>(items));
    }

    @Override
    public String describe() {
      return description;
    }
  }
}
