package io.memtrace.collector.it;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Page;
import io.memtrace.collector.store.TestStores;
import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.ForkedJvm;
import io.memtrace.testsupport.TestRedis;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * A record's timeline end to end: an application under the real agent (a forked JVM) stores notes in a real Redis
 * through its own memory manager: one with a 1 s TTL, one overwritten, one deleted, one without a TTL, each read
 * after; something untraced (this test's own Redis client) deletes the last; a second run reads the first after its
 * TTL ran out and the last after the untraced delete. Both export to one real {@code serve}. {@code timeline --key},
 * {@code GET /api/keys/{key}/timeline} and the web view's key page name each cause, and with no keyspace
 * notifications recorded the untraced delete reads "unknown", never a guess; once a notification row of it is in the
 * store, it reads "deleted outside the traced services".
 */
class TimelineIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path PROGRAM = Path.of("src/test/resources/programs/TimelineProgram.java").toAbsolutePath();
  private static final String HOSTILE = "evil<script>alert(1)</script>\u202e\u001b[31m";

  @Test
  void shouldNameTheCauseOfEveryChangeAndSayUnknownWithoutNotifications() throws Exception {
    assertThat(BuildPaths.AGENT_JAR).as("the agent jar; build it first").exists();
    Path dir = BuildPaths.IT_WORK.resolve("timeline-" + System.nanoTime());
    Path data = dir.resolve("data");
    long untracedDelete;
    int port;
    try (TestRedis redis = TestRedis.startOwn(); CollectorProcess serve = CollectorProcess.serve(data)) {
      port = redis.port;
      String classPath = EndToEndIT.compile(dir, PROGRAM, "jedis");
      Path config = Files.writeString(dir.resolve("memtrace.yaml"), String.join("\n",
          "memory-managers:",
          "  - type: Notes",
          "    attributes: { memory.namespace: notes }",
          "    methods:",
          "      - { name: store, operation: store, key: arg0, value: arg1, ttl: arg2 }",
          "      - { name: retrieve, operation: retrieve, key: arg0, found: \"return != null\", value: return }",
          "      - { name: delete, operation: delete, key: arg0 }",
          "tasks:",
          "  - type: TimelineProgram",
          "    method: [write, read]",
          "    span: \"timeline.task.{method}\"",
          ""));
      long started = System.currentTimeMillis();
      assertThat(run(dir, classPath, config, serve, "write", redis)).contains("lives a second | second | null");
      try (Jedis untraced = new Jedis(redis.host, redis.port)) {
        untracedDelete = System.currentTimeMillis();
        assertThat(untraced.del("notes:outside")).isEqualTo(1L);
      }
      Thread.sleep(Math.max(0, started + 1_600 - System.currentTimeMillis()));
      assertThat(run(dir, classPath, config, serve, "read", redis)).contains("null | null");

      String shortNote = timeline(data, "short");
      assertThat(shortNote).as(shortNote).containsPattern("write +store by timeline-app \\(trace [0-9a-f]{32}\\)")
          .contains("TTL asked 1 s, got 1 s").containsPattern("read +retrieve by timeline-app")
          .containsPattern("why: TTL ran out at \\S+ \\(by the TTL set\\)");
      String plan = timeline(data, "plan");
      assertThat(plan.lines().filter(l -> l.matches("\\S+ +write .*")).count()).as(plan).isEqualTo(2);
      assertThat(plan).contains("TTL asked 600 s, got 600 s").containsPattern("read by trace [0-9a-f]{32}");
      String gone = timeline(data, "gone");
      assertThat(gone).as(gone).containsPattern("delete +delete by timeline-app")
          .containsPattern("why: deleted by trace [0-9a-f]{32} \\(delete by timeline-app\\) at ");
      String outside = timeline(data, "outside");
      assertThat(outside).as(outside).contains("why: unknown (no keyspace notifications for this Redis at that time; "
          + "turn on with --keyspace-events on)").contains("note: No keyspace notifications were recorded");
      assertThat(outside).doesNotContain("deleted outside", "expired", "evicted");
      // this one from the jar in a JVM of its own, as a user runs it (the others ask in this JVM)
      ForkedJvm.Result forked = CollectorProcess.run("timeline", "--key", HOSTILE, "--data", data.toString());
      assertThat(forked.exitCode).as("%s", forked).isZero();
      String hostile = forked.stdout;
      assertThat(hostile).as("control and bidi characters shown, never emitted").doesNotContain("\u001b", "\u202e")
          .contains("\\x1b[31m", "\\u202e");

      java.net.http.HttpResponse<String> anonymous = java.net.http.HttpClient.newHttpClient().send(
          java.net.http.HttpRequest.newBuilder(serve.url().resolve("/api/keys/gone/timeline")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(anonymous.statusCode()).as("the timeline needs the API token, as every /api/* does").isEqualTo(401);
      JsonNode api = JSON.readTree(serve.get("/api/keys/" + URLEncoder.encode("gone", StandardCharsets.UTF_8)
          + "/timeline").body());
      assertThat(api.path("events")).extracting(e -> e.path("what").asText())
          .containsExactly("write", "delete", "read_nothing");
      assertThat(api.at("/events/2/reason_kind").asText()).isEqualTo("deleted");
      assertThat(api.at("/events/2/writer/trace_id").asText()).isEqualTo(api.at("/events/1/trace_id").asText());

      keyPage(serve, dir);
    }

    // the watcher's notification of the untraced delete, and its coverage, as its sink writes them
    try (Connection c = connectOnceReleased(data); Statement s = c.createStatement()) {
      s.execute("INSERT INTO key_notification_status (time, redis, state, notify_config) VALUES (make_timestamp("
          + (untracedDelete - 60_000) * 1_000 + "), '127.0.0.1:" + port + "', 'on', 'KEA')");
      s.execute("INSERT INTO key_notification VALUES (make_timestamp(" + untracedDelete * 1_000
          + "), '127.0.0.1:" + port + "', 0, 'notes:outside', 'notes', "
          + "'del', 'delete', 1)");
    }
    String outside = timeline(data, "outside");
    assertThat(outside).as(outside).containsPattern("delete +changed outside the traced services")
        .contains("why: deleted outside the traced services at ");
  }

  /**
   * The store opened for writing once the stopped {@code serve} has let go of it: its process may still hold the
   * file's lock for a moment after it was told to stop.
   */
  private static Connection connectOnceReleased(Path data) throws Exception {
    long until = System.nanoTime() + 30_000_000_000L;
    while (true) {
      try {
        return TestStores.connect(data, false);
      } catch (java.sql.SQLException e) {
        if (!String.valueOf(e.getMessage()).contains("lock") || System.nanoTime() > until) {
          throw e;
        }
        Thread.sleep(200);
      }
    }
  }

  /** The key page of a deleted note: its timeline with the cause, linked traces; a hostile key's shown inert. */
  private static void keyPage(CollectorProcess serve, Path dir) throws Exception {
    try (Chromium chromium = Chromium.start(); Chromium.Tab tab = chromium.tab(serve.url()).signIn(serve.token())) {
      Page page = tab.go("#/key/gone");
      assertThat(page.locator(".record-event")).hasCount(3);
      assertThat(page.locator(".record-why")).containsText("deleted by trace");
      assertThat(page.locator(".record-event.what-delete .record-cause a.trace-link")).hasCount(1);
      assertThat(page.locator(".record-event.what-read_nothing .record-facts").nth(1)).containsText("the last traced change before it");
      assertThat(page.locator("details.versions-sizes summary"))
          .containsText("No value of this key was captured: 2 versions of known size only");
      page.screenshot(new Page.ScreenshotOptions().setPath(dir.resolve("key-gone.png")).setFullPage(true));
      Files.copy(dir.resolve("key-gone.png"), BuildPaths.IT_WORK.resolve("timeline-key-page.png"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      page = tab.go("#/key/" + URLEncoder.encode(HOSTILE, StandardCharsets.UTF_8).replace("+", "%20"));
      assertThat(page.locator(".record-event")).hasCount(2);
      assertThat(page.locator(".record-facts .ctl", new Page.LocatorOptions().setHasText("U+202E"))).not().hasCount(0);
      assertThat(page.locator("script:text('alert')")).hasCount(0);
      assertThat(tab.pageErrors).isEmpty();
      assertThat(tab.dialogs).isEmpty();
    }
  }

  /** {@code timeline --key KEY --data DATA}'s output; the command must succeed. */
  static String timeline(Path data, String key) throws Exception {
    ForkedJvm.Result r = CollectorProcess.command("timeline", "--key", key, "--data", data.toString());
    assertThat(r.exitCode).as("%s", r).isZero();
    return r.stdout;
  }

  private static String run(Path dir, String classPath, Path config, CollectorProcess serve, String mode,
      TestRedis redis) throws Exception {
    return runTraced("TimelineProgram", "timeline-app", dir, classPath, config, serve, mode, redis.host, redis.port);
  }

  /**
   * Runs {@code program MODE HOST PORT} under the real agent with {@code config}, exporting to {@code serve} as
   * {@code service}; it must succeed. Its stdout.
   */
  static String runTraced(String program, String service, Path dir, String classPath, Path config,
      CollectorProcess serve, String mode, String host, int port) throws Exception {
    ForkedJvm app = ForkedJvm.program(classPath, program, mode, host, String.valueOf(port))
        .withAgent("config=" + config)
        .exportTo(serve.url().toString())
        .env("OTEL_METRICS_EXPORTER", "none")
        .env("OTEL_SERVICE_NAME", service)
        .env("MEMTRACE_RETENTION_ENABLED", "false");
    ForkedJvm.Result result = app.run(dir.resolve(mode));
    assertThat(result.exitCode).as("%s", result).isZero();
    return result.stdout;
  }
}
