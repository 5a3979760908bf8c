package io.memtrace.agent.otel;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.agent.bootstrap.OtelSuppressor;
import io.memtrace.agent.otel.OtelAgentClients.Client;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class OtelAgentClientsTest {

  @Test
  void shouldSwitchTheOpenTelemetryAgentsJedisLettuceAndRedissonInstrumentationOffWhenTheUserLeftThemAlone() {
    Properties properties = new Properties();

    assertThat(OtelAgentClients.leaveToMemtrace(properties, Map.of()))
        .containsExactly(Client.JEDIS, Client.LETTUCE, Client.REDISSON);

    assertThat(properties).containsOnly(Map.entry("otel.instrumentation.jedis.enabled", "false"),
        Map.entry("otel.instrumentation.lettuce.enabled", "false"),
        Map.entry("otel.instrumentation.redisson.enabled", "false"));
  }

  @Test
  void shouldSayWhatItSetOnlyOnceAnOpenTelemetryAgentStartsAndOnlyOnce() {
    OtelAgentClients.announce(); // whatever an earlier test left
    Properties properties = new Properties();
    properties.setProperty("otel.instrumentation.lettuce.enabled", "true");
    OtelAgentClients.leaveToMemtrace(properties, Map.of());

    assertThat(OtelAgentClients.announce()).containsExactly(
        "set otel.instrumentation.jedis.enabled=false: an OpenTelemetry agent starting after memtrace leaves Jedis to "
            + "memtrace, so each command gets one span (set it, or OTEL_INSTRUMENTATION_JEDIS_ENABLED, to choose otherwise)",
        "set otel.instrumentation.redisson.enabled=false: an OpenTelemetry agent starting after memtrace leaves "
            + "Redisson to memtrace, so each command gets one span (set it, or OTEL_INSTRUMENTATION_REDISSON_ENABLED, to "
            + "choose otherwise)");
    assertThat(OtelAgentClients.announce()).as("said once").isEmpty();
  }

  @Test
  void shouldLeaveTheUsersChoiceByPropertyStandingAndDecideTheOthersOnTheirOwn() {
    Properties properties = new Properties();
    properties.setProperty("otel.instrumentation.redisson.enabled", "true");

    assertThat(OtelAgentClients.leaveToMemtrace(properties, Map.of())).containsExactly(Client.JEDIS, Client.LETTUCE);

    assertThat(properties.getProperty("otel.instrumentation.redisson.enabled")).isEqualTo("true");
    assertThat(properties.getProperty("otel.instrumentation.jedis.enabled")).isEqualTo("false");
  }

  @Test
  void shouldLeaveTheUsersChoiceByEnvironmentStandingWithoutSettingTheProperty() {
    Properties none = new Properties();
    Map<String, String> env = Map.of("OTEL_INSTRUMENTATION_JEDIS_ENABLED", "true",
        "OTEL_INSTRUMENTATION_LETTUCE_ENABLED", "false", "OTEL_INSTRUMENTATION_REDISSON_ENABLED", "true");

    assertThat(OtelAgentClients.leaveToMemtrace(none, env)).isEmpty();

    assertThat(none).isEmpty();
    assertThat(OtelAgentClients.unchosen(none, env)).isEmpty();
  }

  @Test
  void shouldNameOnlyTheClientsTheUserLeftAloneAsUnchosen() {
    Map<String, String> env = Map.of("OTEL_INSTRUMENTATION_LETTUCE_ENABLED", "true");

    assertThat(OtelAgentClients.unchosen(new Properties(), env)).containsExactly(Client.JEDIS, Client.REDISSON);
    assertThat(OtelAgentClients.unchosen(new Properties(), Map.of())).containsExactly(Client.values());
  }

  @Test
  void shouldSpellEachClientsSettingAsTheOpenTelemetryAgentReadsIt() {
    assertThat(OtelAgentClients.property(Client.REDISSON)).isEqualTo("otel.instrumentation.redisson.enabled");
    assertThat(OtelAgentClients.env(Client.REDISSON)).isEqualTo("OTEL_INSTRUMENTATION_REDISSON_ENABLED");
    assertThat(OtelAgentClients.displayName(Client.LETTUCE)).isEqualTo("Lettuce");
  }

  @Test
  void shouldNameTheSameClientsAsTheSuppressorsTheAdviceUses() {
    assertThat(Arrays.stream(Client.values()).map(Client::name))
        .containsExactlyElementsOf(Arrays.stream(OtelSuppressor.Client.values()).map(Enum::name)::iterator);
  }

  @Test
  void shouldListTheSuppressedClientsInTheStartUpLine() {
    assertThat(OtelApiWatcher.names(List.of(Client.REDISSON))).isEqualTo("Redisson");
    assertThat(OtelApiWatcher.names(List.of(Client.JEDIS, Client.REDISSON))).isEqualTo("Jedis and Redisson");
    assertThat(OtelApiWatcher.names(List.of(Client.values()))).isEqualTo("Jedis, Lettuce and Redisson");
  }
}
