package io.memtrace.collector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.memtrace.collector.Cli;
import io.memtrace.collector.embedded.EmbeddedReader;
import io.memtrace.collector.ingest.IngestListener;
import io.memtrace.collector.ingest.OtlpIngest;
import io.memtrace.collector.lineage.GeneratedStore;
import io.memtrace.collector.query.QueryLimits;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.server.ApiSettings;
import io.memtrace.collector.server.CollectorServer;
import io.memtrace.collector.server.http.FrontLimits;
import io.memtrace.collector.store.SpanStore;
import io.memtrace.collector.store.StoreFiles;
import io.memtrace.collector.store.TestStores;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code traces --trace} and {@code timeline --key} against a running server ask it one request each
 * ({@code /api/answers/...}), counted by a proxy in front of it, and print byte for byte what they print reading the
 * same store themselves: lineage, model calls and keyspace lines of generated traces over a shared keyspace.
 */
class AnswersOverServerTest {

  private static final String TOKEN = "answers-over-server-test-token-0123456789";

  @TempDir
  Path dir;

  @Test
  void shouldPrintTracesAndTimelinesFromOneRequestEachAsFromTheStoreItself() throws Exception {
    TestStores.fill(dir, GeneratedStore.generated(new Random(5), 12, 40).toArray(ExportTraceServiceRequest[]::new));
    List<String> traces;
    try (EmbeddedReader reader = EmbeddedReader.local(new StoreFiles(dir))) {
      ResultTable ids = reader.query("SELECT DISTINCT trace_id FROM spans ORDER BY trace_id LIMIT 5");
      traces = IntStream.range(0, ids.size()).mapToObj(i -> ids.text(i, "trace_id")).toList();
    }
    List<String> keys = List.of("ns0:1", "ns1:7", "ns2:14");
    List<Cli> local = new ArrayList<>();
    traces.forEach(t -> local.add(Cli.run("traces", "--data", dir.toString(), "--trace", t)));
    keys.forEach(k -> local.add(Cli.run("timeline", "--data", dir.toString(), "--key", k)));
    assertThat(String.join("", local.stream().map(c -> c.out).toList())).contains("│ Trace: ", "written ", "earlier by");

    try (SpanStore store = SpanStore.open(new StoreFiles(dir), OtlpIngest::decodeSpans);
         Proxy proxy = new Proxy(served(store).localUrl())) {
      for (int i = 0; i < traces.size() + keys.size(); i++) {
        boolean trace = i < traces.size();
        proxy.asked.clear();
        Cli asked = trace ? proxy.cli("traces", "--trace", traces.get(i))
            : proxy.cli("timeline", "--key", keys.get(i - traces.size()));
        assertThat(asked.exitCode).as("%s", asked).isEqualTo(local.get(i).exitCode);
        assertThat(asked.out).as("%s", asked).isEqualTo(local.get(i).out);
        assertThat(proxy.asked).as("the requests of %s", asked)
            .containsExactly("GET /api/answers/" + (trace ? "traces" : "timeline"));
      }
    }
  }

  private CollectorServer served(SpanStore store) throws IOException {
    long bodyLimit = 16 << 20;
    CollectorServer server = new CollectorServer("127.0.0.1", 0, null, bodyLimit, new FrontLimits(
        Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(30), 64, FrontLimits.defaultBudget(bodyLimit)),
        store, null, IngestListener.NONE, new ApiSettings(TOKEN, Set.of(), "answers-test", QueryLimits.DEFAULT));
    server.start();
    closing.add(server);
    return server;
  }

  private final List<AutoCloseable> closing = new ArrayList<>();

  /** Passes every request on to the server and keeps its method and path, so that the test counts what was asked. */
  private final class Proxy implements AutoCloseable {

    final List<String> asked = Collections.synchronizedList(new ArrayList<>());
    private final HttpServer http;
    private final HttpClient client = HttpClient.newHttpClient();
    private final URI server;

    Proxy(URI server) throws IOException {
      this.server = server;
      http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      http.createContext("/", this::pass);
      http.start();
    }

    Cli cli(String... args) {
      List<String> all = new ArrayList<>(List.of(args));
      all.addAll(List.of("--server", "http://127.0.0.1:" + http.getAddress().getPort(), "--api-token", TOKEN));
      return Cli.run(all.toArray(new String[0]));
    }

    private void pass(HttpExchange exchange) throws IOException {
      try (exchange; InputStream in = exchange.getRequestBody()) {
        asked.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
        HttpRequest.Builder request = HttpRequest.newBuilder(server.resolve(exchange.getRequestURI().toString()))
            .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(in.readAllBytes()));
        for (String header : List.of("Authorization", "Content-Type")) {
          String value = exchange.getRequestHeaders().getFirst(header);
          if (value != null) {
            request.header(header, value);
          }
        }
        HttpResponse<byte[]> answer = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        answer.headers().firstValue("Content-Type").ifPresent(v -> exchange.getResponseHeaders().set("Content-Type", v));
        exchange.sendResponseHeaders(answer.statusCode(), answer.body().length == 0 ? -1 : answer.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(answer.body());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public void close() throws Exception {
      http.stop(0);
      for (AutoCloseable c : closing) {
        c.close();
      }
    }
  }
}
