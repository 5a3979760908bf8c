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
 * The counter the real collector sends for model calls given another tenant's memory: {@code serve --config} with a
 * tenant rule takes one trace over OTLP/HTTP (a memory search reading a key of another tenant, and a model call that
 * links to it), judges it, and forwards {@code memory.tenant.cross_reads}; every metrics export it forwards is kept, one
 * per line, in the format {@link ExportedMetrics} reads.
 */
final class CrossTenantMetric {

  private static final String TRACE = "0000000000000000000000000000d001";

  private CrossTenantMetric() {
  }

  static Path run(Path work) throws IOException, InterruptedException {
    assertThat(BuildPaths.COLLECTOR_JAR).as("the collector jar (built by mvn package)").exists();
    Files.createDirectories(work);
    Path config = work.resolve("memtrace.yaml");
    Files.writeString(config, "memory-state:\n  tenant:\n    from-conversation: '^([^:]+):'\n"
        + "    from-key: '^(?:chat|docs):([^:]+):'\n");
    int port = Ports.free();
    try (OtlpSink upstream = new OtlpSink()) {
      ForkedJvm serve = ForkedJvm.jar(BuildPaths.COLLECTOR_JAR, "serve", "--port", String.valueOf(port), "--grpc-port",
          "off", "--data", work.resolve("data-" + System.nanoTime()).toString(), "--config", config.toString(),
          "--forward", upstream.endpoint(), "--model-calls-interval", "1s").timeout(Duration.ofSeconds(60));
      try (ForkedJvm.Running running = serve.start(work.resolve("serve"))) {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        // stamped when sent: serve judges the model calls that started since it did, a couple of seconds after
        while (!sent(http, port)) {
          assertThat(System.nanoTime()).as("serve took the trace within 30 s: %s", running.result()).isLessThan(deadline);
          Thread.sleep(200);
        }
        // forwarded as serve made it, in OTLP/JSON
        while (upstream.requests("/v1/metrics").stream().noneMatch(r -> r.text().contains("memory.tenant.cross_reads"))) {
          assertThat(System.nanoTime()).as("serve forwarded memory.tenant.cross_reads within 30 s: %s", running.result())
              .isLessThan(deadline);
          Thread.sleep(200);
        }
      }
      List<String> exports = upstream.requests("/v1/metrics").stream().map(OtlpSink.Request::text)
          .collect(Collectors.toList());
      Path metrics = work.resolve("cross-tenant-metrics.jsonl");
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

  /** A search of acme's conversation reads a key of globex's; the model call it fed links to it. */
  private static String trace() {
    long now = System.currentTimeMillis() * 1_000_000L;
    String search = span("0000000000000b01", null, "aqe.memory.search", now, now + 5_000_000L, 1,
        "{\"key\":\"memory.operation\",\"value\":{\"stringValue\":\"search\"}},"
            + "{\"key\":\"memory.namespace\",\"value\":{\"stringValue\":\"docs\"}}", "");
    String read = span("0000000000000b02", "0000000000000b01", "HGETALL", now + 1_000_000L, now + 2_000_000L, 3,
        "{\"key\":\"db.system.name\",\"value\":{\"stringValue\":\"redis\"}},"
            + "{\"key\":\"db.operation.name\",\"value\":{\"stringValue\":\"HGETALL\"}},"
            + "{\"key\":\"memory.key\",\"value\":{\"stringValue\":\"docs:globex:d9\"}},"
            + "{\"key\":\"memory.namespace\",\"value\":{\"stringValue\":\"docs:globex\"}},"
            + "{\"key\":\"server.address\",\"value\":{\"stringValue\":\"127.0.0.1\"}},"
            + "{\"key\":\"server.port\",\"value\":{\"intValue\":\"6379\"}},"
            + "{\"key\":\"db.namespace\",\"value\":{\"stringValue\":\"0\"}}", "");
    String model = span("0000000000000b03", null, "chat gpt-4o", now + 10_000_000L, now + 60_000_000L, 3,
        "{\"key\":\"gen_ai.operation.name\",\"value\":{\"stringValue\":\"chat\"}},"
            + "{\"key\":\"gen_ai.request.model\",\"value\":{\"stringValue\":\"gpt-4o\"}},"
            + "{\"key\":\"gen_ai.conversation.id\",\"value\":{\"stringValue\":\"acme:c1\"}}",
        ",\"links\":[{\"traceId\":\"" + TRACE + "\",\"spanId\":\"0000000000000b01\",\"attributes\":["
            + "{\"key\":\"memtrace.context.source\",\"value\":{\"stringValue\":\"retrieval\"}},"
            + "{\"key\":\"memtrace.context.records\",\"value\":{\"intValue\":\"1\"}}]}]");
    return "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":"
        + "\"assistant\"}}]},\"scopeSpans\":[{\"scope\":{\"name\":\"deploy-check\"},\"spans\":[" + search + "," + read
        + "," + model + "]}]}]}";
  }

  private static String span(String id, String parent, String name, long start, long end, int kind, String attributes,
      String links) {
    return String.format(Locale.ROOT, "{\"traceId\":\"%s\",\"spanId\":\"%s\",%s\"name\":\"%s\",\"kind\":%d,"
        + "\"startTimeUnixNano\":\"%d\",\"endTimeUnixNano\":\"%d\",\"attributes\":[%s]%s}", TRACE, id,
        parent == null ? "" : "\"parentSpanId\":\"" + parent + "\",", name, kind, start, end, attributes, links);
  }
}
