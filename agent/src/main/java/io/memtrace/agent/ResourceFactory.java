package io.memtrace.agent;

import io.memtrace.agent.config.MemtraceConfig;
import io.memtrace.agent.config.OtelSettings;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.resources.Resource;
import java.util.Map;

/** The resource every span carries: {@code OTEL_SERVICE_NAME}, {@code OTEL_RESOURCE_ATTRIBUTES} and memtrace's own. */
final class ResourceFactory {

  private ResourceFactory() {
  }

  static Resource create(MemtraceConfig config, String version) {
    AttributesBuilder attrs = Attributes.builder()
        .put("telemetry.sdk.name", "opentelemetry")
        .put("telemetry.sdk.language", "java")
        .put("telemetry.distro.name", "memtrace")
        .put("telemetry.distro.version", version)
        .put("process.pid", ProcessHandle.current().pid())
        .put("process.runtime.version", System.getProperty("java.runtime.version", "unknown"));
    Map<String, String> given = config.get(OtelSettings.RESOURCE_ATTRIBUTES);
    given.forEach(attrs::put);
    String explicit = config.get(OtelSettings.SERVICE_NAME);
    String fromAttributes = given.get("service.name");
    attrs.put("service.name", explicit != null ? explicit
        : fromAttributes != null ? fromAttributes : "unknown_service:java");
    return Resource.create(attrs.build());
  }
}
