package io.memtrace.collector.it;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static io.memtrace.collector.SpanFixtures.attr;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Page;
import io.memtrace.collector.HostileText;
import io.memtrace.collector.SpanFixtures;
import io.memtrace.collector.values.ValueEventFixtures;
import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.ForkedJvm;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A record's versions end to end: Redis client spans carrying {@code memory.value} events as the agent sends them
 * (ISSUE51.md's wire), posted as OTLP to a real {@code serve}: a hash changed field by field (one write whose value
 * was not captured, a delete at the end), a JSON string rewritten, a text cut at the agent's cap, a list pushed at
 * both ends, a set's members added and removed, a sorted set's scores, and values holding terminal escapes, markup,
 * bidirectional overrides and bytes that are not UTF-8.
 * {@code timeline --key --versions} (text and JSON), {@code GET /api/keys/{key}/versions} and the web view's key page
 * show each version with its trace and the right diff, and every hostile value inert: escaped in the terminal, text
 * (never markup) in Chromium.
 */
class VersionsIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TRACE = "5e55" + "0".repeat(26);
  private static final String HOSTILE = HostileText.RETITLE + HostileText.CLEAR + HostileText.C1_CSI + HostileText.BIDI
      + HostileText.SCRIPT + HostileText.HANDLER + HostileText.NEWLINE;
  private static final byte[] NOT_UTF8 = {(byte) 0xff, (byte) 0xfe, '<', 'b', '>', 0x1b, '[', '2', 'J'};

  @RegisterExtension
  static final ServedCollector SERVED = new ServedCollector("versions-it");
  static long base;

  @BeforeAll
  static void start() throws Exception {
    base = (System.currentTimeMillis() - 600_000) * 1_000_000;
    List<Span> spans = new ArrayList<>();
    spans.add(redis(1, "HSET", "sess:1:profile", value("sess:1:profile", "fields_set", "hash",
        "{\"name\":\"Ada\",\"city\":\"Paris\",\"plan\":\"free\"}")));
    spans.add(redis(2, "HSET", "sess:1:profile", value("sess:1:profile", "fields_set", "hash",
        "{\"city\":\"London\",\"email\":\"ada@example.com\"}")));
    spans.add(redis(3, "HDEL", "sess:1:profile", value("sess:1:profile", "fields_removed", "hash", "[\"plan\"]")));
    spans.add(redis(4, "HINCRBY", "sess:1:profile"));
    spans.add(redis(5, "HSET", "sess:1:profile", value("sess:1:profile", "fields_set", "hash",
        JSON.writeValueAsString(java.util.Map.of("bio", HOSTILE)))));
    spans.add(redis(6, "DEL", "sess:1:profile"));
    spans.add(redis(7, "SET", "sess:1:doc", value("sess:1:doc", "replace", "string",
        "{\"user\":{\"name\":\"Ada\",\"prefs\":{\"theme\":\"dark\"}},\"turns\":[{\"role\":\"user\",\"text\":\"hi\"}]}")));
    spans.add(redis(8, "SET", "sess:1:doc", value("sess:1:doc", "replace", "string",
        "{\"user\":{\"name\":\"Ada\",\"prefs\":{\"theme\":\"light\"}},\"turns\":[{\"role\":\"user\",\"text\":\"hi\"},"
            + "{\"role\":\"assistant\",\"text\":\"" + HostileText.SCRIPT + "\"}]}")));
    spans.add(redis(9, "SET", "sess:1:notes", value("sess:1:notes", "replace", "string",
        "# Notes\nbuy milk\ncall Bob\nwater plants\n")));
    spans.add(redis(10, "SET", "sess:1:notes", value("sess:1:notes", "replace", "string",
        "# Notes\nbuy oat milk\ncall Bob\n" + HostileText.BIDI + "\n")));
    spans.add(redis(11, "SET", "sess:1:notes", value("sess:1:notes", "replace", "string", "# Notes\nbuy oat",
        "memory.value.size", 70_000L, "memory.value.truncated", true)));
    spans.add(redis(12, "SET", "sess:1:notes", value("sess:1:notes", "replace", "string",
        Base64.getEncoder().encodeToString(NOT_UTF8), "memory.value.encoding", "base64",
        "memory.value.size", (long) NOT_UTF8.length)));
    spans.add(redis(13, "RPUSH", "sess:1:log", value("sess:1:log", "push_tail", "list", "[\"a\",\"b\"]")));
    spans.add(redis(14, "RPUSH", "sess:1:log", value("sess:1:log", "push_tail", "list", "[\"c\"]")));
    spans.add(redis(15, "LPUSH", "sess:1:log", value("sess:1:log", "push_head", "list", "[\"z\"]")));
    spans.add(redis(16, "SADD", "sess:1:tags", value("sess:1:tags", "members_added", "set", "[\"red\",\"blue\"]")));
    spans.add(redis(17, "SREM", "sess:1:tags", value("sess:1:tags", "members_removed", "set", "[\"red\"]")));
    spans.add(redis(18, "ZADD", "sess:1:rank", value("sess:1:rank", "members_added", "zset", "{\"ada\":1,\"bob\":2}")));
    spans.add(redis(19, "ZADD", "sess:1:rank", value("sess:1:rank", "members_added", "zset", "{\"ada\":3.5}")));
    HttpResponse<String> answer = SERVED.process().post("/v1/traces", "application/x-protobuf", null,
        SpanFixtures.request("versions-app", spans).toByteArray());
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    // the API and the web view read what serve has loaded, not what it acknowledged (timeline waits for itself)
    SERVED.process().awaitLoaded();
  }

  @Test
  void shouldShowAHashChangedFieldByFieldWithTheUncapturedWriteAndTheDelete() throws Exception {
    String text = versions("sess:1:profile");
    assertThat(text).as(text).contains("sess:1:profile: 6 versions, 4 with a captured value, oldest first")
        .containsPattern("v1 +\\S+ +fields_set +HSET by versions-app \\(trace 5e55")
        .contains("+ name: Ada", "+ plan: free", "~ city: Paris → London", "+ email: ada@example.com", "- plan: free")
        .containsPattern("v4 +\\S+ +write not captured +HINCRBY by versions-app")
        .contains("note: value not captured")
        .contains("hash, 1 field, not known exactly")
        .containsPattern("v6 +\\S+ +delete +DEL by versions-app");
    assertThat(HostileText.firstHidden(text, true)).as("no control or bidi character emitted").isEqualTo(-1);
    assertThat(text).contains("+ bio: \\x1b]2;pwned\\x07\\x1b[2J\\u009b2Jreport\\u202etxt.exe<script>");

    JsonNode json = JSON.readTree(run("timeline", "--key", "sess:1:profile", "--versions", "--format", "json"));
    assertThat(json.path("versions")).extracting(v -> v.path("what").asText()).containsExactly("write", "write",
        "write", "write_not_captured", "write", "delete");
    assertThat(json.at("/versions/1/diff/rows/0/op").asText()).isEqualTo("changed");
    assertThat(json.at("/versions/4/diff/rows/0/after").asText()).isEqualTo(HOSTILE);
    assertThat(json.at("/versions/0/trace_id").asText()).isEqualTo(trace(1));
  }

  @Test
  void shouldDiffJsonByPathTextByLineAndMarkACutValueAndBytesThatAreNotUtf8() throws Exception {
    String doc = versions("sess:1:doc");
    assertThat(doc).as(doc).contains("~ $.user.prefs.theme: dark → light")
        .contains("+ $.turns[1]: {\"role\":\"assistant\",\"text\":\"<script>alert('key')</script>\"}");
    String notes = versions("sess:1:notes");
    assertThat(notes).as(notes).contains("-    2 | buy milk", "+    2 | buy oat milk", "+    4 | report\\u202etxt.exe")
        .contains("CUT at the agent's cap", "15 of 70000 B captured", "string, 15 B, not known exactly")
        .contains("+    1 | base64://48Yj4bWzJK");
    assertThat(HostileText.firstHidden(notes, true)).isEqualTo(-1);
    String log = versions("sess:1:log");
    assertThat(log).as(log).contains("+ [0]: a", "+ [1]: b", "+ [2]: c", "+ [0]: z");
    String tags = versions("sess:1:tags");
    assertThat(tags).as(tags).contains("+ red", "+ blue", "- red", "set, 1 member");
    String rank = versions("sess:1:rank");
    assertThat(rank).as(rank).contains("+ ada score 1", "+ bob score 2", "~ ada score 1 → 3.5");
  }

  @Test
  void shouldServeTheVersionsOnlyWithTheTokenAndDrawThemSideBySideInert() throws Exception {
    HttpResponse<String> anonymous = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        SERVED.process().url().resolve("/api/keys/sess%3A1%3Aprofile/versions")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(anonymous.statusCode()).as("the versions need the API token, as every /api/* does").isEqualTo(401);
    JsonNode api = JSON.readTree(SERVED.process().get("/api/keys/" + URLEncoder.encode("sess:1:profile", StandardCharsets.UTF_8)
        + "/versions?limit=2").body());
    assertThat(api.path("truncated").asBoolean()).isTrue();
    assertThat(api.path("versions")).extracting(v -> v.path("number").asInt()).containsExactly(5, 6);

    try (Chromium chromium = Chromium.start(); Chromium.Tab tab = chromium.tab(SERVED.process().url()).signIn(SERVED.process().token())) {
      Page page = tab.go("#/key/" + URLEncoder.encode("sess:1:profile", StandardCharsets.UTF_8));
      assertThat(page.locator(".version")).hasCount(6);
      shoot(page, "versions-profile");
      assertThat(page.locator(".version").nth(1).locator("tr.diff-changed td.diff-before")).containsText("Paris");
      assertThat(page.locator(".version").nth(1).locator("tr.diff-changed td.diff-after")).containsText("London");
      assertThat(page.locator(".version.what-write_not_captured .version-size-only")).containsText("value not captured");
      assertThat(page.locator(".version").nth(4).locator(".diff-after .ctl")).not().hasCount(0);
      assertThat(page.locator(".version").nth(4).locator(".diff-after")).containsText("<script>alert('key')</script>");
      assertThat(page.locator(".version img")).hasCount(0);
      assertThat(page.locator(".version script")).hasCount(0);
      page = tab.go("#/key/" + URLEncoder.encode("sess:1:notes", StandardCharsets.UTF_8));
      assertThat(page.locator(".version")).hasCount(4);
      shoot(page, "versions-notes");
      assertThat(page.locator(".version.cut .flag-bad")).containsText("cut at the agent's cap");
      assertThat(page.locator(".version").nth(1).locator("table.diff-lines tr.diff-changed td.diff-after").first())
          .containsText("buy oat milk");
      assertThat(page.locator(".version").nth(1).locator("table.diff-lines tr.diff-changed td.diff-after .ctl"))
          .hasText("U+202E");
      assertThat(page.locator(".version").nth(3).locator("tr.diff-changed td.diff-after"))
          .containsText("base64://48Yj4bWzJK");
      page = tab.go("#/key/" + URLEncoder.encode("sess:1:doc", StandardCharsets.UTF_8));
      assertThat(page.locator(".version")).hasCount(2);
      assertThat(page.locator(".version").nth(1).locator("td.diff-name").first()).containsText("$.user.prefs.theme");
      shoot(page, "versions-doc");
      assertThat(tab.pageErrors).isEmpty();
      assertThat(tab.dialogs).isEmpty();
    }
  }

  private static void shoot(Page page, String name) throws Exception {
    page.screenshot(new Page.ScreenshotOptions().setPath(SERVED.dir().resolve(name + ".png")).setFullPage(true));
    Files.copy(SERVED.dir().resolve(name + ".png"), BuildPaths.IT_WORK.resolve(name + ".png"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  private static String versions(String key) throws Exception {
    return run("timeline", "--key", key, "--versions");
  }

  private static String run(String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--data", SERVED.process().data.toString()));
    ForkedJvm.Result r = CollectorProcess.command(all.toArray(String[]::new));
    assertThat(r.exitCode).as("%s", r).isZero();
    return r.stdout;
  }

  private static String trace(int n) {
    return TRACE.substring(0, 30) + String.format("%02x", n);
  }

  /** The event as the agent sends it, with {@code extra} attributes overriding the defaults. */
  private static Span.Event value(String key, String change, String type, String payload, Object... extra) {
    return ValueEventFixtures.agentValue(0, key, change, type, payload, extra);
  }

  /** A Redis client span of trace {@code n} (its own trace), {@code n} seconds after the base, with its events. */
  private static Span redis(int n, String command, String key, Span.Event... events) {
    long start = base + n * 1_000_000_000L;
    Span.Builder s = SpanFixtures.redisClient(Span.newBuilder().setTraceId(SpanFixtures.hex(trace(n)))
            .setSpanId(SpanFixtures.newSpanId()).setName(command)
            .setStartTimeUnixNano(start).setEndTimeUnixNano(start + 2_000_000), command, key, "sess:1")
        .addAttributes(attr("memory.value_size", 42L));
    for (Span.Event e : events) {
      s.addEvents(e.toBuilder().setTimeUnixNano(start + 2_000_000));
    }
    return s.build();
  }

}
