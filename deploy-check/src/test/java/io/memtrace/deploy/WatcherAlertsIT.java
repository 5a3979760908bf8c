package io.memtrace.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memtrace.testsupport.Commands;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Pipeline;

/**
 * Seed 001's alerts on the values the real keyspace watcher produced: a redis-server holding 12 MB of
 * session messages, 1 MB of cache and 10,050 deep memories is watched once by the collector jar, and
 * the gauges it sent, named as the OTel Collector's Prometheus exporter names them, go into
 * {@code promtool test rules} against the memory-state rules of alerts.yml (their expressions,
 * {@code for} and labels as written; annotations are alerts-test.yml's concern): the session and deep
 * alerts fire, the cache alert does not.
 */
class WatcherAlertsIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String GROUP = "memtrace-memory-state";

  @Test
  void shouldFireSeed001AlertsOnTheGaugesTheWatcherSent() throws Exception {
    Path promtool = Tools.require("promtool", "prometheus", "promtool test rules on the watcher's gauges");
    Path work = Paths.get("target/watcher-alerts-it").toAbsolutePath();
    Path metrics = WatcherGauges.run(work, jedis -> {
      WatcherGauges.demoKeys(jedis);
      Pipeline p = jedis.pipelined();
      for (int i = 0; i < 12; i++) {
        p.set("session:s" + i + ":messages", "m".repeat(1_000_000));
      }
      for (int i = 0; i < 10; i++) {
        p.set("cache:page-" + i, "c".repeat(100_000));
      }
      for (int i = 3; i <= 10_050; i++) {
        p.hset("deep:memory:" + i, Map.of("text", "memory " + i));
      }
      p.sync();
    });

    Map<String, Double> values = new TreeMap<>();
    List<Map<String, Object>> inputs = new ArrayList<>();
    Map<String, String> layerLabels = null;
    for (String line : Files.readAllLines(metrics)) {
      for (JsonNode rm : JSON.readTree(line).path("resourceMetrics")) {
        String job = attributes(rm.path("resource").path("attributes")).get("service_name");
        for (JsonNode m : rm.path("scopeMetrics").get(0).path("metrics")) {
          String name = PrometheusNames.metricName(m.get("name").asText(), m.get("unit").asText(),
              PrometheusNames.Kind.GAUGE, false);
          for (JsonNode point : m.path("gauge").path("dataPoints")) {
            Map<String, String> labels = attributes(point.path("attributes"));
            labels.put("job", job);
            double value = point.get("asInt").asDouble();
            inputs.add(Map.of("series", series(name, labels), "values", (long) value + "x15"));
            if (!labels.containsKey("memory_namespace")) {
              values.put(name, value);
              layerLabels = labels;
            }
          }
        }
      }
    }
    assertThat(values).as("the watcher's layer gauges").containsKeys("memory_session_size_bytes",
        "memory_cache_size_bytes", "memory_deep_count");
    assertThat(values.get("memory_session_size_bytes")).isGreaterThan(12e6);
    assertThat(values.get("memory_cache_size_bytes")).isBetween(1e6, 100e6);
    assertThat(values.get("memory_deep_count")).isEqualTo(10_050.0);

    Map<String, Object> expected = new LinkedHashMap<>(layerLabels);
    expected.put("severity", "warning");
    List<Map<String, Object>> checks = List.of(
        check("SessionMemoryLarge", List.of(Map.of("exp_labels", expected))),
        check("CacheMemoryLarge", List.of()),
        check("DeepMemoryRecordsMany", List.of(Map.of("exp_labels", expected))));
    Path rules = work.resolve("memory-state-rules.yml");
    Files.writeString(rules, JSON.writeValueAsString(Map.of("groups", List.of(memoryStateGroupWithoutAnnotations()))));
    Path test = work.resolve("watcher-alerts-test.yml");
    Files.writeString(test, JSON.writeValueAsString(Map.of("rule_files", List.of(rules.toString()),
        "evaluation_interval", "1m", "tests", List.of(Map.of("interval", "1m", "input_series", inputs,
            "alert_rule_test", checks)))));
    Commands.Result result = Commands.run(work, Duration.ofSeconds(60), List.of(promtool.toString(), "test", "rules",
        test.toString()));
    assertThat(result.exit).as("promtool test rules %s:\n%s", test, result.output).isZero();
  }

  private static Map<String, Object> check(String alert, List<Map<String, Object>> alerts) {
    return Map.of("eval_time", "10m", "alertname", alert, "exp_alerts", alerts);
  }

  /** The group of alerts.yml as written, less its annotations. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> memoryStateGroupWithoutAnnotations() {
    for (Object g : Repo.list(Repo.yaml(AlertRules.FILE).get("groups"), "groups")) {
      Map<String, Object> group = new LinkedHashMap<>(Repo.map(g, "group"));
      if (GROUP.equals(group.get("name"))) {
        List<Object> rules = new ArrayList<>();
        for (Object r : Repo.list(group.get("rules"), "rules")) {
          Map<String, Object> rule = new LinkedHashMap<>((Map<String, Object>) r);
          rule.remove("annotations");
          rules.add(rule);
        }
        group.put("rules", rules);
        return group;
      }
    }
    throw new AssertionError(AlertRules.FILE + " has no group " + GROUP);
  }

  private static Map<String, String> attributes(JsonNode attributes) {
    Map<String, String> labels = new TreeMap<>();
    for (JsonNode a : attributes) {
      JsonNode v = a.get("value");
      String text = v.has("stringValue") ? v.get("stringValue").asText() : v.elements().next().asText();
      labels.put(PrometheusNames.labelName(a.get("key").asText()), text);
    }
    return labels;
  }

  private static String series(String name, Map<String, String> labels) {
    StringBuilder s = new StringBuilder(name).append('{');
    labels.forEach((k, v) -> s.append(s.charAt(s.length() - 1) == '{' ? "" : ",").append(k).append("=\"")
        .append(v.replace("\\", "\\\\").replace("\"", "\\\"")).append('"'));
    return s.append('}').toString();
  }
}
