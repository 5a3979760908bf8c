package com.acme.notes;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.notes.SpanReceiver.Received;
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
 * prints no WARN. What the OpenTelemetry agent exports is not asserted here.
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
      assertThat(send(HttpRequest.newBuilder(URI.create(base + "a")).PUT(HttpRequest.BodyPublishers.ofString("hello")))
          .statusCode()).isEqualTo(204);
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
