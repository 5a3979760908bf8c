package com.acme.notes;

import static io.memtrace.testsupport.OtlpProtobuf.attribute;
import static io.memtrace.testsupport.OtlpProtobuf.hex;
import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.ForkedJvm;
import io.memtrace.testsupport.OtlpSink;
import io.memtrace.testsupport.Ports;
import io.memtrace.testsupport.TestRedis;
import io.memtrace.testsupport.Waits;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Spring Boot fat jar ({@code java -jar}, classes in nested jars) under memtrace alone and
 * beside the OpenTelemetry Java agent in either order: real HTTP requests give memtrace's memory
 * spans (from a YAML rule on {@link NoteMemory}) and its Redis spans inside them, and memtrace
 * prints no WARN. Beside the OpenTelemetry agent, a request that carries a {@code traceparent}
 * is one trace: the agent's HTTP server span, memtrace's memory span inside it and memtrace's
 * Redis span inside that, and no Jedis span of the agent's own.
 */
class SpringBootOrderIT {

  private static final Path APP = Paths.get(System.getProperty("spring.app.jar", "target/memtrace-spring-app.jar"))
      .toAbsolutePath();
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

  private static TestRedis redis;
  private static OtlpSink receiver;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws IOException {
    redis = TestRedis.startOwn();
    receiver = new OtlpSink();
  }

  @AfterAll
  static void stop() throws IOException {
    receiver.close();
    redis.close();
  }

  @ParameterizedTest(name = "OpenTelemetry agent {0}")
  @ValueSource(strings = {"none", "before", "after"})
  void shouldTraceMemoryAndRedisFromTheFatJar(String order) throws Exception {
    receiver.clear();
    Path dir = BuildPaths.IT_WORK.resolve(order);
    Files.createDirectories(dir);
    Path rules = dir.resolve("memtrace.yaml");
    Files.writeString(rules, RULES);
    int port = Ports.free();

    // Tomcat's work directory in the test's, not in /tmp (Spring Boot leaves it behind on exit)
    ForkedJvm jvm = ForkedJvm.jar(APP, "--server.port=" + port, "--redis.host=" + redis.host,
            "--redis.port=" + redis.port, "--server.tomcat.basedir=" + dir.resolve("tomcat").toAbsolutePath())
        .withAgent("config=" + rules.toAbsolutePath()).everySpan()
        .exportTo(receiver.endpoint()) // both agents, to the one receiver
        .env("OTEL_METRICS_EXPORTER", "none")
        .env("OTEL_LOGS_EXPORTER", "none")
        .env("OTEL_BSP_SCHEDULE_DELAY", "100");
    if (order.equals("before")) {
      jvm.javaagentBefore(BuildPaths.OTEL_AGENT_JAR);
    } else if (order.equals("after")) {
      jvm.javaagentAfter(BuildPaths.OTEL_AGENT_JAR);
    }
    try (ForkedJvm.Running app = jvm.start(dir)) {
      Waits.forHttp("the application", "http://127.0.0.1:" + port + "/ready", Duration.ofSeconds(60), app.process);
      String base = "http://127.0.0.1:" + port + "/notes/";
      assertThat(send(HttpRequest.newBuilder(URI.create(base + "a"))
          .header("traceparent", "00-" + TRACE_ID + "-" + CALLER_SPAN_ID + "-01")
          .PUT(HttpRequest.BodyPublishers.ofString("hello"))).statusCode()).isEqualTo(204);
      HttpResponse<String> hit = send(HttpRequest.newBuilder(URI.create(base + "a")).GET());
      assertThat(hit.body()).isEqualTo("hello");
      assertThat(send(HttpRequest.newBuilder(URI.create(base + "b")).GET()).statusCode()).isEqualTo(404);
      app.stop(); // SIGTERM: memtrace's shutdown hook exports what is left
    }
    String stderr = Files.readString(dir.resolve("stderr.txt"));

    List<String> warnings = stderr.lines().filter(l -> l.startsWith("[memtrace] WARN")).collect(Collectors.toList());
    assertThat(warnings).as("memtrace's warnings").isEmpty();
    assertThat(stderr).contains("method rules 2");

    List<Span> memory = receiver.spansOfScope(scope -> scope.startsWith("io.memtrace.memory"));
    assertThat(memory).extracting(Span::getName)
        .containsExactlyInAnyOrder("memory.store", "memory.retrieve", "memory.retrieve");
    Span store = memory.stream().filter(s -> s.getName().equals("memory.store")).findFirst().orElseThrow();
    assertThat(attribute(store, "memory.key")).isEqualTo("a");
    assertThat(attribute(store, "memory.value_size")).isEqualTo("5");

    List<Span> commands = receiver.spansOfScope(scope -> scope.startsWith("io.memtrace.jedis"));
    assertThat(commands).extracting(s -> attribute(s, "db.query.text"))
        .containsExactlyInAnyOrder("SET note:a ?", "GET note:a", "GET note:b");
    Span set = commands.stream().filter(s -> s.getName().equals("SET")).findFirst().orElseThrow();
    assertThat(set.getParentSpanId()).as("the SET inside the store").isEqualTo(store.getSpanId());
    assertThat(hex(set.getTraceId())).isEqualTo(hex(store.getTraceId()));

    if (order.equals("none")) {
      // nothing reads the traceparent header without the OpenTelemetry agent: memtrace's own trace
      assertThat(hex(store.getTraceId())).isNotEqualTo(TRACE_ID);
      assertThat(store.getParentSpanId().isEmpty()).as("the store is a root").isTrue();
      return;
    }
    assertThat(receiver.spansOfScope(scope -> !scope.startsWith("io.memtrace") && scope.contains("jedis")))
        .as("no Jedis span from the OpenTelemetry agent").isEmpty();
    List<Span> theirs = receiver.spansOfScope(scope -> !scope.startsWith("io.memtrace"));
    assertThat(theirs).as("no Redis span from the OpenTelemetry agent")
        .noneMatch(s -> "redis".equals(attribute(s, "db.system")) || "redis".equals(attribute(s, "db.system.name")));
    List<Span> request = theirs.stream().filter(s -> hex(s.getTraceId()).equals(TRACE_ID))
        .collect(Collectors.toList());
    Span server = request.stream().filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_SERVER)
        .findFirst().orElseThrow(() -> new AssertionError("the agent's server span of the PUT: " + theirs));
    assertThat(hex(server.getParentSpanId())).as("the server span continues the caller's").isEqualTo(CALLER_SPAN_ID);
    assertThat(hex(store.getTraceId())).as("memtrace's store joins the request's trace").isEqualTo(TRACE_ID);
    assertThat(request).as("the store's parent is one of the agent's spans of that request")
        .anyMatch(s -> s.getSpanId().equals(store.getParentSpanId()));
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
    return http.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
