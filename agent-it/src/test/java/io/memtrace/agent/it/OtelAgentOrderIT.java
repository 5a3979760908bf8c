package io.memtrace.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.ExportedSpans;
import io.memtrace.testsupport.ExportedSpans.Span;
import io.memtrace.testsupport.ForkedJvm;
import io.memtrace.testsupport.TestPrograms;
import io.memtrace.testsupport.TestRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * memtrace beside the real OpenTelemetry Java agent, its {@code -javaagent} before or after
 * memtrace's: every Redis command of the program still gets memtrace's span, a YAML rule still
 * traces a memory manager, and memtrace warns about nothing it was not asked to instrument.
 */
class OtelAgentOrderIT {

  private static final String JEDIS = "5.2.0";
  private static final String CONFIG = String.join("\n",
      "memory-managers:",
      "  - type: OtelOrderProgram$NoteMemory",
      "    methods:",
      "      - { name: store, operation: store, key: arg0, value: arg1 }",
      "      - { name: retrieve, operation: retrieve, key: arg0 }",
      "");

  @ParameterizedTest(name = "OpenTelemetry agent {0}")
  @ValueSource(strings = {"none", "before", "after"})
  void shouldTraceEveryCommandAndTheRuleInEitherOrder(String order) throws Exception {
    String jedis = TestPrograms.jedisClassPath(JEDIS);
    String classPath = TestPrograms.compile("otel-order", jedis,
        JedisSpansIT.withPooledClient(JEDIS, "OtelOrderProgram.java", "JedisProgram.java", "PooledProgram.java"));
    Path dir = BuildPaths.IT_WORK.resolve("otel-order-" + order);
    Files.createDirectories(dir);
    Path config = dir.resolve("memtrace.yaml");
    Files.writeString(config, CONFIG);
    Path spansFile = dir.resolve("spans.jsonl");
    Files.deleteIfExists(spansFile);

    ForkedJvm.Result result;
    try (TestRedis redis = TestRedis.start()) {
      ForkedJvm jvm = ForkedJvm.program(classPath, "OtelOrderProgram", redis.host, String.valueOf(redis.port))
          .withAgent("config=" + config).everySpan()
          .tracesTo(spansFile);
      if (order.equals("before")) {
        jvm.javaagentBefore(BuildPaths.OTEL_AGENT_JAR);
      } else if (order.equals("after")) {
        jvm.javaagentAfter(BuildPaths.OTEL_AGENT_JAR);
      }
      result = jvm.run(dir);
    }

    assertThat(result.exitCode).as("%s", result).isZero();
    List<String> warnings = result.stderr.lines().filter(l -> l.startsWith("[memtrace] WARN"))
        .collect(Collectors.toList());
    assertThat(warnings).as("memtrace's warnings").isEmpty();
    assertThat(result.stderr).contains("method rules 2").contains("memtrace.events.dropped=0");

    ExportedSpans exported = ExportedSpans.read(spansFile);
    List<Span> redisSpans = exported.where(s -> "redis".equals(s.attributes.get("db.system.name")));
    assertThat(redisSpans).as("one span per command, pipeline and transaction: 19 of JedisProgram, 3 of NoteMemory").hasSize(22);
    JedisSpansIT.only(exported, "GET user:42:name");
    JedisSpansIT.only(exported, "SET tx:1 ?; INCR tx:counter");
    JedisSpansIT.only(exported, "GET pooled:missing");

    List<Span> memory = exported.where(s -> s.name.startsWith("memory."));
    assertThat(memory).extracting(s -> s.name)
        .containsExactlyInAnyOrder("memory.store", "memory.retrieve", "memory.retrieve");
    Span store = memory.stream().filter(s -> s.name.equals("memory.store")).findFirst().orElseThrow();
    assertThat(store.attributes).containsEntry("memory.key", "n1").containsEntry("memory.value_size", 10L);
    Span noteSet = JedisSpansIT.only(exported, "SET note:n1 ?");
    assertThat(noteSet.parentSpanId).as("the Redis command inside the memory call").isEqualTo(store.spanId);
  }
}
