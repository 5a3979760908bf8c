package io.memtrace.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.ForkedJvm;
import io.memtrace.testsupport.OtlpSink;
import io.memtrace.testsupport.TestPrograms;
import io.memtrace.testsupport.TestRedis;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Redisson beside the real OpenTelemetry Java agent, which traces Redisson too (its instrumentation
 * {@code redisson}, at {@code RedisConnection.send}): in either order of the two agents each command
 * has one span, memtrace's, and the application's own span made with that agent's tracer is still
 * exported, with memtrace's Redis spans in its trace as its children. The user's own
 * {@code otel.instrumentation.redisson.enabled} stands.
 */
class RedissonOtelAgentIT {

  private static final String MEMTRACE_REDISSON = "io.memtrace.redisson";
  /** RedissonOtelProgram's six commands per round, a batch's two each with a span of its own. */
  private static final List<String> ROUND = List.of("GET", "GET", "GET", "HSET", "SET", "SET");

  @ParameterizedTest(name = "OpenTelemetry agent {0}")
  @ValueSource(strings = {"before", "after"})
  void shouldGiveEachCommandOneSpanMemtracesInTheApplicationsTrace(String order) throws Exception {
    Path dir = BuildPaths.IT_WORK.resolve("redisson-otel-" + order);
    try (TestRedis redis = TestRedis.start(); OtlpSink receiver = new OtlpSink()) {
      ForkedJvm jvm = program(redis, receiver);
      if (order.equals("before")) {
        jvm.javaagentBefore(BuildPaths.OTEL_AGENT_JAR);
      } else {
        jvm.javaagentAfter(BuildPaths.OTEL_AGENT_JAR);
      }
      ForkedJvm.Result result = run(jvm, dir);

      if (order.equals("before")) {
        assertThat(result.stderr).doesNotContain("otel.instrumentation.redisson.enabled=false")
            .contains("Redisson spans from starting, so each command gets one span, memtrace's");
      } else {
        assertThat(result.stderr).contains("set otel.instrumentation.redisson.enabled=false");
      }
      assertThat(otelAgentsRedissonSpans(receiver)).as("the OpenTelemetry agent's Redisson spans, %s", order)
          .isEmpty();
      List<Span> memtraces = receiver.spansOfScope(MEMTRACE_REDISSON::equals);
      assertThat(memtraces).extracting(Span::getName).as("memtrace's Redisson spans, %s", order)
          .hasSize(2 * ROUND.size());
      Span get = memtraces.stream().filter(s -> s.getName().equals("GET")).findFirst().orElseThrow();
      assertThat(attributeKeys(get)).contains("memory.key", "memory.found", "memory.value_size");
      assertJoinedTheRequest(result, receiver, memtraces);
    }
  }

  @Test
  void shouldLeaveRedissonToTheOpenTelemetryAgentWhenTheUserSwitchedItsInstrumentationOn() throws Exception {
    Path dir = BuildPaths.IT_WORK.resolve("redisson-otel-chosen");
    try (TestRedis redis = TestRedis.start(); OtlpSink receiver = new OtlpSink()) {
      ForkedJvm.Result result = run(program(redis, receiver).javaagentAfter(BuildPaths.OTEL_AGENT_JAR)
          .jvmArg("-Dotel.instrumentation.redisson.enabled=true"), dir);

      assertThat(result.stderr).doesNotContain("otel.instrumentation.redisson.enabled=false");
      assertThat(otelAgentsRedissonSpans(receiver)).as("the OpenTelemetry agent's Redisson spans, as asked")
          .isNotEmpty();
      assertThat(receiver.spansOfScope(MEMTRACE_REDISSON::equals)).hasSize(2 * ROUND.size());
    }
  }

  private static ForkedJvm program(TestRedis redis, OtlpSink receiver) throws Exception {
    List<Path> jars = new ArrayList<>(TestPrograms.jarsIn(BuildPaths.IT_LIBS.resolve("otel-api")));
    jars.addAll(TestPrograms.jarsIn(BuildPaths.IT_LIBS.resolve("redisson-" + RedissonSpansIT.REDISSON)));
    String libs = jars.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    String classPath = TestPrograms.compile("redisson-otel", libs, "RedissonOtelProgram.java");
    return ForkedJvm.program(classPath, "RedissonOtelProgram", redis.host, String.valueOf(redis.port))
        .withAgent().everySpan()
        .env("OTEL_TRACES_EXPORTER", "otlp")
        .env("OTEL_METRICS_EXPORTER", "none")
        .env("OTEL_LOGS_EXPORTER", "none")
        .env("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint());
  }

  private static ForkedJvm.Result run(ForkedJvm jvm, Path dir) throws Exception {
    Files.createDirectories(dir);
    ForkedJvm.Result result = jvm.run(dir);
    assertThat(result.exitCode).as("%s", result).isZero();
    assertThat(result.stdout).contains("joined get -> one").contains("alone batch -> [null, two]");
    assertThat(result.stderr).contains("memtrace.events.dropped=0").doesNotContain("[memtrace] WARN");
    return result;
  }

  private static List<Span> otelAgentsRedissonSpans(OtlpSink receiver) {
    return receiver.spansOfScope(s -> s.contains("redisson") && !s.equals(MEMTRACE_REDISSON)
        && !s.equals("redisson-otel-test"));
  }

  /** The application's request span is exported, and the commands made inside it are its children. */
  private static void assertJoinedTheRequest(ForkedJvm.Result result, OtlpSink receiver, List<Span> memtraces) {
    String[] ids = result.stdout.lines().filter(l -> l.startsWith("otel-span ")).findFirst().orElseThrow().split(" ");
    List<Span> request = receiver.spansOfScope("redisson-otel-test"::equals);
    assertThat(request).as("the application's span, through the OpenTelemetry agent").hasSize(1);
    assertThat(hex(request.get(0).getSpanId())).isEqualTo(ids[2]);
    List<Span> joined = memtraces.stream().filter(s -> hex(s.getTraceId()).equals(ids[1])).collect(Collectors.toList());
    assertThat(joined).extracting(Span::getName).containsExactlyInAnyOrderElementsOf(ROUND);
    assertThat(joined).allMatch(s -> hex(s.getParentSpanId()).equals(ids[2]));
    assertThat(memtraces).filteredOn(s -> !hex(s.getTraceId()).equals(ids[1]))
        .as("the same work with no span current").hasSize(ROUND.size())
        .allMatch(s -> s.getParentSpanId().isEmpty());
  }

  private static List<String> attributeKeys(Span span) {
    return span.getAttributesList().stream().map(KeyValue::getKey).collect(Collectors.toList());
  }

  private static String hex(ByteString bytes) {
    StringBuilder out = new StringBuilder();
    for (byte b : bytes.toByteArray()) {
      out.append(String.format("%02x", b));
    }
    return out.toString();
  }
}
