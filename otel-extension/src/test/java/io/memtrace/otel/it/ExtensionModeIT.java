package io.memtrace.otel.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.ForkedJvm;
import io.memtrace.testsupport.OtlpProtobuf;
import io.memtrace.testsupport.OtlpSink;
import io.memtrace.testsupport.TestPrograms;
import io.memtrace.testsupport.TestRedisPerClass;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * memtrace as an extension of the real OpenTelemetry Java agent 2.33.1
 * ({@code -Dotel.javaagent.extensions=memtrace-otel-extension.jar}), in a forked JVM against a
 * real Redis, exporting through that agent's OTLP/HTTP exporters to a real socket.
 */
class ExtensionModeIT extends TestRedisPerClass {

  static final Path EXTENSION_JAR = Paths.get(System.getProperty("memtrace.extension.jar",
      "target/memtrace-otel-extension.jar")).toAbsolutePath();

  private static final String RULES = String.join("\n",
      "memory-managers:",
      "  - type: ExtensionProgram$ChatMemory",
      "    methods:",
      "      - { name: store, operation: store, namespace: arg0, key: arg1, value: arg2, ttl: arg3 }",
      "      - { name: retrieve, operation: retrieve, namespace: arg0, key: arg1, found: \"return != null\", value: return }",
      "");

  private static String classPath;

  @BeforeAll
  static void startRedis() throws Exception {
    String otelApi = TestPrograms.jarsIn(BuildPaths.IT_LIBS.resolve("otel-api")).stream().map(Path::toString)
        .collect(Collectors.joining(java.io.File.pathSeparator));
    classPath = TestPrograms.compile("extension", TestPrograms.jedisClassPath("5.2.0") + java.io.File.pathSeparator + otelApi,
        "ExtensionProgram.java");
  }

  private static ForkedJvm program(OtlpSink receiver, Path config) {
    return ForkedJvm.program(classPath, "ExtensionProgram", redis.host, String.valueOf(redis.port))
        .javaagentBefore(BuildPaths.OTEL_AGENT_JAR)
        .everySpan()
        .jvmArg("-Dotel.javaagent.extensions=" + EXTENSION_JAR)
        .jvmArg("-Dmemtrace.config=" + config)
        .env("OTEL_SERVICE_NAME", "extension-it")
        .env("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint())
        .env("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
        .env("OTEL_TRACES_EXPORTER", "otlp")
        .env("OTEL_METRICS_EXPORTER", "otlp")
        .env("OTEL_LOGS_EXPORTER", "none")
        .env("OTEL_METRIC_EXPORT_INTERVAL", "300")
        .env("OTEL_BSP_SCHEDULE_DELAY", "100");
  }

  private static Path configIn(Path dir, String yaml) throws java.io.IOException {
    Files.createDirectories(dir);
    return Files.writeString(dir.resolve("memtrace.yaml"), yaml);
  }

  private static void assertPlainRun(ForkedJvm.Result run) {
    assertThat(run.exitCode).as("%s", run).isZero();
    assertThat(run.stdout).isEqualTo("flushdb OK\nhit hello there\nmiss null\nset OK\njoined hello there\n");
  }

  @Test
  void shouldTraceMemoryCallsAndRedisOnceEachThroughTheOpenTelemetryAgent() throws Exception {
    Path dir = BuildPaths.IT_WORK.resolve("extension");
    Path config = configIn(dir, RULES);
    try (OtlpSink receiver = new OtlpSink()) {
      ForkedJvm.Result run = program(receiver, config).run(dir.resolve("run"));

      assertPlainRun(run);
      assertThat(run.stderr).contains("[memtrace] INFO memtrace").contains("method rules 2")
          .doesNotContain("[memtrace] WARN").doesNotContain("[memtrace] ERROR");
      assertThat(receiver.serviceNames()).contains("extension-it");

      // the store under an OpenTelemetry parent that was not sampled is not exported, nor its SETEX
      Span store = only(receiver.spans(), "memory.store");
      // the default conventions (both): seed 000's kind (INTERNAL: its SETEX is the CLIENT span), both names
      assertThat(store.getKind()).isEqualTo(SpanKind.SPAN_KIND_INTERNAL);
      assertThat(attributes(store)).containsEntry("gen_ai.operation.name", "upsert_memory")
          .containsEntry("gen_ai.memory.store.id", "chat:alice").containsEntry("gen_ai.memory.record.id", "turn-1");
      assertThat(attributes(store)).containsEntry("memory.operation", "store")
          .containsEntry("memory.namespace", "chat:alice").containsEntry("memory.key", "turn-1")
          .containsEntry("memory.value_size", "11").containsEntry("memory.ttl", "600");
      assertThat(store.getEventsList()).extracting(Span.Event::getName)
          .containsExactly("memory.store.started", "memory.store.completed");
      List<Span> retrieves = named(receiver.spans(), "memory.retrieve");
      assertThat(retrieves).extracting(s -> OtlpProtobuf.attribute(s, "memory.found"))
          .containsExactlyInAnyOrder("true", "false", "true");

      // one span per command, memtrace's: the OpenTelemetry agent's Jedis spans are off
      Map<String, Long> clientSpans = receiver.spans().stream().filter(s -> s.getKind() == SpanKind.SPAN_KIND_CLIENT)
          .collect(Collectors.groupingBy(Span::getName, Collectors.counting()));
      assertThat(clientSpans).containsEntry("SETEX", 1L).containsEntry("GET", 3L).containsEntry("SET", 1L);
      Span setex = only(receiver.spans(), "SETEX");
      assertThat(attributes(setex)).containsEntry("memory.key", "chat:alice:turn-1")
          .containsEntry("memory.namespace", "chat:alice").containsEntry("memory.value_size", "11")
          .containsEntry("memory.ttl", "600").containsEntry("db.system.name", "redis");
      assertThat(setex.getParentSpanId()).as("the command is the memory call's child").isEqualTo(store.getSpanId());
      assertThat(setex.getTraceId()).isEqualTo(store.getTraceId());
      assertThat(named(receiver.spans(), "GET")).extracting(s -> OtlpProtobuf.attribute(s, "memory.found"))
          .containsExactlyInAnyOrder("true", "false", "true");
      Span set = only(receiver.spans(), "SET");
      assertThat(set.getParentSpanId().isEmpty()).as("a command outside a memory call is a root").isTrue();

      // the retrieve made while the application's own span was current joins its trace
      Span request = only(receiver.spans(), "request");
      Span joined = retrieves.stream().filter(s -> s.getTraceId().equals(request.getTraceId())).findFirst().orElseThrow();
      assertThat(joined.getParentSpanId()).isEqualTo(request.getSpanId());
      assertThat(receiver.spans()).filteredOn(s -> s.getName().equals("GET") && s.getParentSpanId().equals(joined.getSpanId()))
          .hasSize(1).allSatisfy(get -> assertThat(get.getTraceId()).isEqualTo(request.getTraceId()));

      assertThat(receiver.metricNames()).as("memtrace's metrics, through the agent's meter provider")
          .contains("memory.operations", "memory.operation.duration", "db.client.operation.duration",
              "memtrace.events.exported");
    }
  }

  @Test
  void shouldReportABadConfigurationAndLeaveTheApplicationAndTheAgentRunning() throws Exception {
    Path dir = BuildPaths.IT_WORK.resolve("extension-bad-config");
    Path config = configIn(dir, "memory-managers:\n  - type: [ExtensionProgram$ChatMemory\n");
    try (OtlpSink receiver = new OtlpSink()) {
      ForkedJvm.Result run = program(receiver, config).run(dir.resolve("run"));

      assertPlainRun(run);
      assertThat(run.stderr).contains("[memtrace] ERROR configuration problem").contains("is not valid YAML")
          .contains("memtrace is OFF");
      assertThat(named(receiver.spans(), "memory.store")).isEmpty();
      // memtrace is off, so the OpenTelemetry agent's own Jedis instrumentation was left on
      assertThat(receiver.spans()).filteredOn(s -> s.getKind() == SpanKind.SPAN_KIND_CLIENT)
          .extracting(Span::getName).contains("SETEX", "GET", "SET");
    }
  }

  @Test
  void shouldLeaveTheAgentsJedisSpansOnWhenTheUserSaysSo() throws Exception {
    Path dir = BuildPaths.IT_WORK.resolve("extension-jedis-on");
    Path config = configIn(dir, RULES);
    try (OtlpSink receiver = new OtlpSink()) {
      ForkedJvm.Result run = program(receiver, config).jvmArg("-Dotel.instrumentation.jedis.enabled=true")
          .run(dir.resolve("run"));

      assertPlainRun(run);
      // memtrace's default for the agent's configuration yields to the user's own setting
      assertThat(receiver.spans()).filteredOn(s -> s.getKind() == SpanKind.SPAN_KIND_CLIENT && s.getName().equals("SETEX"))
          .hasSize(2).extracting(s -> OtlpProtobuf.attribute(s, "memory.ttl")).containsExactlyInAnyOrder("600", null);
    }
  }

  private static List<Span> named(List<Span> spans, String name) {
    return spans.stream().filter(s -> s.getName().equals(name)).collect(Collectors.toList());
  }

  private static Span only(List<Span> spans, String name) {
    List<Span> found = named(spans, name);
    assertThat(found).as("spans named %s", name).hasSize(1);
    return found.get(0);
  }

  private static Map<String, String> attributes(Span span) {
    return span.getAttributesList().stream().map(kv -> kv.getKey())
        .collect(Collectors.toMap(Function.identity(), key -> OtlpProtobuf.attribute(span, key), (a, b) -> a));
  }
}
