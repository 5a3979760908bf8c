package io.memtrace.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The rules of deploy/prometheus/alerts.yml. */
final class AlertRules {

  static final String FILE = "deploy/prometheus/alerts.yml";

  /** One alerting or recording rule; {@code name} is the alert or the recorded series. */
  record Rule(String group, String name, boolean alert, String expr, Map<String, String> labels,
      Map<String, String> annotations) {
  }

  private AlertRules() {
  }

  static List<Rule> read() {
    List<Rule> out = new ArrayList<>();
    for (Object g : Repo.list(Repo.yaml(FILE).get("groups"), "groups")) {
      Map<String, Object> group = Repo.map(g, "group");
      for (Object r : Repo.list(group.get("rules"), "rules")) {
        Map<String, Object> rule = Repo.map(r, "rule");
        boolean alert = rule.containsKey("alert");
        out.add(new Rule(String.valueOf(group.get("name")), String.valueOf(alert ? rule.get("alert") : rule.get("record")),
            alert, String.valueOf(rule.get("expr")), strings(rule.get("labels")), strings(rule.get("annotations"))));
      }
    }
    return out;
  }

  private static Map<String, String> strings(Object map) {
    Map<String, String> out = new LinkedHashMap<>();
    Repo.map(map, "labels/annotations").forEach((k, v) -> out.put(k, String.valueOf(v)));
    return out;
  }
}
