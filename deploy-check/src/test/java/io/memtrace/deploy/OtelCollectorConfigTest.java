package io.memtrace.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * otel-collector-config.yaml parses, its pipelines use only components it defines, in a sensible
 * order, and every address in it is one the compose stack really serves.
 */
class OtelCollectorConfigTest {

  private static final String FILE = "otel-collector-config.yaml";

  private final Map<String, Object> config = Repo.composeYaml(FILE);
  private final ComposeFile compose = new ComposeFile();

  @Test
  void shouldBeTheFileTheCollectorContainerLoads() {
    String flag = compose.commandOption("otel-collector", "--config")
        .orElseThrow(() -> new AssertionError("otel-collector is started without --config"));
    Path mounted = compose.hostPath("otel-collector", flag)
        .orElseThrow(() -> new AssertionError("otel-collector's " + flag + " is not mounted from the repository"));
    assertThat(mounted).isEqualTo(Repo.path(FILE));
  }

  @Test
  void shouldReferOnlyToComponentsItDefines() {
    Map<String, Object> pipelines = pipelines();
    assertThat(pipelines).as("pipelines").containsKeys("traces", "metrics");
    pipelines.forEach((name, value) -> {
      Map<String, Object> pipeline = Repo.map(value, "pipeline " + name);
      assertThat(ids(pipeline, "receivers")).as("%s receivers", name).isNotEmpty();
      assertThat(ids(pipeline, "exporters")).as("%s exporters", name).isNotEmpty();
      for (String kind : List.of("receivers", "processors", "exporters")) {
        for (String id : ids(pipeline, kind)) {
          boolean defined = Repo.map(config.get(kind), kind).containsKey(id)
              || (!kind.equals("processors") && Repo.map(config.get("connectors"), "connectors").containsKey(id));
          assertThat(defined).as("pipeline %s uses %s '%s', which %s does not define", name, kind, id, FILE).isTrue();
        }
      }
    });
    for (Object extension : Repo.list(service().get("extensions"), "service.extensions")) {
      assertThat(Repo.map(config.get("extensions"), "extensions")).as("service.extensions").containsKey(String.valueOf(extension));
    }
  }

  @Test
  void shouldLimitMemoryBeforeBatching() {
    pipelines().forEach((name, value) -> {
      List<String> processors = ids(Repo.map(value, name), "processors");
      assertThat(processors).as("%s processors", name).contains("memory_limiter", "batch");
      assertThat(processors.get(0)).as("%s: memory_limiter comes first", name).isEqualTo("memory_limiter");
      assertThat(processors.indexOf("memory_limiter")).isLessThan(processors.indexOf("batch"));
    });
  }

  @Test
  void shouldEnableTheHealthCheckExtension() {
    assertThat(Repo.map(config.get("extensions"), "extensions")).containsKey("health_check");
    assertThat(Repo.list(service().get("extensions"), "service.extensions")).contains("health_check");
    int port = listenPort(Repo.map(Repo.map(config.get("extensions"), "extensions").get("health_check"), "health_check"));
    int waited = ComposeFile.hostAndPort(compose.environment("demo-app").get("DEMO_WAIT_FOR")).getValue();
    assertThat(waited).as("the demo waits for the health check's port").isEqualTo(port);
  }

  @Test
  void shouldReceiveOtlpOnGrpcAndHttpWhereTheAgentSends() {
    Map<String, Object> protocols = Repo.map(Repo.map(Repo.map(config.get("receivers"), "receivers").get("otlp"), "otlp")
        .get("protocols"), "otlp.protocols");
    assertThat(listenPort(Repo.map(protocols.get("grpc"), "grpc"))).isEqualTo(4317);
    int http = listenPort(Repo.map(protocols.get("http"), "http"));
    assertThat(http).isEqualTo(4318);
    Map.Entry<String, Integer> target = ComposeFile.hostAndPort(compose.environment("demo-app").get("OTEL_EXPORTER_OTLP_ENDPOINT"));
    assertThat(target).as("the agent speaks http/protobuf to the http receiver").isEqualTo(Map.entry("otel-collector", http));
  }

  @Test
  void shouldListenOnEveryInterfaceInsideItsContainer() {
    List<String> endpoints = new ArrayList<>();
    collectListenEndpoints(config.get("receivers"), endpoints);
    collectListenEndpoints(config.get("extensions"), endpoints);
    endpoints.add(String.valueOf(Repo.map(exporters().get("prometheus"), "prometheus").get("endpoint")));
    // since 0.110 a bare port or a missing endpoint means localhost, which no other container reaches
    assertThat(endpoints).isNotEmpty().allSatisfy(e -> assertThat(e).startsWith("0.0.0.0:"));
  }

  @Test
  void shouldExportTracesToJaegerAndBothSignalsToTheMemtraceCollector() {
    assertThat(exporterIds("traces")).contains("otlp/jaeger").anyMatch(id -> id.startsWith("otlphttp"));
    assertThat(exporterIds("metrics")).contains("prometheus").anyMatch(id -> id.startsWith("otlphttp"));
    assertThat(exporterIds("traces")).doesNotContain("prometheus");
    assertThat(exporterIds("metrics")).doesNotContain("otlp/jaeger");
    assertThat(pipelines().values()).as("debug is off by default")
        .allSatisfy(p -> assertThat(ids(Repo.map(p, "pipeline"), "exporters")).noneMatch(id -> id.startsWith("debug")));

    Map<String, Object> jaeger = Repo.map(exporters().get("otlp/jaeger"), "otlp/jaeger");
    Map.Entry<String, Integer> jaegerAddress = ComposeFile.hostAndPort(String.valueOf(jaeger.get("endpoint")));
    assertThat(jaegerAddress).isEqualTo(Map.entry("jaeger", 4317));
    // Jaeger v2 runs deploy/jaeger/config.yaml, mounted where its --config points, with an OTLP gRPC receiver there
    String flag = compose.commandOption("jaeger", "--config")
        .orElseThrow(() -> new AssertionError("jaeger is started without --config"));
    assertThat(compose.hostPath("jaeger", flag)).as("jaeger's --config, mounted from the repository")
        .contains(Repo.path("deploy/jaeger/config.yaml"));
    Map<String, Object> jaegerConfig = Repo.composeYaml("deploy/jaeger/config.yaml");
    Map<String, Object> otlp = Repo.map(Repo.map(Repo.map(jaegerConfig.get("receivers"), "receivers").get("otlp"),
        "otlp").get("protocols"), "protocols");
    assertThat(String.valueOf(Repo.map(otlp.get("grpc"), "grpc").get("endpoint"))).isEqualTo("0.0.0.0:4317");
    assertThat(String.valueOf(Repo.map(Repo.map(jaegerConfig.get("service"), "service").get("pipelines"), "pipelines")
        .get("traces"))).contains("otlp");

    for (String id : exporters().keySet()) {
      if (id.startsWith("otlphttp")) {
        Map.Entry<String, Integer> address = ComposeFile.hostAndPort(
            String.valueOf(Repo.map(exporters().get(id), id).get("endpoint")));
        assertThat(address.getKey()).isEqualTo("memtrace-collector");
        assertThat(compose.commandOption("memtrace-collector", "--port")).as("memtrace-collector --port")
            .contains(String.valueOf(address.getValue()));
        assertThat(compose.commandOption("memtrace-collector", "--bind")).contains("0.0.0.0");
      }
    }
  }

  @Test
  void shouldServeMetricsWherePrometheusScrapes() {
    int port = listenPort(Repo.map(exporters().get("prometheus"), "prometheus"));
    assertThat(PrometheusTargets.all()).contains("otel-collector:" + port);
    assertThat(compose.serviceNames()).contains("otel-collector");
  }

  private Map<String, Object> service() {
    return Repo.map(config.get("service"), "service");
  }

  private Map<String, Object> pipelines() {
    return Repo.map(service().get("pipelines"), "service.pipelines");
  }

  private Map<String, Object> exporters() {
    return Repo.map(config.get("exporters"), "exporters");
  }

  private List<String> exporterIds(String pipeline) {
    return ids(Repo.map(pipelines().get(pipeline), pipeline), "exporters");
  }

  private static List<String> ids(Map<String, Object> pipeline, String kind) {
    List<String> out = new ArrayList<>();
    Repo.list(pipeline.get(kind), kind).forEach(id -> out.add(String.valueOf(id)));
    return out;
  }

  private static int listenPort(Map<String, Object> component) {
    Object endpoint = component.get("endpoint");
    assertThat(endpoint).as("endpoint of %s", component).isNotNull();
    String s = String.valueOf(endpoint);
    return Integer.parseInt(s.substring(s.lastIndexOf(':') + 1));
  }

  /** Every {@code endpoint} under receivers or extensions: each is an address something listens on. */
  private static void collectListenEndpoints(Object node, List<String> out) {
    if (node instanceof Map<?, ?> m) {
      m.forEach((k, v) -> {
        if ("endpoint".equals(k)) {
          out.add(String.valueOf(v));
        } else {
          collectListenEndpoints(v, out);
        }
      });
    }
  }
}
