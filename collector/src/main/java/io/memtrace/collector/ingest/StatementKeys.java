package io.memtrace.collector.ingest;

import io.memtrace.common.NamespaceRule;
import io.memtrace.common.redis.CommandEffects;
import io.memtrace.common.redis.CommandSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The key facts of a Redis span that another instrumentation made (Node's ioredis and node-redis, Python's
 * redis-py, the OpenTelemetry Java agent alone, go-redis), read from its statement at ingest, so that the
 * analytics treat it as they treat memtrace's own: {@code memory.key} (the first key, as memtrace's agent gives it),
 * {@code memory.namespace} by the collector's {@code redis.namespace-from-key} rule (the agent's rule),
 * {@code memory.ttl} when the statement keeps one, {@code memory.value_size} when it keeps every value, and
 * {@code db.operation.name} when the span lacks it.
 *
 * <p>Nothing is derived silently: {@code memtrace.derived} lists the attributes added, {@code memtrace.derived.from}
 * names the attribute they were read from (on every span whose command has a key, found or hidden, and on any span
 * something was added to), and {@code memtrace.unknown} names, comma-separated, the facts the statement hid (a key
 * replaced by {@code ?}, a TTL among arguments left out), so the views can say "unknown" rather than count an
 * absence. A span that carries {@code memory.key} (memtrace's agent) is left as it is.
 */
public final class StatementKeys {

  static final String DERIVED = "memtrace.derived";
  static final String DERIVED_FROM = "memtrace.derived.from";
  static final String UNKNOWN = "memtrace.unknown";

  private static volatile NamespaceRule rule = NamespaceRule.defaultRule();

  private StatementKeys() {
  }

  /** The rule that names a key's namespace: the collector's configuration ({@code serve --config}). */
  public static void useNamespaceRule(NamespaceRule namespaceRule) {
    rule = namespaceRule;
  }

  /** The namespace of {@code key} by the collector's rule, or null when it has none. */
  static String namespaceOf(String key) {
    return rule.namespace(key);
  }

  /** Whether the span is a Redis client span, by either generation of the conventions. */
  static boolean redis(Map<String, Object> attributes) {
    return redis(attributes.get("db.system.name")) || redis(attributes.get("db.system"));
  }

  private static boolean redis(Object system) {
    return system instanceof String s && s.equalsIgnoreCase("redis");
  }

  /** Adds the facts the statement of a Redis span without {@code memory.key} gives; see the class comment. */
  public static void derive(Map<String, Object> attributes) {
    derive(attributes, null);
  }

  /** {@link #derive(Map)} for a span of the instrumentation scope {@code scope}, whose way of writing is checked. */
  public static void derive(Map<String, Object> attributes, String scope) {
    if (attributes.containsKey("memory.key") || !redis(attributes)) {
      return;
    }
    List<Object> derived = new ArrayList<>();
    where(attributes, derived);
    String from = SpanStatement.attribute(attributes);
    StatementCommand command = from == null ? null : SpanStatement.command(attributes, scope);
    if (command == null) {
      if (!derived.isEmpty()) {
        attributes.put(DERIVED, derived);
      }
      return;
    }
    List<Object> unknown = new ArrayList<>();
    if (!(attributes.get("db.operation.name") instanceof String) && command.known()) {
      put(attributes, "db.operation.name", command.name(), derived);
    }
    List<String> keys = command.keys();
    if (!keys.isEmpty()) {
      String key = keys.get(0);
      if (key == null) {
        unknown.add("memory.key");
      } else {
        put(attributes, "memory.key", key, derived);
        String namespace = rule.namespace(key);
        if (namespace != null) {
          put(attributes, "memory.namespace", namespace, derived);
        }
      }
    }
    CommandSpec.Meaning meaning = command.spec().meaning;
    // words that could be read another way give no TTL or size either: they are read from the words' positions
    boolean readable = command.readable();
    if (meaning.ttl != CommandSpec.Ttl.NONE && !attributes.containsKey("memory.ttl")) {
      long ttl = readable ? CommandEffects.ttlSeconds(command) : -1;
      if (ttl >= 0) {
        put(attributes, "memory.ttl", ttl, derived);
      } else if (!readable || ttlHidden(command)) {
        unknown.add("memory.ttl");
      }
    }
    if (meaning.written != CommandSpec.Written.NONE && !attributes.containsKey("memory.value_size")) {
      if (command.hidesAny() || !readable) {
        unknown.add("memory.value_size");
      } else {
        long written = CommandEffects.writtenBytes(command);
        if (written >= 0) {
          put(attributes, "memory.value_size", written, derived);
        }
      }
    }
    if (!derived.isEmpty()) {
      attributes.put(DERIVED, derived);
    }
    if (!derived.isEmpty() || !keys.isEmpty()) {
      // a command with a key names its statement even when the key was hidden: the report counts those spans apart
      attributes.put(DERIVED_FROM, from);
    }
    if (!unknown.isEmpty()) {
      // one string, not a list: the store keeps it as a typed column (memtrace_unknown) that the key totals read
      attributes.put(UNKNOWN, String.join(",", unknown.stream().map(String::valueOf).toList()));
    }
  }

  /**
   * Whether the statement hid where a TTL would be: the TTL argument itself, or some of the options a TTL is given
   * among. {@code SET k ?} (the Java agent) and {@code set k [1 other arguments]} (Node) hide only the value: the
   * statement shows that the command set no TTL, as plainly as one that hides nothing.
   */
  static boolean ttlHidden(StatementCommand command) {
    if (command.cut()) {
      return true;
    }
    CommandSpec spec = command.spec();
    int args = command.args().size();
    switch (spec.meaning.ttl) {
      case ARG2_SECONDS, ARG2_MILLIS:
        return args > 2 && command.hidden(2);
      case OPTIONS:
        for (int i = spec.optionsFrom; i < args; i++) {
          if (command.hidden(i)) {
            return true;
          }
        }
        return false;
      default:
        // the options follow keys whose number varies: any hidden word may be among them
        return command.hidesAny();
    }
  }

  /**
   * Which Redis the span talked to, in the current conventions' names when it gives them only in the older ones
   * (redis-py's instrumentation: {@code net.peer.name}, {@code net.peer.port}, {@code db.redis.database_index}), so
   * that lineage finds the writes of other services to the same Redis and database.
   */
  private static void where(Map<String, Object> attributes, List<Object> derived) {
    copy(attributes, "net.peer.name", "server.address", derived);
    copy(attributes, "net.peer.port", "server.port", derived);
    if (!attributes.containsKey("db.namespace") && attributes.get("db.redis.database_index") instanceof Number n) {
      // db.namespace is a string in the conventions ("0"), as memtrace's agent writes it
      put(attributes, "db.namespace", String.valueOf(n.longValue()), derived);
    }
  }

  private static void copy(Map<String, Object> attributes, String older, String current, List<Object> derived) {
    Object value = attributes.get(older);
    if (value != null && !attributes.containsKey(current)) {
      put(attributes, current, value, derived);
    }
  }

  private static void put(Map<String, Object> attributes, String key, Object value, List<Object> derived) {
    attributes.put(key, value);
    derived.add(key);
  }
}
