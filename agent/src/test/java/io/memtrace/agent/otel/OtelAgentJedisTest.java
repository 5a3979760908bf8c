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
}
