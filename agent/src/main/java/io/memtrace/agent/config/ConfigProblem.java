package io.memtrace.agent.config;

/** One thing wrong with the configuration: the key, where it was set, and what is wrong. */
public final class ConfigProblem {

  private final String key;
  private final String origin;
  private final String message;

  /**
   * @param key the dotted key, for example {@code ring.size}
   * @param origin where the value came from, for example {@code /etc/memtrace.yaml line 7}
   * @param message what is wrong with it
   */
  public ConfigProblem(String key, String origin, String message) {
    this.key = key;
    this.origin = origin;
    this.message = message;
  }

  public String key() {
    return key;
  }

  public String origin() {
    return origin;
  }

  public String message() {
    return message;
  }

  /** The top-level section of the key ({@code redis} for {@code redis.enabled}). */
  public String section() {
    int end = key.length();
    for (int i = 0; i < key.length(); i++) {
      if (key.charAt(i) == '.' || key.charAt(i) == '[') {
        end = i;
        break;
      }
    }
    return key.substring(0, end);
  }

  @Override
  public String toString() {
    return origin + ": '" + key + "' " + message;
  }
}
