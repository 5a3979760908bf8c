package io.memtrace.collector.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memtrace.collector.SpanFixtures;
import io.memtrace.testsupport.ForkedJvm;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The API of a real {@code serve}: the token, the Host check, the content types a browser could
 * send, queries that outlive their client or their time, results too big to hold.
 */
class ApiSecurityIT {

  static final ObjectMapper MAPPER = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  static final String FOREVER = "SELECT count(*) FROM range(1000000000000)";

  @RegisterExtension
  static final ServedCollector SERVED = new ServedCollector("api-it", "--query-timeout", "10s", "--max-result-bytes",
      "8MiB");

  @BeforeAll
  static void seed() throws Exception {
    assertThat(SERVED.process().post("/v1/traces", "application/x-protobuf", null, SpanFixtures.seedTrace().toByteArray())
        .statusCode()).as("OTLP ingest needs no token").isEqualTo(200);
  }

  @Test
  void shouldRequireTheTokenOnEveryApiPath() throws Exception {
    for (String path : List.of("/api/status", "/api/query", "/api/anything",
        "/api/answers/traces?trace=" + SpanFixtures.SEED_TRACE, "/api/answers/timeline?key=test-plan-user-service")) {
      HttpResponse<String> none = HTTP.send(HttpRequest.newBuilder(SERVED.process().url().resolve(path)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(none.statusCode()).as(path).isEqualTo(401);
      assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"memtrace\"");
      assertThat(none.body()).contains("Authorization: Bearer").doesNotContain(SERVED.process().data.toString());
      HttpResponse<String> wrong = HTTP.send(HttpRequest.newBuilder(SERVED.process().url().resolve(path))
          .header("Authorization", "Bearer " + SERVED.process().token() + "x").build(), HttpResponse.BodyHandlers.ofString());
      assertThat(wrong.statusCode()).as(path).isEqualTo(401);
      assertThat(wrong.body()).contains("the API token is wrong");
    }
    assertThat(SERVED.process().get("/api/anything").statusCode()).isEqualTo(404);
    JsonNode status = MAPPER.readTree(SERVED.process().get("/api/status").body());
    assertThat(status.path("instance").asText()).isNotEmpty();
  }

  @Test
  void shouldWriteTheTokenForItsUserOnlyAndNeverLogIt() throws Exception {
    Path token = SERVED.process().data.resolve("api-token");
    awaitStderr(SERVED.process(), "API token in");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(token))).isEqualTo("rw-------");
    assertThat(SERVED.process().token()).hasSizeGreaterThanOrEqualTo(40);
    assertThat(SERVED.process().stderr()).contains("API token in " + token).doesNotContain(SERVED.process().token());
  }

  @Test
  void shouldRefuseAHostItDoesNotAnswerTo() throws Exception {
    String auth = "Authorization: Bearer " + SERVED.process().token() + "\r\n";
    assertThat(raw("GET /api/status HTTP/1.1\r\nHost: attacker.example:" + SERVED.process().port + "\r\n" + auth
        + "Connection: close\r\n\r\n")).startsWith("HTTP/1.1 403").contains("DNS");
    byte[] spans = SpanFixtures.seedTrace().toByteArray();
    assertThat(raw("POST /v1/traces HTTP/1.1\r\nHost: attacker.example\r\nContent-Type: application/x-protobuf\r\n"
        + "Content-Length: " + spans.length + "\r\nConnection: close\r\n\r\n", spans)).startsWith("HTTP/1.1 403");
    for (String host : List.of("localhost:" + SERVED.process().port, "127.0.0.1:" + SERVED.process().port, "127.0.0.1")) {
      assertThat(raw("GET /api/status HTTP/1.1\r\nHost: " + host + "\r\n" + auth + "Connection: close\r\n\r\n"))
          .as(host).startsWith("HTTP/1.1 200");
    }
  }

  @Test
  void shouldRunNoSqlFromABodyAWebPageCouldSend() throws Exception {
    for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x")) {
      HttpResponse<String> response = SERVED.process().post("/api/query", type, null,
          "SELECT 1".getBytes(StandardCharsets.UTF_8));
      assertThat(response.statusCode()).as(type).isEqualTo(415);
      assertThat(response.body()).contains("application/json");
    }
    HttpResponse<String> json = SERVED.process().post("/api/query", "application/json", null,
        "{\"sql\": \"SELECT 41 + 1 AS n\"}".getBytes(StandardCharsets.UTF_8));
    assertThat(MAPPER.readTree(json.body()).at("/rows/0/0").asInt()).as(json.body()).isEqualTo(42);
    // the answers of a whole question take an id or a key, never SQL: a trace id that is not hex runs nothing
    HttpResponse<String> injected = SERVED.process().get("/api/answers/traces?trace=x%27%20OR%20true%20--");
    assertThat(injected.statusCode()).as(injected.body()).isEqualTo(400);
    assertThat(injected.body()).contains("is not a hex trace id");
    HttpResponse<String> seed = SERVED.process().get("/api/answers/traces?trace=" + SpanFixtures.SEED_TRACE);
    assertThat(seed.statusCode()).as(seed.body()).isEqualTo(200);
    assertThat(seed.body()).contains("\"answers\"", SpanFixtures.SEED_TRACE);
  }

  @Test
  void shouldTellTheCommandWhatToDoWhenTheTokenIsRefused() throws Exception {
    ForkedJvm.Result wrong = CollectorProcess.run("query", "--server", SERVED.process().url().toString(),
        "--api-token", "not-the-token-at-all", "SELECT 1");
    assertThat(wrong.exitCode).isEqualTo(1);
    assertThat(wrong.stderr).contains("refused the API token").contains("--api-token or MEMTRACE_API_TOKEN");
    ForkedJvm.Result fromFile = CollectorProcess.run("query", "--server", SERVED.process().url().toString(),
        "--data", SERVED.process().data.toString(), "--format", "csv", "SELECT 1 AS one");
    assertThat(fromFile.stdout).as("%s", fromFile).isEqualTo("one\n1\n");
  }

  @Test
  void shouldStopAQueryWhenItsClientDisconnects() throws Exception {
    byte[] body = MAPPER.writeValueAsBytes(java.util.Map.of("sql", FOREVER));
    try (Socket socket = new Socket("127.0.0.1", SERVED.process().port)) {
      OutputStream out = socket.getOutputStream();
      out.write(("POST /api/query HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + SERVED.process().token()
          + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      awaitRunning(1);
    }
    long closed = System.nanoTime();
    awaitRunning(0);
    assertThat(Duration.ofNanos(System.nanoTime() - closed)).as("stopped by the client's leaving, not the 10 s timeout")
        .isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void shouldStopAQueryAtItsTimeoutAndSayWhy() throws Exception {
    ForkedJvm.Result result = CollectorProcess.run("query", "--data", SERVED.process().data.toString(), FOREVER);
    assertThat(result.exitCode).as("%s", result).isEqualTo(1);
    assertThat(result.stderr).contains("query stopped: it ran longer than the query timeout of 10 s");
    // serve says so too, for its operator, without the query's text
    assertThat(SERVED.process().stderr()).contains("warning: /api/query: query stopped: it ran longer than the query "
        + "timeout of 10 s after ").doesNotContain(FOREVER);
  }

  @Test
  void shouldAnswerHugeQueriesTruncatedAndKeepServing() throws Exception {
    // a serve of its own whose query timeout is only a hang guard: this is about the result's size, and the shared
    // serve's 10 s timeout stopped these two queries at load 20
    try (CollectorProcess roomy = CollectorProcess.serve(SERVED.dir().resolve("roomy"), "--query-timeout", "10m",
        "--max-result-bytes", "8MiB")) {
      // 200 MB each if held whole; DuckDB keeps them within its memory limit, the reader stops at 8 MiB
      byte[] body = MAPPER.writeValueAsBytes(java.util.Map.of("sql", "SELECT repeat('x', 40000) FROM range(5000)"));
      List<CompletableFuture<HttpResponse<String>>> both = List.of(send(roomy, body), send(roomy, body));
      for (CompletableFuture<HttpResponse<String>> f : both) {
        JsonNode result = MAPPER.readTree(f.get().body());
        assertThat(result.path("truncated").asBoolean()).as("%s", result.path("error")).isTrue();
        assertThat(result.path("truncation").asText()).contains("would pass 8388608 bytes");
      }
      assertThat(roomy.post("/v1/traces", "application/x-protobuf", null, SpanFixtures.seedTrace().toByteArray())
          .statusCode()).isEqualTo(200);
    }
  }

  @Test
  void shouldWarnWhatItExposesWhenBoundBeyondLoopback() throws Exception {
    try (CollectorProcess wide = CollectorProcess.serve(SERVED.dir().resolve("wide"), "--bind", "0.0.0.0",
        "--allowed-host", "memtrace-collector")) {
      awaitStderr(wide, "warning: --bind");
      assertThat(wide.stderr()).contains("warning: --bind 0.0.0.0 makes this collector reachable from other machines")
          .contains("OTLP ingest (/v1/traces, /v1/metrics) on port " + wide.port + " accepts data from anyone")
          .contains("without authentication").contains("the SQL API (/api/*) answers only requests with the API token");
      assertThat(raw(wide.port, "GET /api/status HTTP/1.1\r\nHost: memtrace-collector:4318\r\nAuthorization: Bearer "
          + wide.token() + "\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 200");
    }
    assertThat(SERVED.process().stderr()).doesNotContain("warning: --bind");
  }

  private static CompletableFuture<HttpResponse<String>> send(CollectorProcess to, byte[] body) throws IOException {
    return HTTP.sendAsync(HttpRequest.newBuilder(to.url().resolve("/api/query"))
        .header("Authorization", "Bearer " + to.token()).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** serve answers as soon as it listens; its start-up lines follow a moment later. */
  private static void awaitStderr(CollectorProcess process, String text) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (!process.stderr().contains(text) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
  }

  private static void awaitRunning(int expected) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    int running = -1;
    while (System.nanoTime() < deadline) {
      running = MAPPER.readTree(SERVED.process().get("/api/status").body()).path("queries_running").asInt();
      if (running == expected) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("queries running: " + running + ", expected " + expected);
  }

  static String raw(String head) throws IOException {
    return raw(SERVED.process().port, head);
  }

  static String raw(String head, byte[] body) throws IOException {
    return raw(SERVED.process().port, head, body);
  }

  static String raw(int port, String head, byte[]... body) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      for (byte[] b : body) {
        out.write(b);
      }
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
