package io.memtrace.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Grafana: the datasource and the dashboards are provisioned from files the container really sees. */
class GrafanaProvisioningTest {

  private static final String PROVISIONING = "/etc/grafana/provisioning";

  private final ComposeFile compose = new ComposeFile();

  @Test
  void shouldProvisionThePrometheusDatasourceEveryQueryUses() throws IOException {
    Set<String> uids = new HashSet<>();
    for (Map<String, Object> ds : provisioned("datasources", "datasources")) {
      if ("prometheus".equals(ds.get("type"))) {
        uids.add(String.valueOf(ds.get("uid")));
        assertThat(ComposeFile.hostAndPort(String.valueOf(ds.get("url"))).getKey()).isEqualTo("prometheus");
      }
    }
    assertThat(uids).as("provisioned Prometheus datasources").isNotEmpty();
    assertThat(Dashboards.queries()).isNotEmpty().allSatisfy(q -> {
      assertThat(q.datasource().path("type").asText()).as("%s / %s", q.panel(), q.refId()).isEqualTo("prometheus");
      assertThat(uids).as("datasource uid of %s / %s", q.panel(), q.refId()).contains(q.datasource().path("uid").asText());
    });
  }

  @Test
  void shouldLoadTheDashboardsFromTheDirectoryMountedForThem() throws IOException {
    List<Map<String, Object>> providers = provisioned("dashboards", "providers");
    assertThat(providers).isNotEmpty();
    for (Map<String, Object> provider : providers) {
      String path = String.valueOf(Repo.map(provider.get("options"), "options").get("path"));
      Path host = compose.hostPath("grafana", path)
          .orElseThrow(() -> new AssertionError("dashboard provider path " + path + " is not mounted"));
      assertThat(host).isEqualTo(Repo.path(Dashboards.DIR));
    }
    assertThat(Dashboards.files()).isNotEmpty();
    String home = compose.environment("grafana").get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH");
    if (home != null) {
      assertThat(compose.hostPath("grafana", home)).as("home dashboard " + home).hasValueSatisfying(p -> assertThat(p).isRegularFile());
    }
  }

  @Test
  void shouldBeWellFormedDashboards() {
    Set<String> uids = new HashSet<>();
    for (Path file : Dashboards.files()) {
      JsonNode dashboard = Dashboards.read(file);
      assertThat(uids.add(dashboard.path("uid").asText())).as("%s has a unique uid", file).isTrue();
      assertThat(dashboard.path("title").asText()).isNotBlank();
      Set<Integer> ids = new HashSet<>();
      for (JsonNode panel : Dashboards.panels(dashboard)) {
        String title = panel.path("title").asText();
        assertThat(ids.add(panel.path("id").asInt())).as("%s: panel id of '%s' is unique", file, title).isTrue();
        assertThat(panel.path("gridPos").path("w").asInt()).as("%s width", title).isBetween(1, 24);
        if (panel.path("type").asText().equals("row")) {
          continue;
        }
        assertThat(panel.path("targets")).as("%s has queries", title).isNotEmpty();
        Set<String> refIds = new HashSet<>();
        panel.path("targets").forEach(t -> {
          assertThat(t.path("expr").asText()).as("%s / %s expr", title, t.path("refId").asText()).isNotBlank();
          assertThat(refIds.add(t.path("refId").asText())).as("%s refIds are unique", title).isTrue();
        });
      }
    }
  }

  @Test
  void shouldShowThePanelsOfTheSeed001MemoryOverview() {
    List<String> titles = new ArrayList<>();
    List<String> types = new ArrayList<>();
    for (Path file : Dashboards.files()) {
      Dashboards.panels(Dashboards.read(file)).forEach(p -> {
        titles.add(p.path("title").asText().toLowerCase());
        types.add(p.path("type").asText());
      });
    }
    assertThat(titles).anyMatch(t -> t.contains("operations per second") && t.contains("operation") && t.contains("namespace"))
        .anyMatch(t -> t.contains("latency") && t.contains("p50") && t.contains("p95") && t.contains("p99"))
        .anyMatch(t -> t.contains("hit rate"))
        .anyMatch(t -> t.contains("value size"))
        .anyMatch(t -> t.contains("error"))
        .anyMatch(t -> t.contains("memtrace"));
    assertThat(types).contains("heatmap", "timeseries");
    List<String> exprs = Dashboards.queries().stream().map(Dashboards.Query::expr).toList();
    for (String q : List.of("0.5", "0.95", "0.99")) {
      assertThat(exprs).as("a p" + q.substring(2) + " query").anyMatch(e -> e.contains("histogram_quantile(" + q + ","));
    }
  }

  private List<Map<String, Object>> provisioned(String kind, String key) throws IOException {
    Path dir = compose.hostPath("grafana", PROVISIONING + "/" + kind)
        .orElseThrow(() -> new AssertionError(PROVISIONING + " is not mounted into grafana"));
    List<Map<String, Object>> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml")).toList()) {
        Map<String, Object> doc = Repo.yaml(Repo.ROOT.relativize(f).toString());
        Repo.list(doc.get(key), f + " " + key).forEach(e -> out.add(Repo.map(e, key)));
      }
    }
    return out;
  }
}
