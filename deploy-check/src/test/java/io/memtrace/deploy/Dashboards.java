package io.memtrace.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The Grafana dashboards in deploy/grafana/dashboards: their panels, queries and variables. */
final class Dashboards {

  static final String DIR = "deploy/grafana/dashboards";

  /** One Prometheus query of a panel. */
  record Query(String dashboard, String panel, String refId, String expr, String legend, JsonNode datasource) {
  }

  /** A query variable, such as {@code label_values(memory_operations_total, job)}. */
  record Variable(String dashboard, String name, String query) {
  }

  private Dashboards() {
  }

  static List<Path> files() {
    try (Stream<Path> files = Files.list(Repo.path(DIR))) {
      return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode read(Path file) {
    return Repo.json(Repo.ROOT.relativize(file).toString());
  }

  /** Every panel, rows' nested panels included. */
  static List<JsonNode> panels(JsonNode dashboard) {
    List<JsonNode> out = new ArrayList<>();
    collect(dashboard.path("panels"), out);
    return out;
  }

  static List<Query> queries() {
    List<Query> out = new ArrayList<>();
    for (Path file : files()) {
      JsonNode dashboard = read(file);
      for (JsonNode panel : panels(dashboard)) {
        for (JsonNode target : panel.path("targets")) {
          JsonNode ds = target.has("datasource") ? target.get("datasource") : panel.path("datasource");
          out.add(new Query(file.getFileName().toString(), panel.path("title").asText(), target.path("refId").asText(),
              target.path("expr").asText(), target.path("legendFormat").asText(""), ds));
        }
      }
    }
    return out;
  }

  static List<Variable> variables() {
    List<Variable> out = new ArrayList<>();
    for (Path file : files()) {
      for (JsonNode v : read(file).path("templating").path("list")) {
        if (!"query".equals(v.path("type").asText())) {
          continue;
        }
        JsonNode q = v.path("query");
        String query = q.isTextual() ? q.asText() : q.path("query").asText(v.path("definition").asText());
        out.add(new Variable(file.getFileName().toString(), v.path("name").asText(), query));
      }
    }
    return out;
  }

  /** The query as Prometheus receives it, with Grafana's variables filled in with neutral values. */
  static String asPrometheusSees(String expr) {
    return expr.replaceAll("\\$__(rate_interval|interval|range)", "5m")
        .replaceAll("\\$\\{[^}]*}", ".*")
        .replaceAll("\\$[A-Za-z_][A-Za-z0-9_]*", ".*");
  }

  private static void collect(JsonNode panels, List<JsonNode> out) {
    for (JsonNode panel : panels) {
      out.add(panel);
      collect(panel.path("panels"), out);
    }
  }
}
