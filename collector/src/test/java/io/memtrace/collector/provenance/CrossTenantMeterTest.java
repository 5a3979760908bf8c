package io.memtrace.collector.provenance;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.collector.SpanFixtures;
import io.memtrace.collector.ingest.MetricMapper;
import io.memtrace.collector.ingest.OtlpJson;
import io.memtrace.collector.store.MetricRow;
import io.memtrace.collector.store.SpanStore;
import io.memtrace.collector.store.TestStores;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The counter as OTLP: a cumulative monotonic sum per calling service, which the store's own reader accepts; and the
 * calls it counts, taken in the order they arrive: a call started long ago and sent now, whose memory spans come later.
 */
class CrossTenantMeterTest {

  @TempDir
  Path dir;

  @Test
  void shouldCountACallWhoseMemorySpansArriveAfterItOnceTheyArriveAndOnlyOnce() throws Exception {
    List<Span> turn = ModelCallFixtures.turn().getResourceSpans(0).getScopeSpans(0).getSpansList();
    // the assistant's root and its two model calls first; the memory spans and their Redis reads after
    List<Span> calls = turn.stream().filter(s -> !s.getName().startsWith("aqe.memory") && !isRedis(s)).toList();
    List<Span> memory = turn.stream().filter(s -> !calls.contains(s)).toList();
    assertThat(calls).hasSize(3);
    assertThat(memory).hasSize(5);
    try (SpanStore store = TestStores.open(dir, false);
         CrossTenantMeter meter = new CrossTenantMeter(store, null, ModelCallFixtures.RULE, 60_000)) {
      TestStores.write(store, ModelCallFixtures.writer());
      // the calls started in 2024 (SpanFixtures.T0): by their start they would never be judged
      TestStores.write(store, SpanFixtures.request("assistant", calls));
      meter.tick(later());
      assertThat(storedCount(store)).as("judged, its memory not there yet").isEqualTo(0.0);

      TestStores.write(store, SpanFixtures.request("assistant", memory));
      meter.tick(later());
      assertThat(storedCount(store)).as("judged again when its memory arrived: docs:globex:d9").isEqualTo(1.0);

      meter.tick(later());
      TestStores.write(store, ModelCallFixtures.rewriter());
      meter.tick(later());
      assertThat(storedCount(store)).as("each call counted once, though looked at again within the lag").isEqualTo(1.0);
    }
  }

  private static boolean isRedis(Span span) {
    return span.getAttributesList().stream().anyMatch(a -> a.getKey().equals("db.system.name"));
  }

  /** Now, a little after the last write, so that what was written is received before it. */
  private static long later() throws InterruptedException {
    Thread.sleep(3);
    return System.currentTimeMillis() * 1000;
  }

  private static double storedCount(SpanStore store) throws Exception {
    try (Connection c = store.newConnection(); Statement s = c.createStatement();
         ResultSet r = s.executeQuery("SELECT value FROM metrics WHERE name = 'memory.tenant.cross_reads' "
             + "AND attributes->>'service' = 'assistant' ORDER BY time DESC LIMIT 1")) {
      assertThat(r.next()).as("a point for the service").isTrue();
      return r.getDouble(1);
    }
  }

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
