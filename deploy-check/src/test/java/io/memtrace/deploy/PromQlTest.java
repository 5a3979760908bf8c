package io.memtrace.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PromQlTest {

  @Test
  void shouldFindMetricsButNotFunctionsKeywordsNumbersOrDurations() {
    PromQl.Names names = PromQl.names("""
        histogram_quantile(0.95, sum by (le, memory_operation) (rate(memory_operation_duration_milliseconds_bucket[5m]))) > 50
        and on (job) increase(memtrace_events_dropped_total[1h] offset 5m) > bool 1e3""");
    assertThat(names.metrics()).containsExactly("memory_operation_duration_milliseconds_bucket", "memtrace_events_dropped_total");
    assertThat(names.groupingLabels()).containsExactly("le", "memory_operation", "job");
  }

  @Test
  void shouldReadAggregationsWithTheGroupingClauseAfterTheExpression() {
    PromQl.Names names = PromQl.names("sum(rate(memory_operations_total[5m])) without (instance) / count by(job)(up)");
    assertThat(names.metrics()).containsExactly("memory_operations_total", "up");
    assertThat(names.groupingLabels()).containsExactly("instance", "job");
  }

  @Test
  void shouldKeepMatcherLabelsPerMetricAndIgnoreTheirValues() {
    PromQl.Names names = PromQl.names(
        "memory_cache_hits_total{memory_system=\"app\", memory_namespace=~\"aqe/.*|by\"} / {__name__=\"x\", job!~'a,b'}");
    assertThat(names.metrics()).containsExactly("memory_cache_hits_total");
    assertThat(names.matcherLabels()).containsEntry("memory_cache_hits_total", java.util.Set.of("memory_system", "memory_namespace"))
        .containsEntry("", java.util.Set.of("__name__", "job"));
    assertThat(names.groupingLabels()).isEmpty();
  }

  @Test
  void shouldSkipGrafanaVariablesAndComments() {
    PromQl.Names names = PromQl.names("""
        # operations per second
        sum by (memory_namespace) (rate(memory_operations_total{job=~"$job"}[$__rate_interval])) * $scale + ${factor}""");
    assertThat(names.metrics()).containsExactly("memory_operations_total");
    assertThat(names.matcherLabels()).containsEntry("memory_operations_total", java.util.Set.of("job"));
  }

  @Test
  void shouldTreatAnAggregationNameWithoutGroupingOrParenthesesAsAMetric() {
    assertThat(PromQl.names("count > 3").metrics()).containsExactly("count");
    assertThat(PromQl.names("rate (x_total[5m])").metrics()).containsExactly("x_total");
  }

  @Test
  void shouldRejectUnterminatedInput() {
    assertThatThrownBy(() -> PromQl.names("x{job=\"a}")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PromQl.names("rate(x[5m)")).isInstanceOf(IllegalArgumentException.class);
  }
}
