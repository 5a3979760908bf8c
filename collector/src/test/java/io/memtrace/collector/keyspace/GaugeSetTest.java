package io.memtrace.collector.keyspace;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.collector.ingest.MetricMapper;
import io.memtrace.collector.ingest.OtlpJson;
import io.memtrace.collector.store.MetricRow;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GaugeSetTest {

  @Test
  void shouldGiveTheBiggestNamespacesSeriesAndFoldTheRestButCountEveryKeyInTheLayers() throws Exception {
    List<KeyspaceSample> samples = new ArrayList<>();
    Instant now = Instant.now();
    for (int i = 0; i < 150; i++) { // a session per namespace, as the default rule makes them
      samples.add(sample(now, "session:s" + i, "session", 1, 1_000L + i));
    }
    samples.add(sample(now, "deep:memory", "deep", 10_001, 5_000_000L));
    samples.add(sample(now, "cache", "cache", 3, 2_000L));
    PassSnapshot snapshot = new PassSnapshot("127.0.0.1:6379", samples, new ServerSample(now, "127.0.0.1:6379", 1L, 1L,
        0L, "noeviction", 0L, 0L, 0L, 0L, 10_154L, 7, 1.0, 100, true, false, null));
    byte[] json = KeyspaceGauges.encode(GaugeSet.of(snapshot, LayerMap.defaults()), now.toEpochMilli() * 1_000_000L);

    // read back by the collector's own OTLP/JSON reader, as /v1/metrics and the upstream would
    List<MetricRow> rows = MetricMapper.map(OtlpJson.merge(json, ExportMetricsServiceRequest.newBuilder()).build());
    assertThat(rows.stream().filter(r -> r.name().equals("memory.keyspace.keys")))
        .hasSize(GaugeSet.NAMESPACE_SERIES + 1)
        .anySatisfy(r -> assertThat(r.attributesJson()).contains("\"(other namespaces)\""))
        // the deep and cache namespaces and the 98 biggest sessions; the other 52 sessions folded
        .extracting(MetricRow::value).containsOnly(10_001.0, 3.0, 1.0, 52.0);
    double sessionBytes = 0;
    for (int i = 0; i < 150; i++) {
      sessionBytes += 1_000 + i;
    }
    assertThat(value(rows, "memory.session.size")).isEqualTo(sessionBytes);
    assertThat(value(rows, "memory.cache.size")).isEqualTo(2_000.0);
    assertThat(value(rows, "memory.deep.count")).isEqualTo(10_001.0);
    assertThat(rows).allSatisfy(r -> assertThat(r.serviceName()).isEqualTo("memtrace-collector"))
        .allSatisfy(r -> assertThat(r.attributesJson()).contains("\"server.address\":\"127.0.0.1\"")
            .contains("\"server.port\":6379").contains("\"db.namespace\":\"0\""));
  }

  private static double value(List<MetricRow> rows, String name) {
    return rows.stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow().value();
  }

  private static KeyspaceSample sample(Instant t, String ns, String layer, long keys, long bytes) {
    return new KeyspaceSample(t, "127.0.0.1:6379", 0, ns, layer, keys, bytes, 0L, keys, 0L, null, null, null, null,
        null, null, null, Map.of(), 7, true, false);
  }
}
