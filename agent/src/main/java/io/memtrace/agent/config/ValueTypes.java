package io.memtrace.agent.config;

import io.memtrace.agent.config.ValueType.BadValue;
import io.memtrace.common.NamespaceRule;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The kinds of values settings take, other than numbers ({@link NumberTypes}): text that cannot be
 * read gives the default; a list keeps its valid entries and names the others.
 */
final class ValueTypes {

  private ValueTypes() {
  }

  /** The type of the {@code memory-managers} and {@code tasks} sections, read by {@link MethodRulesParser}. */
  static final ValueType<Void> RULE_SECTION = of("a list of rules", text -> {
    throw new BadValue("is a list of rules and can only be given in the YAML file", null);
  });

  /** A section another program reads ({@code memory-state}): the agent accepts it as it is. */
  static final ValueType<Void> FOREIGN_SECTION = of("a mapping, read by the collector", text -> {
    throw new BadValue("is a section of settings and can only be given in the YAML file", null);
  });

  static ValueType<Boolean> bool() {
    return of("`true` or `false`", text -> {
      if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
        return Boolean.valueOf(text.toLowerCase(Locale.ROOT));
      }
      throw new BadValue("must be true or false, got '" + text + "'", null);
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
          String name = one.parse(item);
          if (!valid.contains(name)) {
            valid.add(name);
          }
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

  /**
   * A secret of {@code bytes} bytes written as {@code 2 * bytes} hexadecimal digits, returned in lower case. A bad
   * value is described by its length or the position of the first wrong character, never shown.
   */
  static ValueType<String> secretHex(int bytes) {
    int digits = 2 * bytes;
    return of(digits + " hexadecimal digits (a " + (8 * bytes) + "-bit key), never logged", text -> {
      if (text.length() != digits) {
        throw new BadValue("must be " + digits + " hexadecimal digits (a " + (8 * bytes) + "-bit key), got "
            + text.length() + " characters", null);
      }
      for (int i = 0; i < digits; i++) {
        if (Character.digit(text.charAt(i), 16) < 0) {
          throw new BadValue("must be " + digits + " hexadecimal digits; character " + (i + 1) + " is not one", null);
        }
      }
      return text.toLowerCase(Locale.ROOT);
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
        return NamespaceRule.compile(text);
      } catch (IllegalArgumentException e) {
        throw new BadValue(e.getMessage(), null);
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

  static String codeList(List<String> values) {
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

  static <T> ValueType<T> of(String description, Parser<T> parser) {
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
}
