package io.memtrace.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.memtrace.testsupport.Commands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Prometheus side: the stack loads prometheus.yml and alerts.yml, promtool accepts both, and
 * promtool's rule unit tests (alerts-test.yml) show every alert firing on its condition. Where promtool
 * is not installed (Debian package prometheus) those checks are skipped, visibly.
 */
class PrometheusRulesTest {

  private static final String CONFIG = "deploy/prometheus/prometheus.yml";
  private static final String RULE_TESTS = "deploy/prometheus/alerts-test.yml";

  private final ComposeFile compose = new ComposeFile();

  @Test
  void shouldBeTheFilesThePrometheusContainerLoads() {
    // prom/prometheus reads /etc/prometheus/prometheus.yml unless told otherwise
    assertThat(compose.service("prometheus")).doesNotContainKey("command");
    Path config = compose.hostPath("prometheus", "/etc/prometheus/prometheus.yml")
        .orElseThrow(() -> new AssertionError("prometheus.yml is not mounted at /etc/prometheus"));
    assertThat(config).isEqualTo(Repo.path(CONFIG)).isRegularFile();
    List<Object> ruleFiles = Repo.list(Repo.yaml(CONFIG).get("rule_files"), "rule_files");
    assertThat(ruleFiles).isNotEmpty();
    // relative rule files are resolved against the config file's directory, in the container as here
    ruleFiles.forEach(f -> assertThat(config.getParent().resolve(String.valueOf(f))).isRegularFile());
    assertThat(ruleFiles.stream().map(f -> config.getParent().resolve(String.valueOf(f)).normalize()))
        .contains(Repo.path(AlertRules.FILE));
  }

  @Test
  void shouldHaveTheAlertsOfSeeds000And001() {
    assertThat(AlertRules.read()).filteredOn(AlertRules.Rule::alert).extracting(AlertRules.Rule::name)
        .contains("SlowMemoryOperation", "HighMemoryErrorRate", "LargeValueStored", "LowCacheHitRate",
            "MemtraceDroppingEvents", "MemtraceExportFailing", "SessionMemoryLarge", "CacheMemoryLarge",
            "DeepMemoryRecordsMany");
    assertThat(AlertRules.read()).filteredOn(AlertRules.Rule::alert)
        .allSatisfy(r -> assertThat(r.labels()).as(r.name()).containsKey("severity"))
        .allSatisfy(r -> assertThat(r.annotations()).as(r.name()).containsKeys("summary", "description"));
  }

  @Test
  void shouldTestEveryAlertFiring() {
    Set<String> tested = new TreeSet<>();
    for (Object t : Repo.list(Repo.yaml(RULE_TESTS).get("tests"), "tests")) {
      for (Object a : Repo.list(Repo.map(t, "test").get("alert_rule_test"), "alert_rule_test")) {
        Map<String, Object> check = Repo.map(a, "alert_rule_test");
        if (!Repo.list(check.get("exp_alerts"), "exp_alerts").isEmpty()) {
          tested.add(String.valueOf(check.get("alertname")));
        }
      }
    }
    assertThat(tested).as("alerts %s expects to fire", RULE_TESTS)
        .containsAll(AlertRules.read().stream().filter(AlertRules.Rule::alert).map(AlertRules.Rule::name).toList());
  }

  @Test
  void shouldPassPromtoolCheckRules() {
    Path promtool = Tools.require("promtool", "prometheus", "promtool check rules");
    assertSucceeds(List.of(promtool.toString(), "check", "rules", Repo.path(AlertRules.FILE).toString()));
  }

  @Test
  void shouldPassPromtoolCheckConfig() {
    Path promtool = Tools.require("promtool", "prometheus", "promtool check config");
    assertSucceeds(List.of(promtool.toString(), "check", "config", Repo.path(CONFIG).toString()));
  }

  @Test
  void shouldFireEachAlertOnItsConditionInPromtoolTestRules() {
    Path promtool = Tools.require("promtool", "prometheus", "promtool test rules");
    assertSucceeds(List.of(promtool.toString(), "test", "rules", Repo.path(RULE_TESTS).toString()));
  }

  @Test
  void shouldParseEveryDashboardQuery(@TempDir Path dir) throws IOException {
    Path promtool = Tools.require("promtool", "prometheus", "promtool parsing the dashboard queries");
    // promtool has no offline query parser, but it parses recording rules: one per query
    List<Map<String, String>> rules = new ArrayList<>();
    for (Dashboards.Query q : Dashboards.queries()) {
      rules.add(Map.of("record", "dashboard:query" + rules.size(), "expr", Dashboards.asPrometheusSees(q.expr())));
    }
    for (Dashboards.Variable v : Dashboards.variables()) {
      String selector = LabelValues.parse(v.query()).selector();
      if (selector != null) {
        rules.add(Map.of("record", "dashboard:variable" + rules.size(), "expr", Dashboards.asPrometheusSees(selector)));
      }
    }
    assertThat(rules).isNotEmpty();
    Map<String, Object> group = new LinkedHashMap<>();
    group.put("name", "dashboard-queries");
    group.put("rules", rules);
    Path file = dir.resolve("dashboard-queries.yml");
    // JSON is YAML
    Files.writeString(file, new ObjectMapper().writeValueAsString(Map.of("groups", List.of(group))));
    assertSucceeds(List.of(promtool.toString(), "check", "rules", file.toString()));
  }

  private static void assertSucceeds(List<String> command) {
    Commands.Result result = Commands.run(Repo.ROOT, Duration.ofSeconds(60), command);
    assertThat(result.exit).as(String.join(" ", command) + " says:\n" + result.output).isZero();
  }
}
