package io.memtrace.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.ForkedJvm;
import io.memtrace.testsupport.OtlpSink;
import io.memtrace.testsupport.Ports;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The memory health gauges the real collector sends: {@code serve --health-interval 1s} takes one trace over OTLP/HTTP
 * (a memory store that asked for a TTL whose SET set none, and a search that found nothing), measures it, and forwards
 * {@code memory.health.*} and {@code memory.ttl.missing}; every metrics export it forwards is kept, one per line, in
 * the format {@link ExportedMetrics} reads.
 */
final class HealthMetric {

  private static final String TRACE = "0000000000000000000000000000d050";

  private HealthMetric() {
  }

  static Path run(Path work) throws IOException, InterruptedException {
    assertThat(BuildPaths.COLLECTOR_JAR).as("the collector jar (built by mvn package)").exists();
    Files.createDirectories(work);
    int port = Ports.free();
    try (OtlpSink upstream = new OtlpSink()) {
      ForkedJvm serve = ForkedJvm.jar(BuildPaths.COLLECTOR_JAR, "serve", "--port", String.valueOf(port), "--grpc-port",
          "off", "--data", work.resolve("data-" + System.nanoTime()).toString(), "--forward", upstream.endpoint(),
          "--health-interval", "1s").timeout(Duration.ofSeconds(60));
      try (ForkedJvm.Running running = serve.start(work.resolve("serve"))) {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!sent(http, port)) {
          assertThat(System.nanoTime()).as("serve took the trace within 30 s: %s", running.result()).isLessThan(deadline);
          Thread.sleep(200);
        }
        while (upstream.requests("/v1/metrics").stream().noneMatch(r -> r.text().contains("memory.ttl.missing"))) {
          assertThat(System.nanoTime()).as("serve forwarded memory.ttl.missing within 30 s: %s", running.result())
              .isLessThan(deadline);
          Thread.sleep(200);
        }
      }
      List<String> exports = upstream.requests("/v1/metrics").stream().map(OtlpSink.Request::text)
          .collect(Collectors.toList());
      Path metrics = work.resolve("health-metrics.jsonl");
      Files.write(metrics, exports);
      return metrics;
    }
  }

  private static boolean sent(HttpClient http, int port) throws InterruptedException {
    HttpRequest post = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/traces"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(trace())).build();
    try {
      return http.send(post, HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
    } catch (IOException notListeningYet) {
      return false;
    }
  }

  /** A store of chat:u1 asking for a TTL of 60 s whose SET set none, and a search that found nothing. */
  private static String trace() {
    long now = System.currentTimeMillis() * 1_000_000L;
    String store = span("0000000000000c01", null, "aqe.memory.store", now, now + 5_000_000L, 1,
        "{\"key\":\"memory.operation\",\"value\":{\"stringValue\":\"store\"}},"
            + "{\"key\":\"memory.namespace\",\"value\":{\"stringValue\":\"chat\"}},"
            + "{\"key\":\"memory.key\",\"value\":{\"stringValue\":\"u1\"}},"
            + "{\"key\":\"memory.ttl\",\"value\":{\"intValue\":\"60\"}}");
    String set = span("0000000000000c02", "0000000000000c01", "SET", now + 1_000_000L, now + 2_000_000L, 3,
        "{\"key\":\"db.system.name\",\"value\":{\"stringValue\":\"redis\"}},"
            + "{\"key\":\"db.operation.name\",\"value\":{\"stringValue\":\"SET\"}},"
            + "{\"key\":\"memory.key\",\"value\":{\"stringValue\":\"chat:u1\"}},"
            + "{\"key\":\"memory.namespace\",\"value\":{\"stringValue\":\"chat\"}}");
    String search = span("0000000000000c03", null, "aqe.memory.search", now + 10_000_000L, now + 12_000_000L, 1,
        "{\"key\":\"memory.operation\",\"value\":{\"stringValue\":\"search\"}},"
            + "{\"key\":\"memory.namespace\",\"value\":{\"stringValue\":\"chat\"}},"
            + "{\"key\":\"memory.result_count\",\"value\":{\"intValue\":\"0\"}}");
    return "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":"
        + "\"assistant\"}}]},\"scopeSpans\":[{\"scope\":{\"name\":\"deploy-check\"},\"spans\":[" + store + "," + set
        + "," + search + "]}]}]}";
  }

  private static String span(String id, String parent, String name, long start, long end, int kind, String attributes) {
    return String.format(Locale.ROOT, "{\"traceId\":\"%s\",\"spanId\":\"%s\",%s\"name\":\"%s\",\"kind\":%d,"
        + "\"startTimeUnixNano\":\"%d\",\"endTimeUnixNano\":\"%d\",\"attributes\":[%s]}", TRACE, id,
        parent == null ? "" : "\"parentSpanId\":\"" + parent + "\",", name, kind, start, end, attributes);
  }
}
