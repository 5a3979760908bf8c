package io.memtrace.agent.otel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class OtelAgentJedisTest {

  @Test
  void shouldSwitchTheOpenTelemetryAgentsJedisInstrumentationOffWhenTheUserLeftItAlone() {
    Properties properties = new Properties();

    assertThat(OtelAgentJedis.leaveJedisToMemtrace(properties, Map.of())).isTrue();

    assertThat(properties.getProperty("otel.instrumentation.jedis.enabled")).isEqualTo("false");
  }

  @Test
  void shouldLeaveTheUsersChoiceByPropertyOrEnvironment() {
    Properties properties = new Properties();
    properties.setProperty("otel.instrumentation.jedis.enabled", "true");
    assertThat(OtelAgentJedis.leaveJedisToMemtrace(properties, Map.of())).isFalse();
    assertThat(properties.getProperty("otel.instrumentation.jedis.enabled")).isEqualTo("true");

    Properties none = new Properties();
    Map<String, String> env = Map.of("OTEL_INSTRUMENTATION_JEDIS_ENABLED", "true");
    assertThat(OtelAgentJedis.leaveJedisToMemtrace(none, env)).isFalse();
    assertThat(none).isEmpty();
    assertThat(OtelAgentJedis.userChose(none, env)).isTrue();
    assertThat(OtelAgentJedis.userChose(new Properties(), Map.of())).isFalse();
  }

  @Test
  void shouldSwitchTheOpenTelemetryAgentsLettuceInstrumentationOffUnlessTheUserChose() {
    Properties properties = new Properties();
    assertThat(OtelAgentJedis.leaveLettuceToMemtrace(properties, Map.of())).isTrue();
    assertThat(properties.getProperty("otel.instrumentation.lettuce.enabled")).isEqualTo("false");
    assertThat(properties.getProperty("otel.instrumentation.jedis.enabled")).as("decided on its own").isNull();

    Properties chosen = new Properties();
    chosen.setProperty("otel.instrumentation.lettuce.enabled", "true");
    assertThat(OtelAgentJedis.leaveLettuceToMemtrace(chosen, Map.of())).isFalse();
    assertThat(chosen.getProperty("otel.instrumentation.lettuce.enabled")).isEqualTo("true");
    Map<String, String> env = Map.of("OTEL_INSTRUMENTATION_LETTUCE_ENABLED", "true");
    assertThat(OtelAgentJedis.leaveLettuceToMemtrace(new Properties(), env)).isFalse();
    assertThat(OtelAgentJedis.userChoseLettuce(new Properties(), env)).isTrue();
    assertThat(OtelAgentJedis.userChose(new Properties(), env)).as("Jedis stays unchosen").isFalse();
  }
}
