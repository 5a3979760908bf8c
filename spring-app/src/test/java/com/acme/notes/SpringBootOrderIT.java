package com.acme.notes;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.notes.SpanReceiver.Received;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.embedded.RedisServer;

/**
 * The Spring Boot fat jar ({@code java -jar}, classes in nested jars) under memtrace alone and
 * beside the OpenTelemetry Java agent in either order: real HTTP requests give memtrace's memory
 * spans (from a YAML rule on {@link NoteMemory}) and its Redis spans inside them, and memtrace
 * prints no WARN. Beside the OpenTelemetry agent, a request that carries a {@code traceparent}
 * is one trace: the agent's HTTP server span, memtrace's memory span inside it and memtrace's
 * Redis span inside that, and no Jedis span of the agent's own.
 */
class SpringBootOrderIT {

  private static final Path APP = Paths.get(System.getProperty("spring.app.jar", "target/memtrace-spring-app.jar"));
  private static final Path MEMTRACE = Paths.get(System.getProperty("memtrace.agent.jar", "../agent/target/memtrace-agent.jar"));
  private static final Path OTEL = Paths.get(System.getProperty("otel.agent.jar", "target/otel/opentelemetry-javaagent.jar"));
  private static final Path WORK = Paths.get(System.getProperty("spring.app.work", "target/it-work"));
  private static final String RULES = String.join("\n",
      "memory-managers:",
      "  - type: com.acme.notes.NoteMemory",
      "    methods:",
      "      - { name: store, operation: store, key: arg0, value: arg1 }",
      "      - { name: retrieve, operation: retrieve, key: arg0 }",
      "");

  /** The upstream caller's trace and span, as a W3C {@code traceparent} carries them. */
  private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
  private static final String CALLER_SPAN_ID = "b7ad6b7169203331";

  private static RedisServer redis;
  private static int redisPort;
  private static SpanReceiver receiver;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws IOException {
    redisPort = freePort();
    redis = RedisServer.newRedisServer().port(redisPort).bind("127.0.0.1")
        .setting("save \"\"").setting("appendonly no").build();
    redis.start();
    receiver = new SpanReceiver();
  }

  @AfterAll
  static void stop() throws IOException {
    receiver.close();
    redis.stop();
  }

  @ParameterizedTest(name = "OpenTelemetry agent {0}")
  @ValueSource(strings = {"none", "before", "after"})
  void shouldTraceMemoryAndRedisFromTheFatJar(String order) throws Exception {
    receiver.clear();
    Path dir = WORK.resolve(order);
    Files.createDirectories(dir);
    Path rules = dir.resolve("memtrace.yaml");
    Files.writeString(rules, RULES);
    int port = freePort();

    List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")); // a third of the start-up's CPU on 2 cores
    if (order.equals("before")) {
      command.add("-javaagent:" + OTEL.toAbsolutePath());
    }
    command.add("-javaagent:" + MEMTRACE.toAbsolutePath() + "=config=" + rules.toAbsolutePath());
    if (order.equals("after")) {
      command.add("-javaagent:" + OTEL.toAbsolutePath());
    }
    command.addAll(List.of("-jar", APP.toAbsolutePath().toString(), "--server.port=" + port,
        "--redis.host=127.0.0.1", "--redis.port=" + redisPort));
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
        .redirectOutput(dir.resolve("stdout.txt").toFile()).redirectError(dir.resolve("stderr.txt").toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("OTEL_") || k.startsWith("MEMTRACE_"));
    pb.environment().put("OTEL_TRACES_EXPORTER", "otlp"); // both agents, to the one receiver
    pb.environment().put("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint());
    pb.environment().put("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
    pb.environment().put("OTEL_METRICS_EXPORTER", "none");
    pb.environment().put("OTEL_LOGS_EXPORTER", "none");
    pb.environment().put("OTEL_BSP_SCHEDULE_DELAY", "100");
    pb.environment().put("MEMTRACE_RETENTION_ENABLED", "false"); // every span, to count them
    Process app = pb.start();
    try {
      awaitHttp(port, app);
      String base = "http://127.0.0.1:" + port + "/notes/";
      assertThat(send(HttpRequest.newBuilder(URI.create(base + "a"))
          .header("traceparent", "00-" + TRACE_ID + "-" + CALLER_SPAN_ID + "-01")
          .PUT(HttpRequest.BodyPublishers.ofString("hello"))).statusCode()).isEqualTo(204);
      HttpResponse<String> hit = send(HttpRequest.newBuilder(URI.create(base + "a")).GET());
      assertThat(hit.body()).isEqualTo("hello");
      assertThat(send(HttpRequest.newBuilder(URI.create(base + "b")).GET()).statusCode()).isEqualTo(404);
    } finally {
      app.destroy(); // SIGTERM: memtrace's shutdown hook exports what is left
      if (!app.waitFor(30, TimeUnit.SECONDS)) {
        app.destroyForcibly();
      }
    }
    String stderr = Files.readString(dir.resolve("stderr.txt"));

    List<String> warnings = stderr.lines().filter(l -> l.startsWith("[memtrace] WARN")).collect(Collectors.toList());
    assertThat(warnings).as("memtrace's warnings").isEmpty();
    assertThat(stderr).contains("method rules 2");

    List<Received> memory = receiver.from("io.memtrace.memory");
    assertThat(memory).extracting(Received::name)
        .containsExactlyInAnyOrder("memory.store", "memory.retrieve", "memory.retrieve");
    Received store = memory.stream().filter(s -> s.name().equals("memory.store")).findFirst().orElseThrow();
    assertThat(store.attribute("memory.key")).isEqualTo("a");
    assertThat(store.attribute("memory.value_size")).isEqualTo("5");

    List<Received> commands = receiver.from("io.memtrace.jedis");
    assertThat(commands).extracting(s -> s.attribute("db.query.text"))
        .containsExactlyInAnyOrder("SET note:a ?", "GET note:a", "GET note:b");
    Received set = commands.stream().filter(s -> s.name().equals("SET")).findFirst().orElseThrow();
    assertThat(set.span.getParentSpanId()).as("the SET inside the store").isEqualTo(store.span.getSpanId());
    assertThat(hex(set.span.getTraceId())).isEqualTo(hex(store.span.getTraceId()));

    if (order.equals("none")) {
      // nothing reads the traceparent header without the OpenTelemetry agent: memtrace's own trace
      assertThat(hex(store.span.getTraceId())).isNotEqualTo(TRACE_ID);
      assertThat(store.span.getParentSpanId().isEmpty()).as("the store is a root").isTrue();
      return;
    }
    List<Received> theirs = receiver.spans().stream().filter(s -> !s.scope.startsWith("io.memtrace"))
        .collect(Collectors.toList());
    assertThat(theirs).as("no Jedis span from the OpenTelemetry agent")
        .noneMatch(s -> s.scope.contains("jedis") || "redis".equals(s.attribute("db.system"))
            || "redis".equals(s.attribute("db.system.name")));
    List<Received> request = theirs.stream().filter(s -> hex(s.span.getTraceId()).equals(TRACE_ID))
        .collect(Collectors.toList());
    Received server = request.stream().filter(s -> s.span.getKind() == Span.SpanKind.SPAN_KIND_SERVER)
        .findFirst().orElseThrow(() -> new AssertionError("the agent's server span of the PUT: " + theirs));
    assertThat(hex(server.span.getParentSpanId())).as("the server span continues the caller's").isEqualTo(CALLER_SPAN_ID);
    assertThat(hex(store.span.getTraceId())).as("memtrace's store joins the request's trace").isEqualTo(TRACE_ID);
    assertThat(request).as("the store's parent is one of the agent's spans of that request")
        .anyMatch(s -> s.span.getSpanId().equals(store.span.getParentSpanId()));
  }

  private static String hex(com.google.protobuf.ByteString bytes) {
    StringBuilder text = new StringBuilder();
    for (byte b : bytes.toByteArray()) {
      text.append(String.format("%02x", b));
    }
    return text.toString();
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
    return http.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Waits until the application answers HTTP (any status; this path is not a note). */
  private void awaitHttp(int port, Process app) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      assertThat(app.isAlive()).as("the application is running").isTrue();
      try {
        send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready")).GET());
        return;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    throw new AssertionError("the application did not answer HTTP within 60 s");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
