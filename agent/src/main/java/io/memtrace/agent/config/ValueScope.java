package io.memtrace.agent.config;

import io.memtrace.agent.config.ValueType.BadValue;
import io.memtrace.common.Glob;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which keys' values leave the process ({@code capture.values}): none (the default), all, or those whose key or
 * namespace matches one of a list of globs ({@link Glob}'s syntax, as {@code capture.redact-keys}). Immutable.
 */
public final class ValueScope {

  private static final ValueScope NONE = new ValueScope(false, List.of());
  private static final ValueScope ALL = new ValueScope(true, List.of());

  private final boolean all;
  private final List<String> globs;
  private final Pattern pattern;

  private ValueScope(boolean all, List<String> globs) {
    this.all = all;
    this.globs = globs;
    this.pattern = globs.isEmpty() ? null : Glob.compileAny(globs);
  }

  public static ValueScope none() {
    return NONE;
  }

  public static ValueScope all() {
    return ALL;
  }

  /** Values of keys matching any of {@code globs}, by key or by namespace; none when the list is empty. */
  public static ValueScope of(List<String> globs) {
    return globs.isEmpty() ? NONE : new ValueScope(false, Collections.unmodifiableList(new ArrayList<>(globs)));
  }

  /** No value of any key leaves the process. */
  public boolean isOff() {
    return !all && pattern == null;
  }

  /** Every key's value may leave the process ({@code true}). */
  public boolean isAll() {
    return all;
  }

  /** The globs of a scoped capture; empty for {@code true} and {@code false}. */
  public List<String> globs() {
    return globs;
  }

  /** Whether the value of {@code key} (in {@code namespace}, either may be {@code null}) is in scope. */
  public boolean matches(String key, String namespace) {
    if (all) {
      return true;
    }
    if (pattern == null) {
      return false;
    }
    return key != null && pattern.matcher(key).matches() || namespace != null && pattern.matcher(namespace).matches();
  }

  @Override
  public String toString() {
    return all ? "true" : pattern == null ? "false" : String.join(",", globs);
  }

  /** The setting's type: {@code true}, {@code false}, or globs as a YAML list or a comma list. */
  static ValueType<ValueScope> type() {
    return new ValueType<ValueScope>() {
      @Override
      public ValueScope parse(String text) throws BadValue {
        if (text.equalsIgnoreCase("true")) {
          return ALL;
        }
        if (text.equalsIgnoreCase("false")) {
          return NONE;
        }
        if (text.indexOf('*') < 0 && text.indexOf('?') < 0 && text.indexOf(',') < 0) {
          // a lone word is more often a mistaken switch (yes, on, maybe) than the one key it would match
          throw new BadValue("must be true or false, or a list of key or namespace globs, got '" + text
              + "' (write [" + text + "] in the file, or '" + text + ",' outside it, for that one key or "
              + "namespace)", null);
        }
        List<String> items = new ArrayList<>();
        for (String item : text.split(",")) {
          if (!item.trim().isEmpty()) {
            items.add(item.trim());
          }
        }
        return parseList(items);
      }

      @Override
      public ValueScope parseList(List<String> items) throws BadValue {
        for (String item : items) {
          String word = item.trim().toLowerCase(Locale.ROOT);
          if (word.isEmpty()) {
            throw new BadValue("has an empty glob", null);
          }
          if (List.of("true", "false", "yes", "no", "on", "off").contains(word)) {
            throw new BadValue("must be true, false or a list of key or namespace globs, got '" + item
                + "' in a list", null);
          }
        }
        return of(items);
      }

      @Override
      public String describe() {
        return "`true`, `false`, or a list of key or namespace globs (`*`, `?`); outside the file a comma list, "
            + "or one glob with `*` or `?`";
      }
    };
  }
}
