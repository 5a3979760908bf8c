package io.memtrace.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.ExportedSpans;
import io.memtrace.testsupport.ExportedSpans.Link;
import io.memtrace.testsupport.ExportedSpans.Span;
import io.memtrace.testsupport.ForkedJvm;
import io.memtrace.testsupport.OtlpSink;
import io.memtrace.testsupport.PlainAndTraced;
import io.memtrace.testsupport.TestPrograms;
import io.memtrace.testsupport.TestRedisPerClass;
import io.memtrace.testsupport.genai.ModelCalls;
import io.memtrace.testsupport.genai.ModelServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Model-call spans and their provenance with real LangChain4j 1.9 (langchain4j-open-ai against the loopback
 * {@link ModelServer}): an AI service with a chat memory per conversation on Redis and a content retriever over
 * an embedding store. Each model span links exactly the chat-memory read that fed its prompt (the service's
 * second read of its own conversation, never the read MessageWindowChatMemory.add makes inside its write) and the
 * retrieval of that turn, while two conversations take turns on one thread pool, and on Java 25 on virtual
 * threads.
 */
class LangChain4jModelIT extends TestRedisPerClass {

  private static final String CHAT_MEMORY = "MessageWindowChatMemory";
  private static String classPath;
  private static ModelServer model;

  @BeforeAll
  static void start() throws Exception {
    classPath = TestPrograms.compileForRelease("langchain4j-model", "17",
        TestPrograms.libraryClassPath("langchain4j-1.9.0"), "LangChain4jModelProgram.java");
    model = ModelServer.start().stallMillis(3_000);
  }

  @AfterAll
  static void stop() {
    model.close();
  }

  private static final Path TEMURIN_25 = Paths.get("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");

  private static ForkedJvm program(Path java) {
    return ForkedJvm.program(classPath, "LangChain4jModelProgram", redis.host, String.valueOf(redis.port),
        model.v1Url()).java(java);
  }

  /** On Java 17 two conversations take turns on a pool; on Java 25 also on virtual threads. */
  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"the build's Java", "Java 25"})
  void shouldLinkEveryModelCallToItsOwnConversationsReadAndRetrieval(String jvm) throws Exception {
    boolean virtual = jvm.equals("Java 25");
    Path java = virtual ? TEMURIN_25 : BuildPaths.JAVA;
    Assumptions.assumeTrue(Files.isExecutable(java), java + " is not installed");
    Path dir = BuildPaths.IT_WORK.resolve("langchain4j-model-" + (virtual ? "25" : "default"));
    // the same conversations each time, from empty memories
    PlainAndTraced runs = PlainAndTraced.run(dir, redis::flushAll, run -> program(java));
    ForkedJvm.Result with = runs.traced;

    runs.assertSameOutput("the program's output with the agent")
        .contains("pool-alice 3: Answer to:").contains("fail threw").contains("timeout threw");
    runs.assertAgentQuiet();

    ExportedSpans exported = runs.spans();
    List<Span> calls = ModelCalls.in(exported);
    assertThat(with.stdout).contains(virtual ? "virtual-alice 3: Answer to:" : "virtual threads: not in this JVM");
    assertThat(calls).hasSize(virtual ? 18 : 12)
        .allSatisfy(s -> assertThat(s.attributes).doesNotContainKey("memtrace.rule.messages"));
    ModelCalls.assertTestModelChats(calls);

    List<String> conversations = virtual
        ? List.of("pool-alice", "pool-bob", "virtual-alice", "virtual-bob") : List.of("pool-alice", "pool-bob");
    for (String conversation : conversations) {
      List<Span> turns = ModelCalls.of(calls, conversation);
      assertThat(turns).as(conversation).hasSize(3);
      for (int t = 0; t < 3; t++) {
        Span call = turns.get(t);
        ModelCalls.assertAnswered(model, call);
        assertThat(call.attributes).containsEntry("memtrace.context.messages", 2L * t + 1)
            .containsEntry("memtrace.context.records", 2L);
        assertThat((Long) call.attributes.get("memtrace.context.bytes")).isPositive();
        assertThat((Double) call.attributes.get("memtrace.context.prompt_share")).isBetween(0.01, 1.0);
        assertThat(call.links).as("links of %s", call).hasSize(2);

        Link memoryLink = ModelCalls.link(call, "chat_memory");
        Span read = exported.target(memoryLink).orElseThrow();
        // AiServices adds the question to the memory before reading it: a first turn's read holds that one message
        assertThat(read.attributes).containsEntry("memory.namespace", CHAT_MEMORY)
            .containsEntry("memory.operation", "retrieve").containsEntry("memory.key", conversation)
            .containsEntry("memory.found", true).containsEntry("gen_ai.memory.record.count", 2L * t + 1);
        assertThat(read.parentSpanId).as("not the read inside add()").isEmpty();
        assertThat(read).as("the last read of its conversation before the call: the one that fed the prompt")
            .isEqualTo(ModelCalls.lastReadBefore(exported, CHAT_MEMORY, conversation, call.start).orElseThrow());
        assertThat(memoryLink.attributes).containsEntry("memtrace.context.records", 2L * t + 1);

        Link retrievalLink = ModelCalls.link(call, "retrieval");
        Span search = exported.target(retrievalLink).orElseThrow();
        assertThat(search.attributes).containsEntry("memory.operation", "search")
            .containsEntry("memory.result_count", 2L);
        assertThat(search.start).isLessThan(call.start);
        assertThat(retrievalLink.attributes).containsEntry("memtrace.context.records", 2L);
      }
    }

    List<Span> streamed = ModelCalls.of(calls, "stream-alice");
    assertThat(streamed).as("streamed turns").hasSize(2);
    for (int t = 0; t < 2; t++) {
      Span call = streamed.get(t);
      ModelCalls.assertAnswered(model, call);
      assertThat(call.attributes).containsEntry("memtrace.context.messages", 2L * t + 1)
          .containsEntry("memtrace.context.records", 2L);
      assertThat(exported.target(ModelCalls.link(call, "chat_memory")).orElseThrow())
          .isEqualTo(ModelCalls.lastReadBefore(exported, CHAT_MEMORY, "stream-alice", call.start).orElseThrow());
      assertThat(exported.target(ModelCalls.link(call, "retrieval"))).isPresent();
    }
    assertThat(with.stdout).contains("stream-fail: failed with ");
    ModelCalls.assertFailed(calls, "stream-fail");

    assertThat(with.stdout).contains("stream-cancel: Answer");
    Span cancelled = ModelCalls.assertFailedEarly(calls, "stream-cancel", "ended when the application cancelled");
    assertThat(cancelled.attributes).containsEntry("error.type", "java.util.concurrent.CancellationException");

    Span failed = ModelCalls.assertFailed(calls, "conv-fail");
    assertThat(failed.attributes).doesNotContainKey("gen_ai.usage.input_tokens");
    assertThat(failed.events).contains("exception");
    assertThat(ModelCalls.link(failed, "chat_memory")).isNotNull();
    ModelCalls.assertFailedEarly(calls, "conv-timeout", "ended when the client gave up");
  }

  /**
   * Beside the OpenTelemetry Java agent (2.33: its GenAI instrumentation covers the OpenAI SDK, not LangChain4j):
   * one model span per call, memtrace's, with its links, and the agent's HTTP spans under way as they were.
   */
  @Test
  void shouldMakeOneModelSpanPerCallBesideTheOpenTelemetryAgent() throws Exception {
    redis.flushAll();
    try (OtlpSink receiver = new OtlpSink()) {
      Path dir = BuildPaths.IT_WORK.resolve("langchain4j-model-otel");
      ForkedJvm.Result result = program(BuildPaths.JAVA).withAgent().everySpan()
          .javaagentAfter(BuildPaths.OTEL_AGENT_JAR).exportTo(receiver.endpoint())
          .env("OTEL_METRICS_EXPORTER", "none").env("OTEL_LOGS_EXPORTER", "none")
          .run(dir);

      assertThat(result.exitCode).as("%s", result).isZero();
      List<io.opentelemetry.proto.trace.v1.Span> chats = receiver.spans().stream()
          .filter(s -> s.getAttributesList().stream().anyMatch(kv -> kv.getKey().equals("gen_ai.operation.name")
              && kv.getValue().getStringValue().equals("chat")))
          .collect(java.util.stream.Collectors.toList());
      assertThat(chats).as("model spans from either agent").hasSize(12)
          .allSatisfy(s -> assertThat(s.getName()).isEqualTo("chat test-model"));
      assertThat(receiver.spansOfScope(scope -> scope.startsWith("io.memtrace"))).containsAll(chats);
      assertThat(chats.stream().filter(s -> s.getStatus().getCode().getNumber() == 1))
          .as("every successful call links its memory").allSatisfy(s -> assertThat(s.getLinksCount()).isGreaterThan(0));
      assertThat(receiver.spansOfScope(scope -> !scope.startsWith("io.memtrace")))
          .as("the OpenTelemetry agent's own spans (its HTTP client spans)").isNotEmpty();
    }
  }

}
