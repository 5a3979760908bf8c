package io.memtrace.collector.it;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Page;
import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.ForkedJvm;
import io.memtrace.testsupport.TestRedis;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * A record's whole life with real keyspace notifications: an application under the real agent (a forked JVM) keeps
 * notes in a real redis-server through its own memory manager, exporting to a real {@code serve} that watches that
 * Redis with {@code --keyspace-events on}. A note expires by its TTL, one is evicted under a small {@code maxmemory}
 * with {@code allkeys-lru}, one is overwritten and deleted by an untraced client (this test's Jedis), the leaky store
 * asks a TTL its SET never gives, one is overwritten by an untraced client and then read (the read saw that change,
 * not the application's write), and SETEX and RPUSH + EXPIRE each make two notifications that their spans account
 * for, though the application names Redis {@code localhost} and the watcher {@code 127.0.0.1}. The watcher runs with
 * the default namespaces (every key): the notes are the application's own namespace. Each is read after,
 * and {@code timeline --key}, {@code GET /api/keys/{key}/timeline} and the key page name each cause; with
 * {@code --keyspace-events off}, the causes that need notifications read "unknown", never a guess.
 */
class RecordLifeIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path PROGRAM = Path.of("src/test/resources/programs/RecordLifeProgram.java").toAbsolutePath();
  private static final String T = "\\d{4}-\\d\\d-\\d\\dT\\S+Z";

  @Test
  void shouldNameEveryCauseFromRedisNotifications() throws Exception {
    try (Life life = Life.run("on")) {
      String shortNote = life.timeline("short");
      assertThat(shortNote).as("the spans name Redis localhost, the watcher 127.0.0.1: " + shortNote)
          .contains("short in notes · localhost:" + life.redis.port + "/0")
          .contains("notes:short in notes · 127.0.0.1:" + life.redis.port + "/0");
      assertThat(shortNote).as(shortNote).containsPattern("write +store by record-app")
          .contains("TTL asked 1 s, got 1 s").containsPattern("Redis events: set, expire")
          .containsPattern(T + " +expiry +Redis expired it")
          .containsPattern("why: expired at " + T)
          .doesNotContain("changed outside", "unknown", "note:");
      String log = life.timeline("log");
      assertThat(log).as(log).containsPattern("write +store by record-app").contains("TTL asked 600 s, got 600 s")
          .containsPattern("Redis events: rpush, expire").doesNotContain("changed outside");
      String leaky = life.timeline("leaky");
      assertThat(leaky).as(leaky).contains("TTL asked 600 s, got none").doesNotContain("changed outside");
      String outside = life.timeline("outside");
      assertThat(outside).as(outside).containsPattern(T + " +write +changed outside the traced services")
          .containsPattern(T + " +delete +changed outside the traced services")
          .containsPattern("why: deleted outside the traced services at " + T);
      String victim = life.timeline("victim");
      assertThat(victim).as(victim).containsPattern(T + " +eviction +evicted under maxmemory")
          .containsPattern("why: evicted at " + T).doesNotContain("changed outside");
      // the read after an outside SET saw that change, not the application's write before it
      String edited = life.timeline("edited");
      assertThat(edited).as(edited).containsPattern(T + " +write +changed outside the traced services")
          .containsPattern("saw the change: changed outside the traced services at " + T)
          .doesNotContain("saw the write of trace", "read by trace");
      for (String key : List.of("short", "log", "leaky", "outside", "victim", "lazy", "edited")) {
        assertThat(life.timeline(key)).as(key).doesNotContain("reported no", "not watched");
      }

      String lazy = life.timeline("lazy");
      // expired lazily: by whichever command touched it first, the watcher's pass or the read (its notification
      // then comes while the read runs, after the read began)
      assertThat(lazy).as(lazy).containsPattern(T + " +expiry +Redis expired it").containsPattern("why: expired at " + T);
      assertThat(reasons(life.api("short"))).containsExactly("expired");
      assertThat(reasons(life.api("outside"))).containsExactly("deleted_outside");
      assertThat(reasons(life.api("victim"))).containsExactly("evicted");
      JsonNode leakyApi = life.api("leaky");
      JsonNode write = leakyApi.path("events").get(0);
      assertThat(write.path("what").asText()).isEqualTo("write");
      assertThat(write.path("ttl_asked").asLong()).isEqualTo(600);
      assertThat(write.path("ttl_got_state").asText()).isEqualTo("none");
      assertThat(events(life.api("log"))).as("RPUSH and EXPIRE are the store's own").extracting(e -> e.path("by").asText())
          .doesNotContain("outside");
      assertThat(events(life.api("outside"))).extracting(e -> e.path("what").asText() + "/" + e.path("by").asText())
          .contains("write/outside", "delete/outside");
      keyPage(life);

      // lineage says what the timeline says: in traces (and so the trace view) and in the report's latest misses
      String traces = life.traces();
      assertThat(traces).as(traces).containsPattern("found nothing: expired at " + T)
          .containsPattern("found nothing: evicted at " + T + "; written ")
          .containsPattern("found nothing: deleted outside the traced services at " + T)
          .containsPattern("changed outside the traced services at " + T + "; the traced write before it ")
          .doesNotContain("(evicted, or removed by an untraced client)");
      assertThat(life.reportCauses()).as("the latest misses after a write")
          .hasEntrySatisfying("victim", cause -> assertThat(cause).matches("evicted at " + T))
          .hasEntrySatisfying("short", cause -> assertThat(cause).matches("expired at " + T));
    }
  }

  @Test
  void shouldSayUnknownWithoutNotifications() throws Exception {
    try (Life life = Life.run("off")) {
      String outside = life.timeline("outside");
      assertThat(outside).as(outside).contains("why: unknown (no keyspace notifications for this Redis at that time; "
          + "turn on with --keyspace-events on)").doesNotContain("changed outside", "deleted outside");
      String victim = life.timeline("victim");
      assertThat(victim).as(victim).contains("why: unknown (no keyspace notifications").doesNotContain("evicted at")
          .doesNotContainPattern(T + " +eviction ");
      String shortNote = life.timeline("short");
      assertThat(shortNote).as("the TTL the spans set is a certainty, not a guess: " + shortNote)
          .containsPattern("why: TTL ran out at " + T + " \\(by the TTL set\\)").doesNotContain("Redis expired it");
      assertThat(life.timeline("lazy")).containsPattern("why: TTL ran out at " + T + " \\(by the TTL set\\)");
      String leaky = life.timeline("leaky");
      assertThat(leaky).as("nothing says what it cannot see: " + leaky).contains("TTL asked 600 s, got none")
          .contains("note: Keyspace notifications did not cover all of this record's events");
      assertThat(reasons(life.api("outside"))).containsExactly("unknown_no_notifications");
      assertThat(reasons(life.api("victim"))).containsExactly("unknown_no_notifications");
      String traces = life.traces();
      assertThat(traces).as(traces).contains("found nothing: unknown (no keyspace notifications for this Redis at that "
          + "time; turn on with --keyspace-events on); written ").doesNotContain("evicted at ", "deleted outside",
          "(evicted, or removed by an untraced client)");
      assertThat(life.reportCauses()).as("the latest misses after a write").containsEntry("victim",
          "unknown (no keyspace notifications for this Redis at that time; turn on with --keyspace-events on)");
    }
  }

  /**
   * The web view's key page of the expired note and of the one deleted outside, and the trace page of the read after the
   * eviction: the same causes as the text.
   */
  private static void keyPage(Life life) throws Exception {
    try (Chromium chromium = Chromium.start();
        Chromium.Tab tab = chromium.tab(life.serve.url()).signIn(life.serve.token())) {
      Page page = tab.go("#/key/short");
      assertThat(page.locator(".record-event")).hasCount(3);
      assertThat(page.locator(".record-event.by-redis.what-expiry")).containsText("Redis expired it");
      assertThat(page.locator(".record-event.what-read_nothing .record-why")).containsText("expired at ");
      page.screenshot(new Page.ScreenshotOptions().setPath(BuildPaths.IT_WORK.resolve("record-life-short.png"))
          .setFullPage(true));
      page = tab.go("#/key/outside");
      assertThat(page.locator(".record-event.by-outside")).hasCount(2);
      assertThat(page.locator(".record-event.what-read_nothing .record-why"))
          .containsText("deleted outside the traced services at ");
      // the trace page of the read after the eviction: its lineage names the same cause
      JsonNode read = events(life.api("victim")).stream().filter(e -> e.path("what").asText().equals("read_nothing"))
          .findFirst().orElseThrow();
      page = tab.go("#/trace/" + read.path("trace_id").asText() + "?span=" + read.path("span_id").asText());
      assertThat(page.locator(".lineage-cause")).containsText("found nothing: evicted at ");
      page.screenshot(new Page.ScreenshotOptions().setPath(BuildPaths.IT_WORK.resolve("record-life-victim-read.png"))
          .setFullPage(true));
      assertThat(tab.pageErrors).isEmpty();
    }
  }

  private static List<JsonNode> events(JsonNode timeline) {
    return StreamSupport.stream(timeline.path("events").spliterator(), false).toList();
  }

  /** The reason kinds of the reads that found nothing. */
  private static List<String> reasons(JsonNode timeline) {
    return events(timeline).stream().filter(e -> e.path("what").asText().equals("read_nothing"))
        .map(e -> e.path("reason_kind").asText()).toList();
  }

  /** One run of the notes' lives against a Redis and a serve of its own, kept open for the questions after. */
  private static final class Life implements AutoCloseable {
    final Path data;
    final TestRedis redis;
    final CollectorProcess serve;
    /** The name the application gives Redis: with notifications on, localhost where the watcher says 127.0.0.1. */
    final String appHost;

    private Life(Path data, TestRedis redis, CollectorProcess serve, String appHost) {
      this.data = data;
      this.redis = redis;
      this.serve = serve;
      this.appHost = appHost;
    }

    static Life run(String events) throws Exception {
      assertThat(BuildPaths.AGENT_JAR).as("the agent jar; build it first").exists();
      Path dir = BuildPaths.IT_WORK.resolve("record-life-" + events + "-" + System.nanoTime());
      Path data = dir.resolve("data");
      TestRedis redis = TestRedis.startOwn();
      CollectorProcess serve = null;
      try {
        // the default namespaces: notifications cover every key, the application's own notes: among them
        serve = CollectorProcess.serve(data, "--watch-redis", redis.url(), "--watch-interval", "1s",
            "--keyspace-events", events);
        Life life = new Life(data, redis, serve, events.equals("on") ? "localhost" : redis.host);
        life.live(dir, events);
        return life;
      } catch (Exception | AssertionError e) {
        if (serve != null) {
          serve.close();
        }
        redis.close();
        throw e;
      }
    }

    private void live(Path dir, String events) throws Exception {
      long deadline = System.currentTimeMillis() + 120_000;
      while (!serve.stderr().contains("keyspace notifications of ")) {
        assertThat(System.currentTimeMillis()).as("serve named its notifications: %s", serve.stderr()).isLessThan(deadline);
        Thread.sleep(100);
      }
      Thread.sleep(1_500); // the subscription confirmed, and its status row written
      String classPath = EndToEndIT.compile(dir, PROGRAM, "jedis");
      Path config = Files.writeString(dir.resolve("memtrace.yaml"), String.join("\n",
          "memory-managers:",
          "  - type: Notebook",
          "    attributes: { memory.namespace: notes }",
          "    methods:",
          "      - { name: store, operation: store, key: arg0, value: arg1, ttl: arg2 }",
          "      - { name: storeLeaky, operation: store, key: arg0, value: arg1, ttl: arg2 }",
          "      - { name: append, operation: store, key: arg0, value: arg1, ttl: arg2 }",
          "      - { name: retrieve, operation: retrieve, key: arg0, found: \"return != null\", value: return }",
          "      - { name: entries, operation: retrieve, key: arg0, value: return }",
          ""));
      long started = System.currentTimeMillis();
      assertThat(app(dir, classPath, config, "write")).contains("written");
      try (Jedis untraced = new Jedis(redis.host, redis.port)) {
        untraced.set("notes:outside", "edited by hand");
        untraced.set("notes:edited", "by a hand");
        Thread.sleep(300);
        assertThat(untraced.del("notes:outside")).isEqualTo(1L);
      }
      Thread.sleep(Math.max(0, started + 2_500 - System.currentTimeMillis()));
      assertThat(app(dir, classPath, config, "read"))
          .contains("null | [first entry] | asked ten minutes | null | by a hand");
      evictVictim();
      try (Jedis jedis = new Jedis(redis.host, redis.port)) {
        // Redis then expires a key only when a command touches it
        assertThat(jedis.sendCommand(() -> "DEBUG".getBytes(StandardCharsets.US_ASCII), "SET-ACTIVE-EXPIRE", "0"))
            .isNotNull();
      }
      long lazyWritten = System.currentTimeMillis();
      assertThat(app(dir, classPath, config, "victim")).contains("null");
      Thread.sleep(Math.max(0, lazyWritten + 2_000 - System.currentTimeMillis()));
      assertThat(app(dir, classPath, config, "lazy")).contains("null");
      serve.awaitLoaded();
      if (events.equals("on")) {
        // the notifications' writer lingers a second: the last one, the lazy note's expiry, is in once the key's
        // timeline shows it
        long written = System.currentTimeMillis() + 120_000;
        while (events(api("lazy")).stream().noneMatch(e -> e.path("what").asText().equals("expiry"))) {
          assertThat(System.currentTimeMillis()).as("the lazy note's expiry notification was stored").isLessThan(written);
          Thread.sleep(100);
        }
      }
    }

    /** A small maxmemory with allkeys-lru, and untraced writes of another namespace until the note goes. */
    private void evictVictim() throws Exception {
      try (Jedis jedis = new Jedis(redis.host, redis.port)) {
        long used = Long.parseLong(jedis.info("memory").lines().filter(l -> l.startsWith("used_memory:"))
            .findFirst().orElseThrow().substring("used_memory:".length()).strip());
        jedis.configSet("maxmemory-policy", "allkeys-lru");
        jedis.configSet("maxmemory", String.valueOf(used + 512 * 1024));
        String filler = "x".repeat(1_000);
        int written = 0;
        while (jedis.exists("notes:victim")) {
          assertThat(written).as("the note was evicted").isLessThan(200_000);
          for (int i = 0; i < 100; i++) {
            jedis.set("bulk:" + written++, filler);
          }
          // about 330 writes a second, and as many evictions: within the watcher's default cap of 1,000
          // notifications a second, which every key's are now (a faster flood is sampled, and says so)
          Thread.sleep(300);
        }
        jedis.configSet("maxmemory", "0");
      }
    }

    private String app(Path dir, String classPath, Path config, String mode) throws Exception {
      return TimelineIT.runTraced("RecordLifeProgram", "record-app", dir, classPath, config, serve, mode, appHost,
          redis.port);
    }

    String timeline(String key) throws Exception {
      return TimelineIT.timeline(data, key);
    }

    /** The application's last traces, as {@code traces} prints them, wide enough for a whole lineage line. */
    String traces() throws Exception {
      ForkedJvm.Result r = CollectorProcess.command("traces", "--data", data.toString(), "--service", "record-app",
          "--last", "40", "--width", "260");
      assertThat(r.exitCode).as("%s", r).isZero();
      return r.stdout.replaceAll("[│ ]*\\n[│ ]*", "\n");
    }

    /** The cause of each latest miss after a write in the memory layer's report, by key. */
    java.util.Map<String, String> reportCauses() throws Exception {
      ForkedJvm.Result r = CollectorProcess.command("report", "--data", data.toString(), "--format", "json", "--layer",
          "memory");
      assertThat(r.exitCode).as("%s", r).isZero();
      java.util.Map<String, String> causes = new java.util.HashMap<>();
      for (JsonNode row : JSON.readTree(r.stdout).path("sections").path("misses_after_write").path("rows")) {
        causes.put(row.path("key").asText(), row.path("cause").asText());
      }
      return causes;
    }

    JsonNode api(String key) throws Exception {
      var response = serve.get("/api/keys/" + key + "/timeline");
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      return JSON.readTree(response.body());
    }

    @Override
    public void close() throws Exception {
      serve.close();
      redis.close();
    }
  }
}
