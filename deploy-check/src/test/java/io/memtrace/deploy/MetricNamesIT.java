package io.memtrace.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.ForkedJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every metric and label that alerts.yml and the Grafana dashboards name is one a real demo run under
 * the agent exports, or the collector's keyspace watcher sends for the same layered memory, or the collector counts
 * for a model call given another tenant's memory, or the collector's memory health gauges. The names are read from that run's OTLP export, not from a list kept here, and
 * turned into what Prometheus stores by the OTel Collector's translation rules ({@link PrometheusNames}).
 */
class MetricNamesIT {

  /** Labels Prometheus adds to every series: job from service.name, instance from the scrape target. */
  private static final Set<String> SCRAPE_LABELS = Set.of("job", "instance");
  private static final Pattern HISTOGRAM_MAX_THRESHOLD = Pattern.compile(
      "histogram_quantile\\(\\s*1(\\.0*)?\\s*,[\\s\\S]*\\)\\s*>\\s*([0-9.e+]+)\\s*$");

  private static ExportedMetrics exported;
  private static Map<String, Set<String>> series;

  @BeforeAll
  static void runTheDemoUnderTheAgent() throws Exception {
    Path work = Paths.get("target/metric-names-it").toAbsolutePath();
    DemoRun.Result run = DemoRun.run(work, ForkedJvm.jar(BuildPaths.DEMO_JAR));
    // and the gauges of the collector's keyspace watcher over the same layered memory (seed 001's sizes)
    Path watcher = WatcherGauges.run(work.resolve("watcher"), WatcherGauges::demoKeys);
    // and the collector's count of model calls given another tenant's memory, from a trace that has one
    Path crossTenant = CrossTenantMetric.run(work.resolve("cross-tenant"));
    // and the collector's memory health gauges, from a trace whose TTL was lost and whose search found nothing
    Path health = HealthMetric.run(work.resolve("health"));
    Path both = work.resolve("agent-and-watcher-metrics.jsonl");
    Files.write(both, Files.readAllBytes(run.metrics()));
    Files.write(both, Files.readAllBytes(watcher), StandardOpenOption.APPEND);
    Files.write(both, Files.readAllBytes(crossTenant), StandardOpenOption.APPEND);
    Files.write(both, Files.readAllBytes(health), StandardOpenOption.APPEND);
    exported = ExportedMetrics.read(both);
    series = exported.prometheusSeries();
    System.out.println("[deploy-check] Prometheus series of a real demo run (" + series.size() + "): " + series.keySet());
  }

  @Test
  void shouldExportMetricsWithAttributes() {
    assertThat(exported.otlpMetrics()).isNotEmpty();
    assertThat(series.keySet()).anyMatch(s -> s.endsWith("_bucket")).anyMatch(s -> s.endsWith("_total"));
    assertThat(series.values()).anyMatch(labels -> labels.size() > 1);
  }

  @Test
  void shouldNameOnlyExportedMetricsAndLabelsInTheAlertRules() {
    List<String> problems = new ArrayList<>();
    for (AlertRules.Rule rule : AlertRules.read()) {
      Set<String> templateLabels = new TreeSet<>();
      rule.annotations().values().forEach(a -> templateLabels.addAll(TemplateLabels.inAlertTemplate(a)));
      rule.labels().values().forEach(l -> templateLabels.addAll(TemplateLabels.inAlertTemplate(l)));
      problems.addAll(problems(AlertRules.FILE + " " + rule.name(), rule.expr(), templateLabels));
    }
    assertThat(problems).as("against the export of a real run: %s", series).isEmpty();
  }

  @Test
  void shouldNameOnlyExportedMetricsAndLabelsInTheDashboards() {
    List<String> problems = new ArrayList<>();
    for (Dashboards.Query q : Dashboards.queries()) {
      problems.addAll(problems(q.dashboard() + " '" + q.panel() + "' " + q.refId(), q.expr(), TemplateLabels.inLegend(q.legend())));
    }
    for (Dashboards.Variable v : Dashboards.variables()) {
      LabelValues query = LabelValues.parse(v.query());
      String where = v.dashboard() + " variable $" + v.name();
      if (query.selector() == null) {
        Set<String> all = new TreeSet<>(SCRAPE_LABELS);
        series.values().forEach(all::addAll);
        if (!all.contains(query.label())) {
          problems.add(where + ": no exported series has label " + query.label());
        }
      } else {
        problems.addAll(problems(where, query.selector(), Set.of(query.label())));
      }
    }
    assertThat(problems).as("against the export of a real run: %s", series).isEmpty();
  }

  @Test
  void shouldShowEveryExportedMetricOnTheDashboards() {
    Set<String> shown = new TreeSet<>();
    Dashboards.queries().forEach(q -> shown.addAll(PromQl.names(q.expr()).metrics()));
    List<String> missing = new ArrayList<>();
    for (String otlp : exported.otlpMetrics().keySet()) {
      boolean any = series.keySet().stream().filter(s -> otlp.equals(exported.otlpNameOf(s))).anyMatch(shown::contains);
      if (!any) {
        missing.add(otlp);
      }
    }
    assertThat(missing).as("exported metrics no dashboard panel shows").isEmpty();
  }

  @Test
  void shouldHaveTheBucketBoundThatAHistogramMaximumAlertComparesWith() {
    int checked = 0;
    for (AlertRules.Rule rule : AlertRules.read()) {
      Matcher m = HISTOGRAM_MAX_THRESHOLD.matcher(rule.expr().trim());
      if (!m.find()) {
        continue;
      }
      double threshold = Double.parseDouble(m.group(2));
      for (String metric : PromQl.names(rule.expr()).metrics()) {
        String otlp = exported.otlpNameOf(metric);
        // the 100th percentile is the top of a bucket: exact only if the threshold is a bucket bound
        assertThat(exported.bucketBounds(otlp)).as("%s: bucket bounds of %s", rule.name(), otlp).contains(threshold);
        checked++;
      }
    }
    assertThat(checked).as("alerts on a histogram's maximum (LargeValueStored)").isPositive();
  }

  /** What in one expression (and the labels its legend or annotations use) the real export lacks. */
  private static List<String> problems(String where, String expr, Set<String> outputLabels) {
    List<String> problems = new ArrayList<>();
    PromQl.Names names = PromQl.names(expr);
    if (names.metrics().isEmpty()) {
      problems.add(where + ": names no metric: " + expr);
    }
    Set<String> available = new TreeSet<>(SCRAPE_LABELS);
    for (String metric : names.metrics()) {
      Set<String> labels = series.get(metric);
      if (labels == null) {
        problems.add(where + ": " + metric + " is not a series the agent exports");
      } else {
        available.addAll(labels);
      }
    }
    names.matcherLabels().forEach((metric, labels) -> {
      Set<String> own = new TreeSet<>(SCRAPE_LABELS);
      own.add("__name__");
      own.addAll(series.getOrDefault(metric, Set.of()));
      for (String label : labels) {
        if (!own.contains(label)) {
          problems.add(where + ": " + metric + " has no label " + label + " (it has " + own + ")");
        }
      }
    });
    Set<String> used = new TreeSet<>(names.groupingLabels());
    used.addAll(outputLabels);
    for (String label : used) {
      if (!available.contains(label)) {
        problems.add(where + ": label " + label + " is on none of " + names.metrics() + " (they have " + available + ")");
      }
    }
    return problems;
  }
}
