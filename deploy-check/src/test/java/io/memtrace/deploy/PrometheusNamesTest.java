package io.memtrace.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.deploy.PrometheusNames.Kind;
import org.junit.jupiter.api.Test;

/** The OTLP-to-Prometheus rules, on the collector translator's own examples and on memtrace's shapes. */
class PrometheusNamesTest {

  @Test
  void shouldAppendTheUnitInWordsAndTheHistogramSuffixes() {
    assertThat(PrometheusNames.seriesNames("memory.operation.duration", "ms", Kind.HISTOGRAM, false))
        .containsExactly("memory_operation_duration_milliseconds_bucket", "memory_operation_duration_milliseconds_sum",
            "memory_operation_duration_milliseconds_count");
    assertThat(PrometheusNames.metricName("memory.value.size", "By", Kind.HISTOGRAM, false)).isEqualTo("memory_value_size_bytes");
    assertThat(PrometheusNames.metricName("db.client.operation.duration", "s", Kind.HISTOGRAM, false))
        .isEqualTo("db_client_operation_duration_seconds");
  }

  @Test
  void shouldEndMonotonicSumsInTotalOnce() {
    assertThat(PrometheusNames.metricName("memory.operations", "", Kind.SUM, true)).isEqualTo("memory_operations_total");
    assertThat(PrometheusNames.metricName("requests.total", "", Kind.SUM, true)).isEqualTo("requests_total");
    assertThat(PrometheusNames.metricName("queue.depth", "", Kind.SUM, false)).isEqualTo("queue_depth");
  }

  @Test
  void shouldSkipAnnotationUnitsAndUnitsAlreadyInTheName() {
    assertThat(PrometheusNames.metricName("memory.search.results", "{result}", Kind.HISTOGRAM, false))
        .isEqualTo("memory_search_results");
    assertThat(PrometheusNames.metricName("memory.search.results", "", Kind.HISTOGRAM, false)).isEqualTo("memory_search_results");
    assertThat(PrometheusNames.metricName("system.io.bytes", "By", Kind.SUM, true)).isEqualTo("system_io_bytes_total");
  }

  @Test
  void shouldTranslatePerUnitsRatiosAndUnknownUnits() {
    assertThat(PrometheusNames.metricName("network.throughput", "By/s", Kind.GAUGE, false))
        .isEqualTo("network_throughput_bytes_per_second");
    assertThat(PrometheusNames.metricName("cpu.utilization", "1", Kind.GAUGE, false)).isEqualTo("cpu_utilization_ratio");
    assertThat(PrometheusNames.metricName("disk.ops", "1", Kind.SUM, true)).isEqualTo("disk_ops_total");
    assertThat(PrometheusNames.metricName("flux", "Wb", Kind.GAUGE, false)).isEqualTo("flux_Wb");
    assertThat(PrometheusNames.metricName("2xx.responses", "", Kind.SUM, true)).isEqualTo("_2xx_responses_total");
  }

  @Test
  void shouldTurnAttributeKeysIntoLabelNames() {
    assertThat(PrometheusNames.labelName("memory.namespace")).isEqualTo("memory_namespace");
    assertThat(PrometheusNames.labelName("db.operation.name")).isEqualTo("db_operation_name");
    assertThat(PrometheusNames.labelName("error.type")).isEqualTo("error_type");
    assertThat(PrometheusNames.labelName("0.key")).isEqualTo("key_0_key");
    assertThat(PrometheusNames.labelName("_private")).isEqualTo("key_private");
    assertThat(PrometheusNames.labelName("__reserved")).isEqualTo("__reserved");
  }
}
