package io.memtrace.collector.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.memtrace.collector.SpanFixtures;
import io.memtrace.collector.forward.Forwarder;
import io.memtrace.collector.ingest.OtlpJson;
import io.memtrace.collector.provenance.TenantRule;
import io.memtrace.collector.reader.HealthFixtures;
import io.memtrace.collector.store.SpanStore;
import io.memtrace.collector.store.TestStores;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Metric;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The memory health gauges of {@link HealthFixtures}' calls: sent upstream as OTLP (to a real HTTP receiver, through
 * the forwarder) and stored in the metrics table, one point per store, only the window's calls measured.
 */
class HealthMeterTest {

  @TempDir
  Path dir;

  @Test
  void shouldExportEachStoresHealthOverOtlpAndStoreIt() throws Exception {
    BlockingQueue<byte[]> received = new ArrayBlockingQueue<>(4);
    HttpServer upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    upstream.createContext("/v1/metrics", exchange -> {
      received.add(exchange.getRequestBody().readAllBytes());
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    upstream.start();
    Forwarder forwarder = new Forwarder(URI.create("http://127.0.0.1:" + upstream.getAddress().getPort()), 10);
    Instant afterFixtures = Instant.ofEpochMilli(SpanFixtures.T0 / 1_000_000 + 120_000);
    try (SpanStore store = TestStores.open(dir, false);
         HealthMeter meter = new HealthMeter(store, forwarder, TenantRule.NONE, 60_000, 3_600_000)) {
      TestStores.write(store, HealthFixtures.payloads());
      meter.tick(afterFixtures);
      // a day later the window (an hour) holds none of the calls: nothing is sent
      meter.tick(afterFixtures.plus(Duration.ofDays(1)));
      byte[] body = received.poll(30, TimeUnit.SECONDS);
      assertThat(body).as("one export upstream").isNotNull();
      ExportMetricsServiceRequest sent = OtlpJson.merge(body, ExportMetricsServiceRequest.newBuilder()).build();
      Map<String, Metric> metrics = new LinkedHashMap<>();
      sent.getResourceMetrics(0).getScopeMetrics(0).getMetricsList().forEach(m -> metrics.put(m.getName(), m));
      assertThat(metrics).containsKeys("memory.health.never_read.ratio", "memory.health.search.empty.ratio",
          "memory.health.read_write.ratio", "memory.health.unchanged_rewrites", "memory.health.duplicate_values",
          "memory.health.redis_commands_per_operation", "memory.health.n_plus_one_calls", "memory.ttl.missing");
      assertThat(point(metrics.get("memory.health.never_read.ratio"), "notes")).isEqualTo(0.6667);
      assertThat(point(metrics.get("memory.ttl.missing"), "lost")).isEqualTo(1.0);
      assertThat(point(metrics.get("memory.ttl.missing"), "chat")).isEqualTo(0.0);
      assertThat(point(metrics.get("memory.health.n_plus_one_calls"), "facts")).isEqualTo(1.0);
      assertThat(metrics.get("memory.health.search.empty.ratio").getGauge().getDataPointsList())
          .as("no point where a store had no search").hasSize(1);
      assertThat(received.poll(1, TimeUnit.SECONDS) == null).as("the empty window sent nothing").isTrue();
      assertThat(stored(store, "memory.health.unchanged_rewrites", "chat")).isEqualTo(1.0);
      assertThat(stored(store, "memory.ttl.missing", "lost")).isEqualTo(1.0);
    } finally {
      forwarder.close(Duration.ofSeconds(2));
      upstream.stop(0);
    }
  }

  private static double point(Metric metric, String store) {
    return metric.getGauge().getDataPointsList().stream()
        .filter(p -> p.getAttributes(0).getValue().getStringValue().equals(store)).findFirst()
        .map(p -> p.hasAsDouble() ? p.getAsDouble() : (double) p.getAsInt()).orElseThrow();
  }

  private static double stored(SpanStore store, String name, String memoryStore) throws Exception {
    try (Connection c = store.newConnection(); Statement s = c.createStatement();
         ResultSet r = s.executeQuery("SELECT value FROM metrics WHERE name = '" + name + "' "
             + "AND attributes->>'memory.store' = '" + memoryStore + "' ORDER BY time DESC LIMIT 1")) {
      assertThat(r.next()).as("a stored point of %s for %s", name, memoryStore).isTrue();
      return r.getDouble(1);
    }
  }
}
