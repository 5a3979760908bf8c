package io.memtrace.otel;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.agent.config.ConfigLoader;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class MemtraceCustomizerTest {

  @Test
  void shouldDefaultTheAgentsJedisLettuceAndRedissonInstrumentationOffWhileMemtraceTracesRedis() {
    assertThat(MemtraceCustomizer.redisClientDefaults(ConfigLoader.load(null, Map.of(), new Properties())))
        .containsOnly(Map.entry("otel.instrumentation.jedis.enabled", "false"),
            Map.entry("otel.instrumentation.lettuce.enabled", "false"),
            Map.entry("otel.instrumentation.redisson.enabled", "false"));
  }

  @Test
  void shouldLeaveThemAloneWhenMemtraceDoesNotTraceRedis() {
    assertThat(MemtraceCustomizer.redisClientDefaults(
        ConfigLoader.load(null, Map.of("MEMTRACE_REDIS_ENABLED", "false"), new Properties()))).isEmpty();
  }
}
