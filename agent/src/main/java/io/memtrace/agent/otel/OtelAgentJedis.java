package io.memtrace.agent.otel;

import io.memtrace.agent.util.AgentLog;
import java.util.Map;
import java.util.Properties;

/**
 * One span per Jedis command when the OpenTelemetry agent runs too: memtrace's span stands (it
 * carries what only the reply tells: found, TTL, value size) and the OpenTelemetry agent's Jedis
 * instrumentation stays out. When memtrace starts first, that agent has not read its configuration
 * yet, so memtrace switches the instrumentation off by its own setting, unless the user has set it
 * (then the user's choice stands). When the OpenTelemetry agent started first it is too late for
 * that: {@link JedisSpanSuppressor} keeps its Jedis spans from starting instead.
 */
public final class OtelAgentJedis {

  static final String PROPERTY = "otel.instrumentation.jedis.enabled";
  static final String ENV = "OTEL_INSTRUMENTATION_JEDIS_ENABLED";

  private OtelAgentJedis() {
  }

  /**
   * Called in premain with memtrace's Redis tracing on: sets {@value #PROPERTY} to {@code false}
   * unless the user set it or the OpenTelemetry agent has already started.
   *
   * @return whether it was set
   */
  public static boolean leaveJedisToMemtrace(Properties properties, Map<String, String> env) {
    if (userChose(properties, env) || OtelApi.agents().present()) {
      return false;
    }
    properties.setProperty(PROPERTY, "false");
    AgentLog.info("set " + PROPERTY + "=false: an OpenTelemetry agent starting after memtrace leaves "
        + "Jedis to memtrace, so each command gets one span (set it, or " + ENV + ", to choose otherwise)");
    return true;
  }

  /** Whether the user set {@value #PROPERTY} (or {@value #ENV}): then that choice stands. */
  static boolean userChose(Properties properties, Map<String, String> env) {
    return properties.getProperty(PROPERTY) != null || env.get(ENV) != null;
  }
}
