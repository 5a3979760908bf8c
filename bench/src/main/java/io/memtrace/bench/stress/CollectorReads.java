package io.memtrace.bench.stress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memtrace.bench.load.CollectorProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What memtrace's own collector says, read the way a user would: {@code report --format json} and
 * the {@code --timeseries} lines for the "detects" checks, and SQL through serve's API for counts.
 */
final class CollectorReads {

  private static final ObjectMapper JSON = new ObjectMapper();

  private CollectorReads() {
  }

  /**
   * {@code memtrace-collector report --format json --wait-loaded --data DIR [extra]}, against the running serve: the
   * checks judge every span the app sent, so the report waits for serve to load what it acknowledged.
   */
  static JsonNode report(Layout layout, Rig rig, String name, String... extra) throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of("report", "--format", "json", "--wait-loaded", "--data",
        rig.data().toString()));
    args.addAll(List.of(extra));
    Path out = rig.dir.resolve(name + ".json");
    CollectorProcess.Run run = CollectorProcess.command(layout.collectorJar(), out, args.toArray(String[]::new));
    return JSON.readTree(run.stdout());
  }

  /** Every line of the time series serve wrote so far. */
  static List<JsonNode> timeseries(Rig rig) throws IOException {
    List<JsonNode> lines = new ArrayList<>();
    if (!Files.exists(rig.timeseries())) {
      return lines;
    }
    for (String line : Files.readAllLines(rig.timeseries(), StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        lines.add(JSON.readTree(line));
      }
    }
    return lines;
  }

  /** The first column of the first row of {@code sql} through serve's query API; NaN when empty or null. */
  static double scalar(Rig rig, String sql) throws IOException, InterruptedException {
    JsonNode rows = JSON.readTree(rig.collector().query(sql)).path("rows");
    if (rows.size() == 0 || rows.get(0).size() == 0 || rows.get(0).get(0).isNull()) {
      return Double.NaN;
    }
    return rows.get(0).get(0).asDouble();
  }

  /** The rows of {@code sql} through serve's query API. */
  static JsonNode rows(Rig rig, String sql) throws IOException, InterruptedException {
    return JSON.readTree(rig.collector().query(sql)).path("rows");
  }

  /** Spans serve stored for a service. */
  static long storedSpans(Rig rig, String service) throws IOException, InterruptedException {
    double n = scalar(rig, "SELECT count(*) FROM spans WHERE service_name = '" + service + "'");
    return Double.isNaN(n) ? 0 : (long) n;
  }

  /**
   * The latest cumulative point of a histogram metric, over the attribute sets whose JSON text
   * contains every one of {@code match}: {count, sum}.
   */
  static double[] histogram(Rig rig, String metric, String... match) throws IOException, InterruptedException {
    StringBuilder where = new StringBuilder("name = '" + metric + "'");
    for (String m : match) {
      where.append(" AND attributes::VARCHAR LIKE '%").append(m.replace("'", "''")).append("%'");
    }
    JsonNode rows = rows(rig, "SELECT sum(c)::BIGINT, sum(s) FROM (SELECT arg_max(count, time) AS c, arg_max(sum, time) AS s "
        + "FROM metrics WHERE " + where + " GROUP BY service_name, attributes::VARCHAR)");
    if (rows.size() == 0 || rows.get(0).get(0).isNull()) {
      return new double[] {0, 0};
    }
    return new double[] {rows.get(0).get(0).asDouble(), rows.get(0).get(1).asDouble()};
  }
}
