package io.memtrace.collector.it;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Page;
import io.memtrace.collector.Cli;
import io.memtrace.collector.SpanFixtures;
import io.memtrace.collector.ingest.IngestListener;
import io.memtrace.collector.ingest.OtlpIngest;
import io.memtrace.collector.query.QueryLimits;
import io.memtrace.collector.server.ApiSettings;
import io.memtrace.collector.server.CollectorServer;
import io.memtrace.collector.server.http.FrontLimits;
import io.memtrace.collector.store.HeldBacklog;
import io.memtrace.collector.store.SpanStore;
import io.memtrace.collector.store.StoreFiles;
import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.Closing;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Reading while acknowledged spans wait in the ingest log: {@code report}, {@code traces} and the web view answer at
 * once from what is loaded and say how many spans wait; {@code query} waits for them unless told not to. The server
 * runs in this JVM so that its writer can be held ({@link HeldBacklog}): a real burst loads as fast as the machine
 * allows, and on a shared machine that is anything.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BacklogIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "backlog-it-token";
  private static final String WAITING_TRACE = "0000000000000000000000000000b10c";
  /** Spans held at the head of the backlog, and sent behind them. */
  private static final int HELD = 20;
  private static final int BEHIND = 300;

  private SpanStore store;
  private CollectorServer server;
  private HeldBacklog held;
  private long loadedSpans;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void serveWithABacklog() throws Exception {
    Path dir = Files.createDirectories(BuildPaths.IT_WORK.resolve("backlog-" + System.nanoTime()));
    store = SpanStore.open(new StoreFiles(dir), OtlpIngest::decodeSpans);
    long bodyLimit = 16 << 20;
    server = new CollectorServer("127.0.0.1", 0, null, bodyLimit, new FrontLimits(Duration.ofSeconds(10),
        Duration.ofSeconds(30), Duration.ofSeconds(30), 64, FrontLimits.defaultBudget(bodyLimit)), store, null,
        IngestListener.NONE, new ApiSettings(TOKEN, Set.of(), "backlog-it", QueryLimits.DEFAULT));
    server.start();
    ExportTraceServiceRequest seed = SpanFixtures.seedTrace();
    post(seed);
    assertThat(store.awaitLoaded()).isZero();
    loadedSpans = seed.getResourceSpans(0).getScopeSpans(0).getSpansCount();
    held = HeldBacklog.hold(store, waiting(0, HELD).toByteArray());
    post(waiting(HELD, BEHIND));
    assertThat(store.pendingSpans()).isEqualTo(HELD + BEHIND);
  }

  @AfterAll
  void stop() throws Exception {
    Closing.all(held, server, store);
  }

  @Test
  @Order(1)
  void shouldReportAtOnceFromWhatIsLoadedAndSayHowManySpansWait() throws Exception {
    // counted, not timed: a report that waited for the backlog would have waited once (a wall-clock bound of 30 s
    // failed a run at load 20 that waited for nothing)
    long waits = store.loadWaits();
    Cli json = cli("report", "--format", "json");
    assertThat(store.loadWaits()).as("report waited for the backlog").isEqualTo(waits);
    JsonNode report = JSON.readTree(json.out);
    assertThat(report.path("pending_spans").asLong()).isEqualTo(HELD + BEHIND);
    assertThat(report.at("/sections/overview/rows/0/spans").asLong()).isEqualTo(loadedSpans);

    assertThat(cli("report").out).contains("_Note: 320 spans the collector acknowledged were still waiting to be "
        + "loaded into its store, and are left out (--wait-loaded waits up to 30 s for them)._");
    Cli traces = cli("traces", "--last", "10");
    assertThat(traces.out).contains("aqe.task.generate").doesNotContain("b10c");
    assertThat(traces.err).contains("note: 320 spans the collector acknowledged were still waiting");

    JsonNode api = JSON.readTree(get("/api/report").body());
    assertThat(api.path("pending_spans").asLong()).isEqualTo(HELD + BEHIND);
    HttpResponse<String> now = http.send(authorized("/api/query?wait=false").header("Content-Type", "application/sql")
        .POST(HttpRequest.BodyPublishers.ofString("SELECT count(*) FROM spans")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(JSON.readTree(now.body()).at("/rows/0/0").asLong()).isEqualTo(loadedSpans);
    assertThat(JSON.readTree(now.body()).path("pending_spans").asLong()).isEqualTo(HELD + BEHIND);
    HttpResponse<String> unclear = http.send(authorized("/api/query?wait=soon").header("Content-Type",
        "application/sql").POST(HttpRequest.BodyPublishers.ofString("SELECT 1")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(unclear.statusCode()).isEqualTo(400);
    assertThat(unclear.body()).contains("or false (read what is loaded now), not soon");
    Cli query = cli("query", "--no-wait-loaded", "--format", "csv", "SELECT count(*) AS n FROM spans");
    assertThat(query.out).isEqualTo("n\n" + loadedSpans + "\n");
    assertThat(query.err).contains("note: 320 spans");
    assertThat(store.loadWaits()).as("neither the report, traces, the report API nor a query told not to wait waited")
        .isEqualTo(waits);
  }

  @Test
  @Order(2)
  void shouldShowTheWaitingSpansOnThePageAndNotWaitForThem() {
    try (Chromium chromium = Chromium.start(); Chromium.Tab tab = chromium.tab(server.localUrl()).signIn(TOKEN)) {
      Page page = tab.go("#/report");
      assertThat(page.locator("#section-overview")).isVisible();
      assertThat(page.locator("#pending")).isVisible();
      assertThat(page.locator("#pending")).containsText("320 spans the collector acknowledged are still waiting");
      screenshot(page, "report-pending.png"); // to look at: the note beside the report it qualifies
      page = tab.go("#/traces");
      assertThat(page.locator(".trace-row").first()).isVisible();
      assertThat(page.locator("#pending")).containsText("320 spans");
    }
  }

  @Test
  @Order(3)
  void shouldLetAQueryReadItsOwnWritesAndSayNothingOnceAllIsLoaded() throws Exception {
    long waits = store.loadWaits();
    // the writer is let go once the query waits for it (a hang guard of 120 s lets it go anyway)
    Thread release = new Thread(() -> {
      long deadline = System.nanoTime() + 120_000_000_000L;
      try {
        while (store.loadWaits() == waits && System.nanoTime() < deadline) {
          Thread.sleep(10);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      held.close();
    });
    release.start();
    // query waits by default
    Cli query = cli("query", "--format", "csv", "SELECT count(*) AS n FROM spans");
    assertThat(store.loadWaits()).as("the query waited for the backlog").isEqualTo(waits + 1);
    assertThat(query.out).isEqualTo("n\n" + (loadedSpans + HELD + BEHIND) + "\n");
    assertThat(query.err).isEmpty();
    release.join();

    JsonNode report = JSON.readTree(cli("report", "--format", "json").out);
    assertThat(report.has("pending_spans")).isFalse();
    assertThat(report.at("/sections/overview/rows/0/spans").asLong()).isEqualTo(loadedSpans + HELD + BEHIND);
    assertThat(cli("report").out).doesNotContain("_Note:");
    Cli traces = cli("traces", "--last", "10");
    assertThat(traces.out).contains("b10c");
    assertThat(traces.err).isEmpty();
  }

  /** A request of {@code count} spans of the waiting trace, numbered from {@code from}. */
  private static ExportTraceServiceRequest waiting(int from, int count) {
    List<Span> spans = IntStream.range(from, from + count)
        .mapToObj(i -> SpanFixtures.span(WAITING_TRACE, null, "GET", i, 1).build()).toList();
    return SpanFixtures.request("backlog", spans);
  }

  private Cli cli(String... args) {
    String[] all = new String[args.length + 4];
    all[0] = args[0];
    System.arraycopy(new String[] {"--server", server.localUrl().toString(), "--api-token", TOKEN}, 0, all, 1, 4);
    System.arraycopy(args, 1, all, 5, args.length - 1);
    Cli result = Cli.run(all);
    assertThat(result.exitCode).as("%s", result).isZero();
    return result;
  }

  private void post(ExportTraceServiceRequest request) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(server.localUrl().resolve("/v1/traces"))
        .header("Content-Type", "application/x-protobuf")
        .POST(HttpRequest.BodyPublishers.ofByteArray(request.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(authorized(path).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest.Builder authorized(String path) {
    return HttpRequest.newBuilder(URI.create(server.localUrl() + path)).header("Authorization", "Bearer " + TOKEN);
  }

  private static void screenshot(Page page, String name) {
    try {
      Files.createDirectories(ChromiumWebViewIT.IMAGES);
      page.screenshot(new Page.ScreenshotOptions().setPath(ChromiumWebViewIT.IMAGES.resolve(name)).setFullPage(false));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
