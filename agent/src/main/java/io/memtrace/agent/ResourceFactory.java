package io.memtrace.agent;

import io.memtrace.agent.export.OtelSettings;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.resources.Resource;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** The resource every span carries: {@code OTEL_SERVICE_NAME}, {@code OTEL_RESOURCE_ATTRIBUTES} and memtrace's own. */
final class ResourceFactory {

  private ResourceFactory() {
  }

  static Resource create(OtelSettings settings, String version) {
    AttributesBuilder attrs = Attributes.builder()
        .put("telemetry.sdk.name", "opentelemetry")
        .put("telemetry.sdk.language", "java")
        .put("telemetry.distro.name", "memtrace")
        .put("telemetry.distro.version", version)
        .put("process.pid", ProcessHandle.current().pid())
        .put("process.runtime.version", System.getProperty("java.runtime.version", "unknown"));
    String service = null;
    String resourceAttributes = settings.get("otel.resource.attributes");
    if (resourceAttributes != null) {
      for (String pair : resourceAttributes.split(",")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          String key = decode(pair.substring(0, eq).trim());
          String value = decode(pair.substring(eq + 1).trim());
          attrs.put(key, value);
          if (key.equals("service.name")) {
            service = value;
          }
        }
      }
    }
    String explicit = settings.get("otel.service.name");
    attrs.put("service.name", explicit != null ? explicit : service != null ? service : "unknown_service:java");
    return Resource.create(attrs.build());
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
