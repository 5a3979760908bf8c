package io.memtrace.collector.it;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.clickhouse.client.api.Client;
import com.clickhouse.data.ClickHouseFormat;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import io.memtrace.collector.clickhouse.ClickHouseSession;
import io.memtrace.collector.clickhouse.ClickHouseUrl;
import io.memtrace.collector.clickhouse.SchemaInit;
import io.memtrace.collector.clickhouse.SchemaOptions;
import io.memtrace.collector.clickhouse.reader.OtelTracesRows;
import io.memtrace.collector.lineage.LineageFixtures;
import io.memtrace.collector.reader.ContractCorpus;
import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.Closing;
import io.memtrace.testsupport.ForkedJvm;
import io.memtrace.testsupport.Ports;
import io.memtrace.testsupport.Progress;
import io.memtrace.testsupport.clickhouse.ChdbFront;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.opentest4j.AssertionFailedError;

/**
 * {@code serve --clickhouse}, the query tier, as a real process against ClickHouse 26.9 (chDB behind the test front)
 * holding the contract corpus as the exporter writes it: {@code /api/report}, {@code /api/query} with seed 000's
 * queries, {@code traces --clickhouse} with lineage, the web view's report page in Chromium, and one-line errors.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class ClickHouseServeIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ChdbFront front;
  private CollectorProcess serve;
  private Path dir;
  /** One browser for the class's page tests, each in a tab of a fresh profile: started by the first that needs it. */
  private Chromium chromium;

  @BeforeAll
  void start() throws Exception {
    dir = BuildPaths.IT_WORK.resolve("clickhouse-serve-" + System.nanoTime());
    front = ChdbFront.start(dir.resolve("chdb"));
    try (ClickHouseSession session = ClickHouseSession.open(url("fleet"))) {
      SchemaInit.run(session, new SchemaOptions("fleet", null, 0));
    }
    try (Client client = new Client.Builder().addEndpoint(front.endpoint()).setUsername(front.user())
        .setPassword(front.password()).setDefaultDatabase("fleet").compressClientRequest(true).build()) {
      client.insert("otel_traces", new ByteArrayInputStream(OtelTracesRows.of(ContractCorpus.payloads())),
          ClickHouseFormat.JSONEachRow).get(60, TimeUnit.SECONDS).close();
    }
    serve = CollectorProcess.serve(launch -> credentials(launch, front.password()), dir.resolve("tier"),
        "--clickhouse", front.url("fleet"));
  }

  @AfterAll
  void stop() throws Exception {
    Closing.all(chromium, serve, front);
  }

  private Chromium chromium() {
    if (chromium == null) {
      chromium = Chromium.start();
    }
    return chromium;
  }

  private ClickHouseUrl url(String database) {
    return ClickHouseUrl.parse(front.url(database), Map.of(ClickHouseUrl.USER_ENV, front.user(),
        ClickHouseUrl.PASSWORD_ENV, front.password()));
  }

  private ForkedJvm credentials(ForkedJvm launch, String password) {
    return launch.env(ClickHouseUrl.USER_ENV, front.user()).env(ClickHouseUrl.PASSWORD_ENV, password);
  }

  private ForkedJvm.Result command(String password, String... args) throws Exception {
    return credentials(ForkedJvm.jar(CollectorProcess.JAR, args), password).run(Files.createDirectories(dir.resolve("cli")));
  }

  @Test
  void shouldAnswerTheReportFromClickHouse() throws Exception {
    HttpResponse<String> response = serve.get("/api/report?layer=redis");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode report = JSON.readTree(response.body());
    assertThat(report.path("source").asText()).contains("ClickHouse at " + front.endpoint() + "/fleet");
    assertThat(report.toString()).contains("\"user:1\"", "\"hot_keys\"", "\"misses_after_write\"");
    // the overview counts the spans of otel_traces from the rows the layer operations' view keeps per hour
    // (memtrace_layer_ops, layer 'span')
    List<String> sql = new ArrayList<>();
    report.path("sql").forEach(statement -> sql.add(statement.asText()));
    assertThat(sql).anyMatch(statement -> statement.contains("FROM memtrace_layer_ops WHERE Layer = 'span'"));
  }

  @Test
  void shouldRunSeed000sQueriesAsWrittenOnTheSpansView() throws Exception {
    String sql = "SELECT\n  attributes['memory.namespace'] as namespace,\n  COUNT(*) as operation_count,\n"
        + "  AVG(attributes['memory.operation_duration_ms']) as avg_duration_ms\nFROM spans\n"
        + "WHERE name LIKE 'aqe.memory.%'\nGROUP BY namespace\nORDER BY namespace;";
    HttpResponse<String> response = serve.post("/api/query", "application/json", null,
        JSON.writeValueAsBytes(Map.of("sql", sql)));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.body()).contains("aqe/test-plans", "aqe/reports");
    HttpResponse<String> write = serve.post("/api/query", "application/json", null,
        JSON.writeValueAsBytes(Map.of("sql", "DROP TABLE otel_traces")));
    assertThat(write.statusCode()).as(write.body()).isEqualTo(400);
    assertThat(write.body()).contains("readonly");
  }

  @Test
  void shouldPrintATraceWithTheWriteEachReadSaw() throws Exception {
    ForkedJvm.Result traces = command(front.password(), "traces", "--clickhouse", front.url("fleet"), "--trace",
        LineageFixtures.READER_TRACE);

    assertThat(traces.exitCode).as("%s", traces).isZero();
    assertThat(traces.stdout).contains("app.task.execute", "GET", "written 100 ms earlier by app.task.generate in writer-svc",
        "found nothing: deleted 79 ms earlier by DEL", "writer compressed by retention");
  }

  @Test
  void shouldSendTheFleetsMemoryHealthGaugesToForward() throws Exception {
    java.util.concurrent.BlockingQueue<String> received = new java.util.concurrent.LinkedBlockingQueue<>();
    com.sun.net.httpserver.HttpServer upstream = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    upstream.createContext("/v1/metrics", exchange -> {
      received.add(new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    upstream.start();
    // the corpus's calls are of 2024: a window wide enough to hold them
    try (CollectorProcess tier = CollectorProcess.serve(launch -> credentials(launch, front.password()),
        dir.resolve("tier-health"), "--clickhouse", front.url("fleet"), "--forward",
        "http://127.0.0.1:" + upstream.getAddress().getPort(), "--health-interval", "1s", "--health-window", "10000d")) {
      String body = received.poll(60, TimeUnit.SECONDS);
      assertThat(body).as("a health export within a minute; serve said %s", tier.stderr()).isNotNull();
      JsonNode metrics = JSON.readTree(body).at("/resourceMetrics/0/scopeMetrics/0/metrics");
      List<String> names = new ArrayList<>();
      metrics.forEach(m -> names.add(m.path("name").asText()));
      assertThat(names).contains("memory.health.read_write.ratio", "memory.health.never_read.ratio", "memory.ttl.missing");
      assertThat(body).contains("\"memory.store\"", "aqe/test-plans");
      assertThat(tier.stderr()).contains("memory health gauges to http://127.0.0.1:" + upstream.getAddress().getPort());
    } finally {
      upstream.stop(0);
    }
  }

  @Test
  void shouldSayInOneLineWhatIsWrongWithTheClickHouseItWasGiven() throws Exception {
    ForkedJvm.Result wrong = command("not-the-password", "report", "--clickhouse", front.url("fleet"));
    int port = Ports.free();
    ForkedJvm.Result away = command(front.password(), "query", "--clickhouse", "http://127.0.0.1:" + port + "/fleet",
        "SELECT 1");
    ForkedJvm.Result bad = command(front.password(), "traces", "--clickhouse", "http://127.0.0.1:8123");

    assertThat(wrong.exitCode).isEqualTo(1);
    assertThat(wrong.stderr.strip()).startsWith("error: ClickHouse at " + front.endpoint() + " refused the user '"
        + front.user() + "': wrong user or password").doesNotContain("\n");
    assertThat(away.stderr.strip()).startsWith("error: cannot reach ClickHouse at http://127.0.0.1:" + port)
        .doesNotContain("\n");
    assertThat(bad.stderr.strip()).isEqualTo("error: --clickhouse http://127.0.0.1:8123: its path names no database "
        + "(the one the OpenTelemetry Collector's exporter writes to); the form is http://HOST:8123/DATABASE");
  }

  @Test
  void shouldShowTheReportPageFromClickHouse() throws Exception {
    Matcher link = ChromiumWebViewIT.SIGN_IN.matcher(serve.stderr());
    assertThat(link.find()).as(serve.stderr()).isTrue();
    try (Chromium.Tab tab = chromium().tab(serve.url())) {
      Page page = tab.page;
      page.navigate(link.group(1));
      page.navigate(serve.url() + "/#/report?layer=redis");
      Locator hot = page.locator(".report-section", new Page.LocatorOptions().setHasText("Hot keys"));
      awaitText(hot, "user:1");
      assertThat(page.locator("body")).containsText("ClickHouse at " + front.endpoint() + "/fleet");
      Files.createDirectories(ChromiumWebViewIT.IMAGES);
      page.screenshot(new Page.ScreenshotOptions().setPath(ChromiumWebViewIT.IMAGES.resolve("clickhouse-report.png"))
          .setFullPage(true));
      List<String> outside = new ArrayList<>(tab.requests);
      outside.removeIf(u -> u.startsWith(serve.url().toString()));
      assertThat(outside).as("requests that left the query tier").isEmpty();
      assertThat(tab.pageErrors).isEmpty();
    }
  }

  /**
   * Every page of the web view on ClickHouse, in Chromium: the traces list and its key search, a trace's waterfall with
   * a read's write (lineage) and a span's details, the keys page (the report's lists and the heat map), one key's
   * history, the memory page, health and SQL. Each page asks its questions of the query tier, which answers them in
   * ClickHouse SQL; a screenshot of each is kept for people to look at.
   */
  @Test
  @org.junit.jupiter.api.Order(1) // before the watcher writes keyspace samples: the memory page reads spans
  void shouldShowEveryPageOfTheWebViewFromClickHouse() throws Exception {
    Files.createDirectories(ChromiumWebViewIT.IMAGES);
    try (Chromium.Tab tab = chromium().tab(serve.url()).signIn(serve.token())) {
      Page page = tab.go("#/traces");
      Locator rows = page.locator(".trace-row");
      assertThat(rows).hasCount(5);
      assertThat(page.locator(".trace-row", new Page.LocatorOptions().setHasText("app.task.execute")))
          .containsText("reader-svc");
      shot(page, "clickhouse-traces.png");
      page.fill("input[name=key]", "user:*");
      assertThat(page.locator("select[name=service] option[value='node-service']")).hasCount(1);
      page.click("form.search button[type=submit]");
      assertThat(rows).hasCount(3);
      assertThat(page.locator(".results .sql-item pre").first()).containsText("otel_traces");

      page = tab.go("#/trace/" + LineageFixtures.READER_TRACE);
      Locator names = page.locator(".wf-row:not(.summary) .wf-name");
      assertThat(names.first()).hasText("app.task.execute");
      assertThat(page.locator(".trace-head")).containsText("reader-svc");
      page.locator(".wf-row", new Page.LocatorOptions().setHasText("user:1")).first().click();
      Locator detail = page.locator(".detail");
      assertThat(detail.locator(".lineage")).containsText("write by SET (writer-svc)");
      assertThat(detail.locator(".lineage a")).hasAttribute("href", java.util.regex.Pattern.compile(
          LineageFixtures.WRITER_TRACE));
      assertThat(detail.locator(".lineage")).containsText("value age");
      assertThat(detail).containsText("db.operation.name");
      assertThat(page.locator(".sizes")).containsText("keyspace table has no samples");
      shot(page, "clickhouse-trace.png");

      page = tab.go("#/keys?layer=redis");
      Locator hot = page.locator(".keys-list", new Page.LocatorOptions().setHasText("Hot keys"));
      assertThat(hot.locator("tbody tr").first()).containsText("user:1");
      assertThat(page.locator(".heatmap .hm-label")).not().hasCount(0);
      page.waitForTimeout(300);
      shot(page, "clickhouse-keys.png");
      hot.locator("a", new Locator.LocatorOptions().setHasText("user:1")).first().click();
      assertThat(page.locator("h1.key-title")).hasText("user:1");
      assertThat(page.locator(".history tbody tr")).hasCount(6);
      assertThat(page.locator(".history")).containsText("node-service");
      shot(page, "clickhouse-key.png");

      page = tab.go("#/memory");
      assertThat(page.locator(".gauge")).hasCount(3);
      assertThat(page.locator(".panel", new Page.LocatorOptions().setHasText("Namespace growth"))).containsText("aqe/test-plans");
      shot(page, "clickhouse-memory.png");

      page = tab.go("#/health");
      assertThat(page.locator(".query-tier")).containsText("ClickHouse at " + front.endpoint() + "/fleet");
      shot(page, "clickhouse-health.png");

      assertThat(new ArrayList<>(tab.requests)).as("the pages ask questions, never SQL").isNotEmpty()
          .noneMatch(u -> u.contains("/api/query"));
      page = tab.go("#/sql");
      page.click("button:has-text('Run')");
      assertThat(page.locator(".sql-result tbody tr").first()).isVisible();
      shot(page, "clickhouse-sql.png");

      List<String> outside = new ArrayList<>(tab.requests);
      outside.removeIf(u -> u.startsWith(serve.url().toString()));
      assertThat(outside).as("requests that left the query tier").isEmpty();
      assertThat(tab.pageErrors).isEmpty();
    }
  }

  /**
   * {@code watch --clickhouse}: two passes over a real Redis into memtrace_keyspace, which the query tier then answers
   * from: the samples and seed 001's gauges by the watcher's layer mapping, and the memory page's charts in Chromium.
   */
  @Test
  @org.junit.jupiter.api.Order(2)
  void shouldWatchRedisIntoClickHouseForTheMemoryPage() throws Exception {
    try (io.memtrace.testsupport.TestRedis redis = io.memtrace.testsupport.TestRedis.start();
        redis.clients.jedis.Jedis jedis = new redis.clients.jedis.Jedis(redis.host, redis.port)) {
      jedis.flushAll();
      jedis.rpush("session:s1:messages", "user: hi");
      jedis.setex("cache:k", 600, "v");
      jedis.hset("deep:memory:1", Map.of("text", "t"));
      jedis.hset("deep:memory:2", Map.of("text", "u"));
      ForkedJvm.Result run = command(front.password(), "watch", "--redis", redis.url(), "--interval", "500ms",
          "--passes", "2", "--clickhouse", front.url("fleet"));
      assertThat(run.exitCode).as("%s", run).isZero();
      ForkedJvm.Result refused = command("not-the-password", "watch", "--redis", redis.url(), "--passes", "1",
          "--clickhouse", front.url("fleet"));
      assertThat(refused.exitCode).isEqualTo(1);
      assertThat(refused.stderr.strip()).startsWith("error: ClickHouse at " + front.endpoint() + " refused the user");
    }
    JsonNode samples = JSON.readTree(serve.get("/api/view/samples").body());
    assertThat(samples.at("/rows/0/0").asLong()).as("%s", samples).isGreaterThanOrEqualTo(6);
    JsonNode gauges = JSON.readTree(serve.get("/api/view/gauges").body());
    assertThat(gauges.toString()).as("%s", gauges).contains("memtrace_keyspace");
    List<String> layers = new ArrayList<>();
    for (JsonNode row : gauges.get("rows")) {
      layers.add(row.get(0).asText() + "=" + row.get(2).asLong() + (row.get(4).asBoolean() ? " estimated" : ""));
    }
    assertThat(layers).as("each pass counted the small database whole: no estimate")
        .contains("deep=2", "session=1", "cache=1");
    try (Chromium.Tab tab = chromium().tab(serve.url()).signIn(serve.token())) {
      Page page = tab.go("#/memory");
      assertThat(page.locator(".uplot")).hasCount(2);
      assertThat(page.locator(".gauge[data-gauge='memory.deep.count'] .gauge-value")).hasText("2");
      assertThat(page.locator(".panel", new Page.LocatorOptions().setHasText("Growth per namespace"))
          .locator("tbody tr")).hasCount(3);
      assertThat(page.locator(".panel", new Page.LocatorOptions().setHasText("Growth per namespace"))
          .locator("tbody").innerText()).as("a figure of a whole pass marked as an estimate").doesNotContain("~");
      assertThat(page.locator(".gauge").first().innerText()).doesNotContain("estimated");
      page.waitForTimeout(300);
      shot(page, "clickhouse-memory-keyspace.png");
      assertThat(tab.pageErrors).isEmpty();
    }
  }

  /**
   * Waits until {@code locator} shows {@code text} for as long as serve works on the page's questions (test-support's
   * {@code Progress} over the serving JVM, ADR 0007): the report from ClickHouse took past 29 s beside a fresh
   * machine's Go builds, and a wall-clock limit is a guess at the machine's speed. A serve that answers nothing for a
   * stall window fails the test, as does one past its CPU budget.
   */
  private void awaitText(Locator locator, String text) throws InterruptedException {
    // serve's JVM, and a launcher's child with it where serve relaunched itself (Progress counts descendants)
    ProcessHandle serving = serve.jvms().get(0);
    String why = new Progress(serving, Duration.ofMinutes(3), Progress.STALL_WINDOW).await(millis -> {
      try {
        assertThat(locator).containsText(text, new LocatorAssertions.ContainsTextOptions().setTimeout(millis));
        return true;
      } catch (AssertionFailedError notYet) {
        return false;
      }
    });
    if (why != null) {
      throw new AssertionError("the page did not show " + text + " while serve " + why + "; it shows: "
          + locator.page().locator("body").innerText() + "; serve said: " + serve.stderr());
    }
  }

  private static void shot(Page page, String name) {
    page.screenshot(new Page.ScreenshotOptions().setPath(ChromiumWebViewIT.IMAGES.resolve(name)).setFullPage(true));
  }
}
