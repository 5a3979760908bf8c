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
 * builds from their Go modules (and StackIT runs), and the component modules of deploy/otelcol/builder.yaml.
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

  @Test
  void shouldBuildEveryComponentTheCollectorConfigUsesAndNoOther() {
    Map<String, Object> config = Repo.composeYaml("otel-collector-config.yaml");
    Map<String, Object> manifest = Repo.yaml("deploy/otelcol/builder.yaml");
    // a component's type is its id before '/'; a module's type is its last path element less its kind's suffix
    Map<String, String> suffixes = Map.of("receivers", "receiver", "processors", "processor", "exporters", "exporter",
        "extensions", "extension");
    for (Map.Entry<String, String> kind : suffixes.entrySet()) {
      List<String> built = Repo.list(manifest.get(kind.getKey()), kind.getKey()).stream()
          .map(c -> String.valueOf(Repo.map(c, kind.getKey()).get("gomod")).split(" ")[0])
          .map(module -> module.substring(module.lastIndexOf('/') + 1))
          .map(module -> module.substring(0, module.length() - kind.getValue().length())).sorted().toList();
      List<String> used = Repo.map(config.get(kind.getKey()), kind.getKey()).keySet().stream()
          .map(id -> id.split("/")[0].replace("_", "")).distinct().sorted().toList();
      assertThat(built).as("the %s built, against those otel-collector-config.yaml defines", kind.getKey())
          .isEqualTo(used);
    }
  }
}
