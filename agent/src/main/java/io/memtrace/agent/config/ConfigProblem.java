package io.memtrace.agent.config;

/** One thing wrong with the configuration: the key, where it was set, what is wrong and what it switches off. */
public final class ConfigProblem {

  /** What a problem costs; the application itself always runs on. */
  public enum Effect {
    /** memtrace switches itself off. */
    AGENT_OFF,
    /** Redis tracing is switched off; the rest of memtrace runs. */
    REDIS_OFF,
    /** The faulty {@code memory-managers} or {@code tasks} rule is dropped on its own. */
    RULE_DROPPED,
    /** The value the message names (the default, or the nearest allowed value) is used instead. */
    FALLBACK;

    /** The effect of a problem in a top-level YAML section such as {@code redis}. */
    static Effect ofSection(String section) {
      switch (section) {
        case "redis":
          return REDIS_OFF;
        case "memory-managers":
        case "tasks":
          return RULE_DROPPED;
        default:
          return AGENT_OFF;
      }
    }
  }

  /** The key of a problem with the whole file rather than one of its settings. */
  public static final String FILE = "(file)";

  private final String key;
  private final String origin;
  private final String message;
  private final Effect effect;

  /**
   * A problem whose effect follows from the key's top-level section.
   *
   * @param key the dotted key, for example {@code ring.size}
   * @param origin where the value came from, for example {@code /etc/memtrace.yaml line 7}
   * @param message what is wrong with it
   */
  public ConfigProblem(String key, String origin, String message) {
    this(key, origin, message, Effect.ofSection(sectionOf(key)));
  }

  public ConfigProblem(String key, String origin, String message, Effect effect) {
    this.key = key;
    this.origin = origin;
    this.message = message;
    this.effect = effect;
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

  public Effect effect() {
    return effect;
  }

  /** The top-level section of the key ({@code redis} for {@code redis.enabled}). */
  public String section() {
    return sectionOf(key);
  }

  static String sectionOf(String key) {
    for (int i = 0; i < key.length(); i++) {
      if (key.charAt(i) == '.' || key.charAt(i) == '[') {
        return key.substring(0, i);
      }
    }
    return key;
  }

  @Override
  public String toString() {
    // a problem of the whole file (not valid YAML, unreadable) has no key to name
    return FILE.equals(key) ? origin + ": the file " + message : origin + ": '" + key + "' " + message;
  }
}
