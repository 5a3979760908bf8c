package io.memtrace.agent.otel;

import io.memtrace.agent.util.AgentLog;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * One span per Redis command when the OpenTelemetry agent runs too, for each client both agents
 * trace (Jedis, Lettuce, Redisson): memtrace's span stands (it carries what only the reply tells:
 * found, TTL, value size) and the OpenTelemetry agent's instrumentation of that client stays out.
 * When memtrace starts first, that agent has not read its configuration yet, so memtrace switches
 * the instrumentation off by its own setting, {@code otel.instrumentation.<client>.enabled}, unless
 * the user has set it or its environment variable (then the user's choice stands). When the
 * OpenTelemetry agent started first it is too late for that: {@link ClientSpanSuppressor} keeps
 * its spans from starting instead, for the clients the user left alone.
 */
public final class OtelAgentClients {

  /**
   * The clients both agents trace, named as the OpenTelemetry agent names its instrumentation of
   * each. Apart from the bootstrap's {@code OtelSuppressor.Client} of the same names, which the
   * advice uses, because the extension reads these before memtrace's bootstrap classes exist.
   */
  public enum Client {
    JEDIS, LETTUCE, REDISSON
  }

  /** The clients {@link #leaveToMemtrace} switched off, until {@link #announce} has said so. */
  private static volatile List<Client> unannounced = List.of();

  private OtelAgentClients() {
  }

  /**
   * Called in premain with memtrace's Redis tracing on: sets each client's {@link #property} to
   * {@code false} unless the user set it or the OpenTelemetry agent has already started. Quietly: most
   * JVMs run no OpenTelemetry agent, and the setting then means nothing; {@link #announce} says it once one
   * starts.
   *
   * @return the clients it was set for
   */
  public static List<Client> leaveToMemtrace(Properties properties, Map<String, String> env) {
    List<Client> left = new ArrayList<>();
    if (OtelApi.agents().present()) {
      return left;
    }
    for (Client client : unchosen(properties, env)) {
      properties.setProperty(property(client), "false");
      left.add(client);
    }
    unannounced = List.copyOf(left);
    return left;
  }

  /**
   * An OpenTelemetry agent has started after memtrace: says, once, what {@link #leaveToMemtrace} set for it.
   *
   * @return the lines logged (none when nothing was set, or it was said already)
   */
  public static synchronized List<String> announce() {
    List<String> lines = new ArrayList<>();
    for (Client client : unannounced) {
      lines.add("set " + property(client) + "=false: an OpenTelemetry agent starting after memtrace leaves "
          + displayName(client) + " to memtrace, so each command gets one span (set it, or " + env(client)
          + ", to choose otherwise)");
    }
    unannounced = List.of();
    lines.forEach(AgentLog::info);
    return lines;
  }

  /**
   * Every client's {@link #property} set to {@code false}: the defaults memtrace gives the
   * OpenTelemetry agent as its extension, under the user's own settings.
   */
  public static Map<String, String> allLeftToMemtrace() {
    Map<String, String> defaults = new LinkedHashMap<>();
    for (Client client : Client.values()) {
      defaults.put(property(client), "false");
    }
    return defaults;
  }

  /** The clients whose OpenTelemetry instrumentation the user did not switch on or off. */
  static List<Client> unchosen(Properties properties, Map<String, String> env) {
    List<Client> unchosen = new ArrayList<>();
    for (Client client : Client.values()) {
      if (properties.getProperty(property(client)) == null && env.get(env(client)) == null) {
        unchosen.add(client);
      }
    }
    return unchosen;
  }

  /** The OpenTelemetry agent's switch for its instrumentation of {@code client}: {@code otel.instrumentation.jedis.enabled}... */
  static String property(Client client) {
    return "otel.instrumentation." + client.name().toLowerCase(Locale.ROOT) + ".enabled";
  }

  /** The environment variable for {@link #property}, e.g. {@code OTEL_INSTRUMENTATION_JEDIS_ENABLED}. */
  static String env(Client client) {
    return "OTEL_INSTRUMENTATION_" + client.name() + "_ENABLED";
  }

  /** The client's name as its users write it: {@code Jedis}, {@code Lettuce}, {@code Redisson}. */
  static String displayName(Client client) {
    return client.name().charAt(0) + client.name().substring(1).toLowerCase(Locale.ROOT);
  }
}
