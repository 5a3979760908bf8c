package io.memtrace.collector.it;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.options.Cookie;
import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.Closing;
import io.memtrace.testsupport.ForkedJvm;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The web view in a real headless Chromium (Debian's, driven by Playwright), against real
 * {@code serve} processes: one holding what the demo jar exported over OTLP while running under
 * the agent jar, one holding the hostile corpus {@code hostile/web-spans.json} (keys, names,
 * attributes and events with script tags, event-handler attributes, {@code javascript:} URLs,
 * bidi overrides and terminal escapes). Every request of every page is recorded, and none may
 * leave 127.0.0.1. The screenshots of the manual (docs/images) are taken here ({@link #IMAGES}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChromiumWebViewIT {

  /** Where the screenshots go: target/ unless asked, e.g. {@code -Dmemtrace.screenshots=../docs/images} for the manual's. */
  static final Path IMAGES = Paths.get(System.getProperty("memtrace.screenshots", "target/screenshots")).toAbsolutePath().normalize();
  static final Pattern SIGN_IN = Pattern.compile("memtrace web view: (http://\\S+)");
  /** The seed-000 workflow as the waterfall shows it: each task, its memory operations, their Redis commands. */
  static final List<String> SEED_000 = List.of("aqe.workflow", "aqe.task.generate", "aqe.memory.store", "SET",
      "aqe.task.execute", "aqe.memory.retrieve", "GET", "aqe.test.execute", "aqe.test.execute", "aqe.test.execute",
      "aqe.task.analyze", "aqe.memory.search", "SCAN", "aqe.memory.store", "SET", "aqe.task.cleanup",
      "aqe.memory.delete", "DEL", "aqe.task.recheck", "aqe.memory.retrieve", "GET", "aqe.task.audit",
      "aqe.memory.retrieve", "GET");

  private CollectorProcess demo;
  private CollectorProcess hostile;
  private CollectorProcess watched;
  /** A collector holding HealthFixtures' memory calls, whose TTL truth and health are known. */
  private CollectorProcess health;
  private Chromium chromium;
  private final List<String> requests = new ArrayList<>();

  /** The four collectors and the browser start together: one after another, they were the class's slowest part. */
  @BeforeAll
  void start() throws Exception {
    Path dir = BuildPaths.IT_WORK.resolve("web-" + System.nanoTime());
    ExecutorService starting = Executors.newFixedThreadPool(5);
    try {
      Future<Chromium> browser = starting.submit(Chromium::start);
      Future<CollectorProcess> demoServe = starting.submit(() -> CollectorProcess.serve(dir.resolve("demo")));
      Future<CollectorProcess> hostileServe = starting.submit(() -> CollectorProcess.serve(dir.resolve("hostile")));
      Future<CollectorProcess> watchedServe = starting.submit(
          () -> CollectorProcess.serve(keyspaceSamples(dir.resolve("watched"))));
      Future<CollectorProcess> healthServe = starting.submit(() -> CollectorProcess.serve(dir.resolve("health")));
      // every one that started is kept, so that stop() closes it even when another failed to start
      List<Exception> failed = new ArrayList<>();
      chromium = started(browser, failed);
      demo = started(demoServe, failed);
      hostile = started(hostileServe, failed);
      watched = started(watchedServe, failed);
      health = started(healthServe, failed);
      if (!failed.isEmpty()) {
        failed.stream().skip(1).forEach(failed.get(0)::addSuppressed);
        throw failed.get(0);
      }
    } finally {
      starting.shutdown();
    }
    HttpResponse<String> posted = hostile.post("/v1/traces", "application/json", null,
        Files.readAllBytes(Paths.get("src/test/resources/hostile/web-spans.json")));
    assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
    runDemo(dir);
    // the pages read what is loaded and never wait for it
    hostile.awaitLoaded();
    demo.awaitLoaded();
    for (io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest request
        : io.memtrace.collector.reader.HealthFixtures.payloads()) {
      HttpResponse<String> sent = health.post("/v1/traces", "application/x-protobuf", null, request.toByteArray());
      assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
    }
    health.awaitLoaded();
  }

  private static <T> T started(Future<T> starting, List<Exception> failed) throws InterruptedException {
    try {
      return starting.get();
    } catch (ExecutionException e) {
      failed.add(e.getCause() instanceof Exception cause ? cause : e);
      return null;
    }
  }

  /**
   * A store with keyspace samples as the keyspace watcher writes them (the contract's columns): an
   * hour of passes every 5 minutes over three namespaces of seed 001's layers, the session layer
   * growing past its 10 MB threshold. Written before serve opens the store.
   */
  private static Path keyspaceSamples(Path data) throws Exception {
    Files.createDirectories(data);
    io.memtrace.collector.store.SpanStore store = io.memtrace.collector.store.SpanStore.open(
        new io.memtrace.collector.store.StoreFiles(data));
    try (java.sql.Connection c = store.newConnection(); java.sql.Statement s = c.createStatement()) {
      s.execute("INSERT INTO keyspace (time, redis, db, namespace, layer, keys, bytes, bytes_error, sampled_keys, "
          + "keys_without_ttl, pass_id, complete, stale) SELECT now()::TIMESTAMP - INTERVAL 60 MINUTE + INTERVAL (p * 5) MINUTE, "
          + "'127.0.0.1:6379', 0, ns, layer, k0 + p * dk, b0 + p * db, 0, k0 + p * dk, nt, p, true, false "
          + "FROM range(13) t(p), (VALUES ('session', 'session', 200, 20, 6000000, 500000, 0), "
          + "('cache', 'cache', 900, 5, 40000000, 300000, 12), ('deep:memory', 'deep', 4000, 180, 9000000, 400000, 4000)) "
          + "v(ns, layer, k0, dk, b0, db, nt)");
    } finally {
      store.close();
    }
    return data;
  }

  /** The demo jar under the agent jar with the demo's configuration, exporting to the demo collector. */
  private void runDemo(Path dir) throws Exception {
    assertThat(BuildPaths.DEMO_JAR).as("the demo jar (mvn package builds it before the collector's tests)").exists();
    ForkedJvm.Result app = ForkedJvm.jar(BuildPaths.DEMO_JAR).withAgent("config=" + BuildPaths.DEMO_CONFIG)
        .exportTo(demo.url().toString())
        .env("OTEL_SERVICE_NAME", "aqe-fleet")
        .env("OTEL_METRIC_EXPORT_INTERVAL", "1000")
        .run(dir.resolve("demo-app"));
    assertThat(app.exitCode).as("%s", app).isZero();
  }

  @AfterAll
  void stop() throws Exception {
    try {
      // every page of every test: nothing fetched from anywhere but the collector
      assertThat(requests).isNotEmpty().allSatisfy(url -> assertThat(URI.create(url).getHost()).as(url).isEqualTo("127.0.0.1"));
    } finally {
      Closing.all(chromium, demo, hostile, watched, health);
    }
  }

  private Chromium.Tab tab(CollectorProcess serve) {
    return chromium.tab(serve.url());
  }

  private void done(Chromium.Tab tab) {
    requests.addAll(tab.requests);
    assertThat(tab.pageErrors).as("uncaught errors in the page").isEmpty();
    assertThat(tab.dialogs).as("dialogs").isEmpty();
    tab.close();
  }

  private static String signInLink(CollectorProcess serve) {
    Matcher m = SIGN_IN.matcher(serve.stderr());
    assertThat(m.find()).as("serve prints the web view's sign-in link: %s", serve.stderr()).isTrue();
    return m.group(1);
  }

  @Test
  @Order(1) // spends the one-time sign-in link
  void shouldShowTheSeed000TraceAsAWaterfallWithTheWrongtypeErrorMarked() throws Exception {
    Chromium.Tab tab = tab(demo);
    Page page = tab.page;
    // the link serve printed signs in once, and leaves no token in the address bar
    page.navigate(signInLink(demo));
    assertThat(page).hasURL(demo.url() + "/");
    Locator workflow = page.locator(".trace-row.has-error", new Page.LocatorOptions().setHasText("aqe.workflow"));
    assertThat(workflow).hasCount(1);
    workflow.click();

    Locator names = page.locator(".wf-row:not(.summary) .wf-name");
    assertThat(names).hasCount(SEED_000.size());
    assertThat(names.allTextContents()).containsExactlyElementsOf(SEED_000);
    Locator failed = page.locator(".wf-row.error");
    assertThat(failed).hasCount(2);
    assertThat(failed.locator(".wf-name").allTextContents()).containsExactly("aqe.memory.retrieve", "GET");
    assertThat(failed.nth(1).locator(".wf-error")).hasText("✗ WRONGTYPE");
    assertThat(failed.nth(1).locator(".wf-key")).hasText("aqe/test-plans:run-history");

    failed.nth(1).click();
    Locator detail = page.locator(".detail");
    assertThat(detail.locator(".facts")).containsText("WRONGTYPE Operation against a key holding the wrong kind of value");
    assertThat(detail.locator(".event-name")).hasText("exception");
    assertThat(detail).containsText("db.query.text");
    // the lineage helper's view is not in this store yet: its place is kept and says so
    assertThat(detail.locator("[data-lineage], .lineage").first()).isVisible();
    assertThat(page.locator(".sizes")).containsText("keyspace table has no samples");
    // the namespaces the trace touched, offered as restore --as-of into a scratch Redis
    assertThat(page.locator(".travel-command")).containsText("restore --as-of ");
    assertThat(page.locator(".travel-command")).containsText("--namespace ");
    // the services come in a second query, bounded by the spans' times
    assertThat(page.locator(".trace-head")).containsText("aqe-fleet");
    assertThat(page.url()).contains("span=");
    shot(page, "trace-waterfall.png");
    done(tab);
  }

  @Test
  void shouldFindTracesByKeyGlob() {
    Chromium.Tab tab = tab(demo).signIn(tokenOf(demo));
    Page page = tab.go("#/traces");
    page.fill("input[name=key]", "test-plan-*");
    // the store's services are asked for once the search is used
    assertThat(page.locator("select[name=service] option[value='aqe-fleet']")).hasCount(1);
    page.click("form.search button[type=submit]");
    assertThat(page).hasURL(Pattern.compile("key=test-plan-"));
    Locator rows = page.locator(".trace-row");
    assertThat(rows).hasCount(1);
    assertThat(rows.locator(".trace-root")).hasText("aqe.workflow");
    assertThat(rows).containsText("2 errors");

    page.fill("input[name=key]", "session:*:messages");
    page.click("form.search button[type=submit]");
    assertThat(page.locator(".trace-row")).hasCount(1);
    assertThat(page.locator(".trace-row")).containsText("Redis command");
    assertThat(page.locator(".trace-row")).not().containsText("error");

    page.fill("input[name=key]", "no-such-*");
    page.click("form.search button[type=submit]");
    assertThat(page.locator(".results .empty")).hasText("No trace matches this search.");
    done(tab);
  }

  @Test
  void shouldSumATraceWholeWhenItsRootStartedLongBeforeTheSpansFound() throws Exception {
    // a root two minutes before its last span: the search finds the last span, and the summary,
    // which first reads only the seconds before it, must go back for the root
    long now = System.currentTimeMillis() * 1_000_000L;
    String trace = "00000000000000000000000000fa11ba";
    String spans = span(trace, 1, 0, "webperf.slow-root", now - 120_000_000_000L, now) + ","
        + span(trace, 2, 1, "webperf.late-child", now - 1_000_000_000L, now - 500_000_000L);
    HttpResponse<String> posted = demo.post("/v1/traces", "application/json", null, ("{\"resourceSpans\":[{\"resource\":"
        + "{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\"webperf-check\"}}]},"
        + "\"scopeSpans\":[{\"scope\":{\"name\":\"webperf\"},\"spans\":[" + spans + "]}]}]}").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
    Chromium.Tab tab = tab(demo).signIn(tokenOf(demo));
    Page page = tab.go("#/traces?name=webperf.late-child");
    Locator row = page.locator(".trace-row");
    assertThat(row).hasCount(1);
    assertThat(row.locator(".trace-root")).hasText("webperf.slow-root");
    assertThat(row).containsText("2 spans");
    // the SQL shows both summaries: the one bounded in time, and the one that went back
    assertThat(page.locator(".results .sql-item pre", new Page.LocatorOptions().setHasText("trace_id IN"))).hasCount(2);
    done(tab);
  }

  private static String span(String trace, int id, int parent, String name, long start, long end) {
    return "{\"traceId\":\"" + trace + "\",\"spanId\":\"" + String.format("%016x", id) + "\""
        + (parent == 0 ? "" : ",\"parentSpanId\":\"" + String.format("%016x", parent) + "\"") + ",\"name\":\"" + name
        + "\",\"kind\":1,\"startTimeUnixNano\":\"" + start + "\",\"endTimeUnixNano\":\"" + end + "\"}";
  }

  @Test
  void shouldFollowAKeysHistoryToItsTrace() throws Exception {
    Chromium.Tab tab = tab(demo).signIn(tokenOf(demo));
    Page page = tab.go("#/keys");
    Locator hot = page.locator(".keys-list", new Page.LocatorOptions().setHasText("Hot keys"));
    assertThat(hot.locator("tbody tr")).not().hasCount(0);
    assertThat(page.locator(".heatmap .hm-label")).not().hasCount(0);
    page.waitForTimeout(300); // the heat map's colours settle; the screenshot is for people
    shot(page, "keys.png");
    hot.locator("a", new Locator.LocatorOptions().setHasText("test-plan-user-service")).click();

    assertThat(page.locator("h1.key-title")).hasText("test-plan-user-service");
    Locator ops = page.locator(".history tbody tr");
    assertThat(ops).hasCount(3);
    assertThat(page.locator(".history tbody .op").allTextContents()).containsExactly("delete", "retrieve", "store");
    ops.nth(2).locator("a.trace-link").click();

    assertThat(page.locator(".wf-row.selected .wf-name")).hasText("aqe.memory.store");
    assertThat(page.locator(".detail .facts")).containsText("test-plan-user-service");

    page.navigate(demo.url() + "/#/memory");
    assertThat(page.locator(".gauge")).hasCount(3);
    assertThat(page.locator(".gauge[data-gauge='memory.session.size'] .gauge-value")).not().hasText("no data");
    assertThat(page.locator(".uplot")).not().hasCount(0);
    page.waitForTimeout(300);
    shot(page, "memory.png");
    done(tab);
  }

  @Test
  void shouldChartKeyspaceSamplesAndHoldTheGaugesToSeed001Thresholds() throws Exception {
    Chromium.Tab tab = tab(watched).signIn(tokenOf(watched));
    Page page = tab.go("#/memory");
    assertThat(page.locator(".uplot")).hasCount(2);
    // the last pass: session 6,000,000 + 12 x 500,000 bytes, past 10 MiB; cache 40 MB + 3.6 MB; deep 4,000 + 12 x 180 records
    assertThat(page.locator(".gauge[data-gauge='memory.session.size']")).hasClass(Pattern.compile(".*\\balert\\b.*"));
    assertThat(page.locator(".gauge[data-gauge='memory.session.size'] .gauge-value")).hasText("11.4 MiB");
    assertThat(page.locator(".gauge[data-gauge='memory.cache.size']")).hasClass(Pattern.compile(".*\\bok\\b.*"));
    assertThat(page.locator(".gauge[data-gauge='memory.deep.count'] .gauge-value")).hasText("6,160");
    Locator growth = page.locator(".panel", new Page.LocatorOptions().setHasText("Growth per namespace")).locator("tbody tr");
    assertThat(growth).hasCount(3);
    assertThat(growth.first()).containsText("cache");
    assertThat(growth.filter(new Locator.FilterOptions().setHasText("deep:memory"))).containsText("+2,160");
    page.waitForTimeout(300);
    shot(page, "memory-keyspace.png");
    done(tab);
  }

  @Test
  void shouldShowEachMemoryStoresHealthAndTheTtlsRedisDidNotGet() throws Exception {
    Chromium.Tab tab = tab(health).signIn(tokenOf(health));
    Page page = tab.go("#/memory-health");
    assertThat(page.locator("nav a[data-page='memory-health']")).hasClass(Pattern.compile("active"));
    assertThat(page.locator("#section-ttl_truth tbody tr")).not().hasCount(0);
    assertThat(page.locator(".stat")).hasCount(12);
    assertThat(page.locator(".stat.bad")).not().hasCount(0);
    // the store(ttl) whose SET lost its TTL, the drifting checkpoint record, the stale read, the N+1 search
    assertThat(page.locator("#section-ttl_truth")).containsText("u1-l1");
    assertThat(page.locator("#section-ttl_truth")).containsText("TTLs end 60.0 s apart");
    assertThat(page.locator("#section-ttl_truth")).containsText("read 3.0 s after its write");
    assertThat(page.locator("#section-memory_commands")).containsText("GET per record (up to 6 keys in one call, 1 calls)");
    assertThat(page.locator("#section-memory_health tbody tr")).hasCount(6);
    page.waitForTimeout(300);
    shot(page, "memory-health.png");
    done(tab);
  }

  @Test
  void shouldShowNothingWithoutSigningIn() throws Exception {
    Chromium.Tab tab = tab(demo);
    Page page = tab.page;
    Response response = page.navigate(demo.url() + "/#/traces");
    assertThat(response.status()).isEqualTo(401);
    assertThat(page.locator("#token")).isVisible();
    assertThat(page.locator("#nav")).hasCount(0);
    assertThat(page.content()).doesNotContain("aqe.workflow").doesNotContain("test-plan");
    // the page's own script, without the cookie, gets nothing from the API either
    Object status = page.evaluate("async () => (await fetch('/api/query', {method: 'POST', headers: {'Content-Type': "
        + "'application/json'}, body: JSON.stringify({sql: 'SELECT name FROM spans'})})).status");
    assertThat(status).isEqualTo(401);
    // a wrong token, and a link whose one-time token was spent, sign nobody in
    page.fill("#token", "not-the-token-of-this-collector");
    page.click("button[type=submit]");
    assertThat(page.locator("#message")).hasText("That is not the API token of this collector.");
    response = page.navigate(signInLink(demo)); // spent by the first test
    assertThat(response.status()).isEqualTo(401);
    assertThat(page.locator("#why")).containsText("used already");
    assertThat(page.url()).doesNotContain("token=");
    done(tab);

    // a signed-in browser's cookie counts only on requests the browser marks as its own pages'
    Chromium.Tab signed = tab(demo).signIn(tokenOf(demo));
    Cookie cookie = signed.context.cookies().stream().filter(c -> c.name.startsWith("memtrace-session-")).findFirst().orElseThrow();
    assertThat(cookie.httpOnly).isTrue();
    assertThat(cookie.sameSite.name()).isEqualTo("STRICT");
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest.Builder status200 = HttpRequest.newBuilder(demo.url().resolve("/api/status")).header("Cookie", cookie.name + "=" + cookie.value);
    assertThat(http.send(status200.copy().header("Sec-Fetch-Site", "same-origin").build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    assertThat(http.send(status200.copy().header("Sec-Fetch-Site", "cross-site").build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);
    assertThat(http.send(HttpRequest.newBuilder(demo.url().resolve("/api/status")).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
    done(signed);
  }

  @Test
  void shouldRunNothingAStoreHoldsAndShowItsHiddenCharacters() throws Exception {
    Chromium.Tab tab = tab(hostile).signIn(tokenOf(hostile));
    tab.consoleErrors.clear(); // the sign-in page itself was a 401, which Chromium logs
    Page page = tab.page;
    String trace = "4057696c65000000000000000000c0de";
    List<String> routes = List.of("#/traces", "#/trace/" + trace, "#/keys", "#/memory", "#/report", "#/health",
        "#/key/" + java.net.URLEncoder.encode("javascript:alert('link')", java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"));
    for (String route : routes) {
      page.navigate(hostile.url() + "/" + route);
      page.waitForLoadState();
      assertThat(page.locator(".loading")).hasCount(0);
      assertThat(page.locator(".error-box")).hasCount(0);
      assertNothingInjected(page, route);
    }
    page.navigate(hostile.url() + "/#/trace/" + trace);
    Locator rows = page.locator(".wf-row:not(.summary)");
    assertThat(rows).hasCount(25);
    for (int i = 0; i < 25; i += 4) {
      rows.nth(i).click();
      assertThat(page.locator(".detail h4").first()).isVisible();
    }
    // the root's name is shown as the text it is
    assertThat(page.locator(".trace-head h1")).hasText("<script>alert('key')</script>");
    // a bidi override and terminal escapes are visible marks, not effects
    assertThat(page.locator(".wf-key .ctl", new Page.LocatorOptions().setHasText("U+202E"))).not().hasCount(0);
    assertThat(page.locator(".wf-name .ctl").first()).hasText("␛");
    // the time-travel command: the hostile namespaces single-quoted for the shell, no hidden character emitted
    Locator travel = page.locator(".travel-command");
    assertThat(travel).containsText("restore --as-of " + trace + " --namespace '");
    assertThat(travel).containsText("--into redis://127.0.0.1:6380");
    org.assertj.core.api.Assertions.assertThat(travel.textContent()).as("no raw control or bidi character")
        .doesNotContainPattern("[\\u0000-\\u001f\\u007f\\u202a-\\u202e\\u2066-\\u2069]");
    assertNothingInjected(page, "trace with details");

    page.navigate(hostile.url() + "/#/sql");
    page.fill(".sql-box", "SELECT DISTINCT memory_key, name, status_message FROM spans ORDER BY 1");
    page.click(".toolbar button");
    assertThat(page.locator(".sql-result tbody tr")).hasCount(25);
    assertNothingInjected(page, "sql");
    assertThat(tab.consoleErrors).as("console errors and warnings (a Trusted Types or CSP violation shows here)").isEmpty();
    done(tab);
  }

  /** No element the data could have made: only the app's own scripts, no handler attributes, links only to routes. */
  private static void assertNothingInjected(Page page, String where) {
    assertThat(page.locator("script:not([src*='/assets/'])").count()).as(where).isZero();
    assertThat(page.locator("iframe, object, embed, [onerror], [onload], [onclick], [style*='url(']")).hasCount(0);
    @SuppressWarnings("unchecked")
    List<String> hrefs = (List<String>) page.evaluate("() => [...document.querySelectorAll('[href]')].map(a => a.getAttribute('href'))");
    assertThat(hrefs).as(where).allSatisfy(href -> assertThat(href).matches("#/.*|/assets/.*"));
  }

  private static String tokenOf(CollectorProcess serve) {
    try {
      return serve.token();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void shot(Page page, String name) throws Exception {
    Files.createDirectories(IMAGES);
    page.screenshot(new Page.ScreenshotOptions().setPath(IMAGES.resolve(name)).setFullPage(true));
  }
}
