package io.memtrace.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.ForkedJvm;
import io.memtrace.testsupport.OtlpSink;
import io.memtrace.testsupport.ServeLauncher;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * A real {@code serve --forward} given one trace over OTLP/HTTP until it forwards a metric it makes of it; every
 * metrics export it forwarded is kept, one per line, in the format {@link ExportedMetrics} reads.
 */
final class ServeForward {

  private ServeForward() {
  }

  /**
   * @param trace  the trace as OTLP/JSON, made when sent (serve may judge only what started since it did)
   * @param metric the metric to wait for
   * @param args   serve's further arguments
   */
  static Path run(Path work, String name, Supplier<String> trace, String metric, String... args)
      throws IOException, InterruptedException {
    assertThat(BuildPaths.COLLECTOR_JAR).as("the collector jar (built by mvn package)").exists();
    Files.createDirectories(work);
    try (OtlpSink upstream = new OtlpSink()) {
      try (ServeLauncher.Started serve = ServeLauncher.start(port -> {
        List<String> command = new ArrayList<>(List.of("serve", "--port", String.valueOf(port), "--grpc-port", "off",
            "--data", work.resolve("data-" + System.nanoTime()).toString(), "--forward", upstream.endpoint()));
        command.addAll(List.of(args));
        return ForkedJvm.jar(BuildPaths.COLLECTOR_JAR, command.toArray(String[]::new));
      }, work)) {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (!sent(http, serve.port, trace.get())) {
          assertThat(System.nanoTime()).as("serve took the trace within 180 s: %s", serve.running.result())
              .isLessThan(deadline);
          Thread.sleep(200);
        }
        // forwarded as serve made it, in OTLP/JSON
        while (upstream.requests("/v1/metrics").stream().noneMatch(r -> r.text().contains(metric))) {
          assertThat(System.nanoTime()).as("serve forwarded %s within 180 s: %s", metric, serve.running.result())
              .isLessThan(deadline);
          Thread.sleep(200);
        }
      }
      List<String> exports = upstream.requests("/v1/metrics").stream().map(OtlpSink.Request::text)
          .collect(Collectors.toList());
      Path metrics = work.resolve(name + "-metrics.jsonl");
      Files.write(metrics, exports);
      return metrics;
    }
  }

  private static boolean sent(HttpClient http, int port, String trace) throws InterruptedException {
    HttpRequest post = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/traces"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(trace)).build();
    try {
      return http.send(post, HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
    } catch (IOException notListeningYet) {
      return false;
    }
  }
}
