package io.memtrace.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.ForkedJvm;
import io.memtrace.testsupport.MemtraceYaml;
import io.memtrace.testsupport.OtlpSink;
import io.memtrace.testsupport.TestPrograms;
import io.memtrace.testsupport.TestRedis;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * memtrace's spans join the OpenTelemetry span current on the thread: one the application made
 * current with the OpenTelemetry API alone, or the OpenTelemetry agent's, in either order of the
 * two agents; and with the OpenTelemetry agent, every Jedis command gets one span, memtrace's.
 */
class JoinedTraceIT {

  private static final String CONFIG = String.join("\n",
      "memory-managers:",
      "  - type: JoinedTraceProgram$Memory",
      "    methods:",
      "      - { name: remember, operation: store, key: arg0 }",
      "      - { name: recall, operation: retrieve, key: arg0 }",
      "");
  private static final String MEMTRACE_REDIS = "io.memtrace.jedis";
  private static final String MEMTRACE_MEMORY = "io.memtrace.memory";

  private static String classPath() throws Exception {
    List<Path> jars = new ArrayList<>(TestPrograms.jarsIn(BuildPaths.IT_LIBS.resolve("otel-api")));
    String libs = TestPrograms.jedisClassPath("5.2.0") + File.pathSeparator
        + jars.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    return TestPrograms.compile("joined-trace", libs, "JoinedTraceProgram.java");
  }

  private static ForkedJvm program(TestRedis redis, String mode, OtlpSink receiver, Path dir)
      throws Exception {
    Path config = MemtraceYaml.write(dir, CONFIG);
    return ForkedJvm.program(classPath(), "JoinedTraceProgram", redis.host, String.valueOf(redis.port), mode)
        .withAgent("config=" + config).everySpan()
        .env("OTEL_TRACES_EXPORTER", "otlp")
        .env("OTEL_LOGS_EXPORTER", "none")
        .env("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint());
  }

  @Test
  void shouldJoinASpanTheApplicationMadeCurrentWithTheOpenTelemetryApiAlone() throws Exception {
    try (TestRedis redis = TestRedis.start(); OtlpSink receiver = new OtlpSink()) {
      ForkedJvm.Result result = program(redis, "wrap", receiver, BuildPaths.IT_WORK.resolve("joined-app-api"))
          .run(BuildPaths.IT_WORK.resolve("joined-app-api/run"));

      assertThat(result.exitCode).as("%s", result).isZero();
      assertThat(result.stderr).as("no OpenTelemetry agent ran: nothing said about its settings")
          .doesNotContain("otel.instrumentation.");
      assertJoined(receiver, "0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331");
    }
  }

  @Test
  void shouldJoinTheOpenTelemetryAgentsSpanWithOneSpanPerCommandWhenMemtraceStartsFirst() throws Exception {
    try (TestRedis redis = TestRedis.start(); OtlpSink receiver = new OtlpSink()) {
      ForkedJvm.Result result = runBesideTheOpenTelemetryAgent(redis, receiver, false);

      assertThat(result.stderr).contains("otel.instrumentation.jedis.enabled=false");
      assertJoinedTheAgentsSpan(result, receiver);
    }
  }

  @Test
  void shouldJoinTheOpenTelemetryAgentsSpanWithOneSpanPerCommandWhenItStartsFirst() throws Exception {
    try (TestRedis redis = TestRedis.start(); OtlpSink receiver = new OtlpSink()) {
      ForkedJvm.Result result = runBesideTheOpenTelemetryAgent(redis, receiver, true);

      assertThat(result.stderr).doesNotContain("otel.instrumentation.jedis.enabled=false")
          .contains("memtrace keeps its Jedis, Lettuce and Redisson spans from starting");
      assertJoinedTheAgentsSpan(result, receiver);
    }
  }

  /** The program in tracer mode with the OpenTelemetry agent before memtrace's on the command line, or after it. */
  private static ForkedJvm.Result runBesideTheOpenTelemetryAgent(TestRedis redis, OtlpSink receiver, boolean before)
      throws Exception {
    Path dir = BuildPaths.IT_WORK.resolve(before ? "joined-otel-before" : "joined-otel-after");
    ForkedJvm program = program(redis, "tracer", receiver, dir);
    ForkedJvm.Result result = (before ? program.javaagentBefore(BuildPaths.OTEL_AGENT_JAR)
        : program.javaagentAfter(BuildPaths.OTEL_AGENT_JAR)).run(dir.resolve("run"));
    assertThat(result.exitCode).as("%s", result).isZero();
    return result;
  }

  /** The OpenTelemetry agent's request span is the parent; no Jedis span of its own. */
  private static void assertJoinedTheAgentsSpan(ForkedJvm.Result result, OtlpSink receiver) {
    String line = result.stdout.lines().filter(l -> l.startsWith("otel-span ")).findFirst().orElseThrow();
    String traceId = line.split(" ")[1];
    String spanId = line.split(" ")[2];
    List<Span> request = receiver.spansOfScope("joined-test"::equals);
    assertThat(request).hasSize(1);
    assertThat(hex(request.get(0).getSpanId())).isEqualTo(spanId);
    assertThat(receiver.spansOfScope(s -> s.contains("jedis") && !s.equals(MEMTRACE_REDIS)))
        .as("the OpenTelemetry agent's Jedis spans").isEmpty();
    assertJoined(receiver, traceId, spanId);
  }

  /**
   * In the joined trace, the memory spans and the Redis work outside them are children of the
   * OpenTelemetry span and the commands in the memory manager children of its spans, once each;
   * the same work with no span current keeps traces of its own.
   */
  private static void assertJoined(OtlpSink receiver, String traceId, String parentId) {
    List<Span> memory = receiver.spansOfScope(MEMTRACE_MEMORY::equals);
    List<Span> redis = receiver.spansOfScope(MEMTRACE_REDIS::equals);
    List<Span> joinedMemory = inTrace(memory, traceId);
    List<Span> joinedRedis = inTrace(redis, traceId);
    assertThat(joinedMemory).hasSize(4).allMatch(s -> hex(s.getParentSpanId()).equals(parentId));
    assertThat(joinedRedis.stream().map(Span::getName).sorted())
        .containsExactly("EXISTS", "GET", "GET", "MULTI", "PIPELINE GET", "SET", "SET");
    List<String> memoryIds = joinedMemory.stream().map(s -> hex(s.getSpanId())).collect(Collectors.toList());
    for (Span command : joinedRedis) {
      boolean inMemoryManager = command.getName().equals("SET") || command.getName().equals("GET");
      assertThat(hex(command.getParentSpanId())).as("parent of %s", command.getName())
          .isIn(inMemoryManager ? memoryIds : List.of(parentId));
    }
    List<Span> alone = redis.stream().filter(s -> !hex(s.getTraceId()).equals(traceId)).collect(Collectors.toList());
    assertThat(alone).hasSize(7);
    assertThat(alone.stream().filter(s -> s.getName().equals("EXISTS")).findFirst().orElseThrow()
        .getParentSpanId().isEmpty()).as("a command with no span current starts its own trace").isTrue();
    assertThat(memory.stream().filter(s -> !hex(s.getTraceId()).equals(traceId))).hasSize(4)
        .allMatch(s -> s.getParentSpanId().isEmpty());
  }

  private static List<Span> inTrace(List<Span> spans, String traceId) {
    return spans.stream().filter(s -> hex(s.getTraceId()).equals(traceId)).collect(Collectors.toList());
  }

  private static String hex(ByteString bytes) {
    StringBuilder out = new StringBuilder();
    for (byte b : bytes.toByteArray()) {
      out.append(String.format("%02x", b));
    }
    return out.toString();
  }
}
