package io.memtrace.collector.provenance;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.collector.ingest.MetricMapper;
import io.memtrace.collector.ingest.OtlpJson;
import io.memtrace.collector.store.MetricRow;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The counter as OTLP: a cumulative monotonic sum per calling service, which the store's own reader accepts. */
class CrossTenantMeterTest {

  @Test
  void shouldEncodeACumulativeMonotonicSumPerService() throws Exception {
    Map<String, Long> counts = new TreeMap<>(Map.of("assistant", 2L, "support-bot", 0L));
    byte[] body = CrossTenantMeter.encode(counts, 1_000L, 2_000L);
    ExportMetricsServiceRequest request = OtlpJson.merge(body, ExportMetricsServiceRequest.newBuilder()).build();
    var metric = request.getResourceMetrics(0).getScopeMetrics(0).getMetrics(0);
    assertThat(metric.getName()).isEqualTo("memory.tenant.cross_reads");
    assertThat(metric.getSum().getIsMonotonic()).isTrue();
    assertThat(metric.getSum().getAggregationTemporalityValue()).isEqualTo(2);
    List<MetricRow> rows = MetricMapper.map(request);
    assertThat(rows).extracting(MetricRow::serviceName).containsOnly("memtrace-collector");
    assertThat(rows).extracting(MetricRow::attributesJson).containsExactly("{\"service\":\"assistant\"}",
        "{\"service\":\"support-bot\"}");
    assertThat(rows).extracting(MetricRow::value).containsExactly(2.0, 0.0);
  }
}
