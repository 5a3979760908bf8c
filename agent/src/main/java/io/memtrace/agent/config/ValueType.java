package io.memtrace.agent.config;

import java.util.List;

/**
 * How a setting's text becomes a validated value, and how the allowed values are described in
 * the configuration reference. Implementations are in {@link ValueTypes}.
 *
 * @param <T> the validated value
 */
public interface ValueType<T> {

  /**
   * Parses one value as written in the file, the environment or a system property (trimmed).
   *
   * @throws BadValue saying what is wrong, with a usable replacement when there is one
   */
  T parse(String text) throws BadValue;

  /** Parses a YAML sequence; only list types accept one. */
  default T parseList(List<String> items) throws BadValue {
    throw new BadValue("must be a single value, not a list or a section", null);
  }

  /** The allowed values, for the configuration reference: {@code true or false}, {@code 64 to 1048576}. */
  String describe();

  /** A value that cannot be used as given. */
  final class BadValue extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient Object usable;

    /**
     * @param message what is wrong, for example {@code must be true or false, got 'maybe'}
     * @param usable what to use instead (the nearest allowed value), or {@code null} for the default
     */
    public BadValue(String message, Object usable) {
      super(message, null, false, false);
      this.usable = usable;
    }

    /** The replacement, or {@code null} when the default is used. */
    public Object usable() {
      return usable;
    }
  }
}
