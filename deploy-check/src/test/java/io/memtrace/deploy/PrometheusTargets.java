package io.memtrace.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The scrape targets of deploy/prometheus/prometheus.yml, as {@code host:port}. */
final class PrometheusTargets {

  private PrometheusTargets() {
  }

  static List<String> all() {
    Map<String, Object> prometheus = Repo.yaml("deploy/prometheus/prometheus.yml");
    List<String> targets = new ArrayList<>();
    for (Object job : Repo.list(prometheus.get("scrape_configs"), "scrape_configs")) {
      for (Object sc : Repo.list(Repo.map(job, "scrape_config").get("static_configs"), "static_configs")) {
        Repo.list(Repo.map(sc, "static_config").get("targets"), "targets").forEach(t -> targets.add(String.valueOf(t)));
      }
    }
    return targets;
  }
}
