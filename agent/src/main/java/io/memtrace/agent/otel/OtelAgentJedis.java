package io.memtrace.agent.otel;

import io.memtrace.agent.util.AgentLog;
import java.util.Map;
import java.util.Properties;

/**
 * One span per Jedis (and Lettuce) command when the OpenTelemetry agent runs too: memtrace's span stands (it
 * carries what only the reply tells: found, TTL, value size) and the OpenTelemetry agent's Jedis
 * instrumentation stays out. When memtrace starts first, that agent has not read its configuration
 * yet, so memtrace switches the instrumentation off by its own setting, unless the user has set it
 * (then the user's choice stands). When the OpenTelemetry agent started first it is too late for
 * that: {@link JedisSpanSuppressor} keeps its Jedis spans from starting instead.
 */
public final class OtelAgentJedis {

  static final String PROPERTY = "otel.instrumentation.jedis.enabled";
  static final String ENV = "OTEL_INSTRUMENTATION_JEDIS_ENABLED";
  /** The same for the OpenTelemetry agent's Lettuce instrumentation, decided on its own. */
  static final String LETTUCE_PROPERTY = "otel.instrumentation.lettuce.enabled";
  static final String LETTUCE_ENV = "OTEL_INSTRUMENTATION_LETTUCE_ENABLED";

  private OtelAgentJedis() {
  }

  /**
   * Called in premain with memtrace's Redis tracing on: sets {@value #PROPERTY} to {@code false}
   * unless the user set it or the OpenTelemetry agent has already started.
   *
   * @return whether it was set
   */
  public static boolean leaveJedisToMemtrace(Properties properties, Map<String, String> env) {
    return leaveToMemtrace("Jedis", PROPERTY, ENV, properties, env);
  }

  /** {@link #leaveJedisToMemtrace} for Lettuce: {@value #LETTUCE_PROPERTY}. */
  public static boolean leaveLettuceToMemtrace(Properties properties, Map<String, String> env) {
    return leaveToMemtrace("Lettuce", LETTUCE_PROPERTY, LETTUCE_ENV, properties, env);
  }

  private static boolean leaveToMemtrace(String client, String property, String envName,
      Properties properties, Map<String, String> env) {
    if (properties.getProperty(property) != null || env.get(envName) != null || OtelApi.agents().present()) {
      return false;
    }
    properties.setProperty(property, "false");
    AgentLog.info("set " + property + "=false: an OpenTelemetry agent starting after memtrace leaves "
        + client + " to memtrace, so each command gets one span (set it, or " + envName + ", to choose otherwise)");
    return true;
  }

  /** Whether the user set {@value #PROPERTY} (or {@value #ENV}): then that choice stands. */
  static boolean userChose(Properties properties, Map<String, String> env) {
    return properties.getProperty(PROPERTY) != null || env.get(ENV) != null;
  }

  /** Whether the user set {@value #LETTUCE_PROPERTY} (or {@value #LETTUCE_ENV}). */
  static boolean userChoseLettuce(Properties properties, Map<String, String> env) {
    return properties.getProperty(LETTUCE_PROPERTY) != null || env.get(LETTUCE_ENV) != null;
  }
}
