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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every dashboard panel that shows the memory operation shows it whichever names the agent's metric
 * points carry: {@code memory_operation} ({@code conventions: seed}), {@code gen_ai_operation_name} only
 * ({@code genai}) or both ({@code both}, where memtrace's operation is shown). promtool evaluates each such
 * query, Grafana's variables filled in, over one series per convention and must find each operation once,
 * as {@code memory_operation}. Skipped, visibly, where promtool is not installed.
 */
class DashboardConventionsTest {

  /** The labels of one series per convention, each in a namespace of its own. */
  private static final List<String> SHAPES = List.of(
      "memory_namespace=\"seed\",memory_operation=\"store\"",
      "memory_namespace=\"genai\",gen_ai_operation_name=\"search_memory\"",
      "memory_namespace=\"both\",memory_operation=\"retrieve\",gen_ai_operation_name=\"search_memory\"");
  private static final List<String> SHOWN = List.of("store", "search_memory", "retrieve");

  @Test
  void shouldShowTheOperationOfPointsWithEitherNameOrBoth(@TempDir Path dir) throws IOException {
    Path promtool = Tools.require("promtool", "prometheus", "promtool evaluating the dashboard's operation panels");
    List<Dashboards.Query> queries = Dashboards.queries().stream().filter(DashboardConventionsTest::showsOperation).toList();
    assertThat(queries).as("panels by operation").hasSizeGreaterThanOrEqualTo(3);
    List<Map<String, Object>> series = new ArrayList<>();
    List<Map<String, Object>> checks = new ArrayList<>();
    for (Dashboards.Query q : queries) {
      for (String metric : PromQl.names(q.expr()).metrics()) {
        for (String shape : SHAPES) {
          String labels = "job=\"app\",memory_system=\"app\"," + shape;
          for (String le : metric.endsWith("_bucket") ? List.of(",le=\"10\"", ",le=\"+Inf\"") : List.of("")) {
            series.add(Map.of("series", metric + "{" + labels + le + "}", "values", "0+10x20"));
          }
        }
      }
      List<Map<String, Object>> expected = new ArrayList<>();
      SHOWN.forEach(op -> expected.add(Map.of("labels", "{memory_operation=\"" + op + "\"}", "value", 1)));
      checks.add(Map.of("expr", "count by (memory_operation) (" + Dashboards.asPrometheusSees(q.expr()) + ")",
          "eval_time", "10m", "exp_samples", expected));
    }
    Map<String, Object> test = new LinkedHashMap<>();
    test.put("interval", "1m");
    test.put("input_series", series.stream().distinct().toList());
    test.put("promql_expr_test", checks);
    Path file = dir.resolve("dashboard-conventions-test.yml");
    // JSON is YAML
    Files.writeString(file, new ObjectMapper().writeValueAsString(Map.of("rule_files", List.of(),
        "evaluation_interval", "1m", "tests", List.of(test))));
    Commands.Result result = Commands.run(Repo.ROOT, Duration.ofSeconds(60), List.of(promtool.toString(), "test", "rules",
        file.toString()));
    assertThat(result.exit).as("promtool test rules says:\n" + result.output).isZero();
  }

  private static boolean showsOperation(Dashboards.Query q) {
    return PromQl.names(q.expr()).groupingLabels().contains("memory_operation")
        || TemplateLabels.inLegend(q.legend()).contains("memory_operation");
  }
}
