package io.memtrace.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The versions the deployment runs are one set: the images docker-compose.yml pins, the programs deploy/stack.sh
 * builds from their Go modules (and StackIT runs), and the component modules of deploy/otelcol/builder.yaml, which
 * serve both collector configurations: the sidecar stack's and the fleet gateway's.
 */
class StackVersionsTest {

  private final ComposeFile compose = new ComposeFile();

  /** {@code deploy/stack.sh versions}, read from the script's own assignments: name to version. */
  static Map<String, String> stackVersions() {
    Map<String, String> versions = new LinkedHashMap<>();
    Matcher m = Pattern.compile("(?m)^(OTELCOL|JAEGER|PROMETHEUS)_VERSION=(\\S+)").matcher(Repo.read("deploy/stack.sh"));
    while (m.find()) {
      versions.put(m.group(1).toLowerCase(java.util.Locale.ROOT), m.group(2));
    }
    return versions;
  }

  @Test
  void shouldPinInComposeExactlyTheVersionsTheStackTestRuns() {
    Map<String, String> built = stackVersions();
    assertThat(built).containsOnlyKeys("otelcol", "jaeger", "prometheus");
    assertThat(compose.image("otel-collector")).isEqualTo("otel/opentelemetry-collector-contrib:" + built.get("otelcol"));
    assertThat(compose.image("jaeger")).as("Jaeger v2, not the v1 all-in-one")
        .isEqualTo("jaegertracing/jaeger:" + built.get("jaeger")).startsWith("jaegertracing/jaeger:2.");
    assertThat(compose.image("prometheus")).isEqualTo("prom/prometheus:v" + built.get("prometheus"));
  }

  @Test
  void shouldRunTheFleetProfileOnTheSameReleasesAndOneClickHouseRelease() {
    assertThat(compose.image("otel-gateway")).as("the gateway is the collector StackIT builds")
        .isEqualTo(compose.image("otel-collector"));
    assertThat(compose.image("grafana-fleet")).isEqualTo(compose.image("grafana"));
    assertThat(compose.image("clickhouse-init")).isEqualTo(compose.image("memtrace-collector"));
    assertThat(compose.image("memtrace-query")).isEqualTo(compose.image("memtrace-collector"));
    assertThat(compose.image("demo-app-fleet")).isEqualTo(compose.image("demo-app"));
    Matcher server = Pattern.compile("clickhouse/clickhouse-server:(\\d+)\\.\\d+\\.\\d+")
        .matcher(compose.image("clickhouse"));
    assertThat(server.matches()).as("a ClickHouse release, to the patch: %s", compose.image("clickhouse")).isTrue();
    // a release that reads the exporter's schema (Map columns, JSON); the engine the tests run is 26.9
    assertThat(Integer.parseInt(server.group(1))).isGreaterThanOrEqualTo(25);
    assertThat(compose.image("clickhouse-keeper")).as("Keeper of the server's release")
        .isEqualTo(compose.image("clickhouse").replace("clickhouse-server", "clickhouse-keeper"));
  }

  @Test
  void shouldBuildTheCollectorFromComponentsOfThatOneRelease() {
    String version = stackVersions().get("otelcol");
    Map<String, Object> manifest = Repo.yaml("deploy/otelcol/builder.yaml");
    assertThat(Repo.map(manifest.get("dist"), "dist").get("version")).isEqualTo(version);
    for (String kind : List.of("receivers", "processors", "exporters", "extensions")) {
      for (Object component : Repo.list(manifest.get(kind), kind)) {
        String gomod = String.valueOf(Repo.map(component, kind).get("gomod"));
        assertThat(gomod).as("%s", kind).endsWith(" v" + version);
      }
    }
  }

  /** The collector configurations the built binary runs: the sidecar stack's and the fleet gateway's. */
  static final List<String> COLLECTOR_CONFIGS = List.of("otel-collector-config.yaml", "deploy/otelcol/fleet-gateway.yaml");

  @Test
  void shouldBuildEveryComponentTheCollectorConfigsUseAndNoOther() {
    Map<String, Object> manifest = Repo.yaml("deploy/otelcol/builder.yaml");
    // a component's type is its id before '/'; a module's type is its last path element less its kind's suffix
    // (filestorage, whose module is extension/storage/filestorage, has none)
    Map<String, String> suffixes = Map.of("receivers", "receiver", "processors", "processor", "exporters", "exporter",
        "extensions", "extension");
    for (Map.Entry<String, String> kind : suffixes.entrySet()) {
      List<String> built = Repo.list(manifest.get(kind.getKey()), kind.getKey()).stream()
          .map(c -> String.valueOf(Repo.map(c, kind.getKey()).get("gomod")).split(" ")[0])
          .map(module -> module.substring(module.lastIndexOf('/') + 1))
          .map(module -> module.endsWith(kind.getValue())
              ? module.substring(0, module.length() - kind.getValue().length()) : module).sorted().toList();
      java.util.TreeSet<String> used = new java.util.TreeSet<>();
      for (String file : COLLECTOR_CONFIGS) {
        Repo.map(Repo.composeYaml(file).get(kind.getKey()), kind.getKey()).keySet()
            .forEach(id -> used.add(id.split("/")[0].replace("_", "")));
      }
      assertThat(built).as("the %s built, against those %s define", kind.getKey(), COLLECTOR_CONFIGS)
          .isEqualTo(List.copyOf(used));
    }
  }
}
