package io.memtrace.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.agent.config.ConfigLoader;
import io.memtrace.agent.config.MemtraceConfig;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.resources.Resource;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Where {@code service.name} comes from, the memtrace-only twins first. */
class ResourceFactoryTest {

  private static String serviceName(Map<String, String> env) {
    MemtraceConfig config = ConfigLoader.load(null, env, new Properties()).config();
    Resource resource = ResourceFactory.create(config, "test");
    return resource.getAttribute(AttributeKey.stringKey("service.name"));
  }

  @Test
  void shouldTakeTheNameFromTheFirstThatHasIt() {
    assertThat(serviceName(Map.of())).isEqualTo("unknown_service:java");
    assertThat(serviceName(Map.of("OTEL_RESOURCE_ATTRIBUTES", "service.name=a"))).isEqualTo("a");
    assertThat(serviceName(Map.of("OTEL_RESOURCE_ATTRIBUTES", "service.name=a", "OTEL_SERVICE_NAME", "b")))
        .isEqualTo("b");
    assertThat(serviceName(Map.of("OTEL_SERVICE_NAME", "b",
        "MEMTRACE_RESOURCE_ATTRIBUTES", "service.name=c"))).isEqualTo("c");
    assertThat(serviceName(Map.of("OTEL_SERVICE_NAME", "b", "MEMTRACE_RESOURCE_ATTRIBUTES", "service.name=c",
        "MEMTRACE_SERVICE_NAME", "d"))).isEqualTo("d");
  }

  @Test
  void shouldKeepTheOpenTelemetryNameWhenTheTwinAttributesHaveNone() {
    assertThat(serviceName(Map.of("OTEL_SERVICE_NAME", "b", "MEMTRACE_RESOURCE_ATTRIBUTES", "team=memory")))
        .isEqualTo("b");
  }

  @Test
  void shouldReplaceTheOpenTelemetryAttributesWithTheTwin() {
    MemtraceConfig config = ConfigLoader.load(null, Map.of("OTEL_RESOURCE_ATTRIBUTES", "team=app,zone=a",
        "MEMTRACE_RESOURCE_ATTRIBUTES", "team=memory"), new Properties()).config();
    Resource resource = ResourceFactory.create(config, "test");

    assertThat(resource.getAttribute(AttributeKey.stringKey("team"))).isEqualTo("memory");
    assertThat(resource.getAttribute(AttributeKey.stringKey("zone"))).isNull();
  }
}
