package io.memtrace.agent.export;

import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The standard OpenTelemetry settings, read as users know them: a system property
 * ({@code -Dotel.traces.exporter=console}) wins over the environment variable
 * ({@code OTEL_TRACES_EXPORTER}).
 */
public final class OtelSettings {

  private final Map<String, String> env;
  private final Properties props;

  public OtelSettings(Map<String, String> env, Properties props) {
    this.env = env;
    this.props = props;
  }

  /** @param property the property form, for example {@code otel.service.name} */
  public String get(String property) {
    String value = props.getProperty(property);
    if (value == null) {
      value = env.get(property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
    }
    return value == null || value.trim().isEmpty() ? null : value.trim();
  }

  public String get(String property, String defaultValue) {
    String value = get(property);
    return value == null ? defaultValue : value;
  }

  /** A duration in milliseconds; a bad value falls back to the default (reported by the caller). */
  public long millis(String property, long defaultValue) {
    String value = get(property);
    if (value == null) {
      return defaultValue;
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(property + " must be a number of milliseconds, got '" + value + "'");
    }
  }

  /** A memtrace environment variable such as {@code MEMTRACE_TRACES_FILE}, or its property form. */
  public String memtrace(String envName) {
    String property = envName.toLowerCase(Locale.ROOT).replace('_', '.');
    String value = props.getProperty(property);
    if (value == null) {
      value = env.get(envName);
    }
    return value == null || value.trim().isEmpty() ? null : value.trim();
  }
}
