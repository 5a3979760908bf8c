package com.acme.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.ExportedSpans;
import io.memtrace.testsupport.ExportedSpans.Link;
import io.memtrace.testsupport.ExportedSpans.Span;
import io.memtrace.testsupport.ForkedJvm;
import io.memtrace.testsupport.PlainAndTraced;
import io.memtrace.testsupport.TestRedisPerClass;
import io.memtrace.testsupport.genai.ModelCalls;
import io.memtrace.testsupport.genai.ModelServer;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Model-call spans and their provenance with real Spring AI 1.1.2: the app's {@link AssistantSession} (ChatClient,
 * OpenAiChatModel against the loopback {@link ModelServer}, MessageChatMemoryAdvisor over the app's Redis
 * repository, QuestionAnswerAdvisor over a SimpleVectorStore). Each model span links the chat-memory read of its
 * own conversation and its turn's search, while two conversations take turns on one thread pool.
 */
class SpringAiModelIT extends TestRedisPerClass {

  private static final Path APP = Paths.get(System.getProperty("spring.ai.app.jar", "target/memtrace-spring-ai-app.jar"))
      .toAbsolutePath();
  private static ModelServer model;

  @BeforeAll
  static void start() throws Exception {
    model = ModelServer.start().stallMillis(3_000);
  }

  @AfterAll
  static void stop() {
    model.close();
  }

  private static ForkedJvm app(String run, String... more) {
    List<String> args = new java.util.ArrayList<>(List.of("--spring.data.redis.host=" + redis.host,
        "--spring.data.redis.port=" + redis.port, "--assistant.model-url=" + model.baseUrl(),
        "--assistant.observations=" + run.equals("observed")));
    args.addAll(List.of(more));
    return ForkedJvm.jar(APP, args.toArray(new String[0]));
  }

  /**
   * Spring AI's own observations bridged to OpenTelemetry make the model spans: memtrace adds no second one, and
   * gives each of those spans its links to its own conversation's chat-memory read and its turn's search.
   */
  @Test
  void shouldAddNoModelSpanWhenSpringAiObservationsAreTraced() throws Exception {
    Path dir = BuildPaths.IT_WORK.resolve("model-observed");
    PlainAndTraced runs = PlainAndTraced.run(dir, redis::flushAll,
        run -> app("observed", "--assistant.observed-spans=" + dir.resolve("observed-" + run + ".jsonl")));
    Path observedPlain = dir.resolve("observed-plain.jsonl");
    Path observedFile = dir.resolve("observed-traced.jsonl");

    runs.assertSameOutput("the output with the agent").contains("model spans observed by Spring AI: 15");
    assertThat(runs.traced.stderr).contains("memtrace adds no model-call span").doesNotContain("[memtrace] WARN")
        .doesNotContain("model spans ended without their links");
    ExportedSpans exported = runs.spans();
    assertThat(ModelCalls.in(exported)).as("memtrace's model spans").isEmpty();
    assertThat(exported.where(s -> "MessageWindowChatMemory".equals(s.attributes.get("memory.namespace"))))
        .as("its memory spans stay").isNotEmpty();

    assertThat(ObservedSpan.read(observedPlain)).hasSize(15).allSatisfy(s -> assertThat(s.links).isEmpty());
    List<ObservedSpan> observed = ObservedSpan.read(observedFile);
    assertThat(observed).as("Spring AI's model spans").hasSize(15);
    int checked = 0;
    for (ObservedSpan span : observed) {
      String conversation = span.conversation();
      int turn = span.turn();
      for (ObservedSpan.Target link : span.links) {
        assertThat(exported.where(s -> s.spanId.equals(link.spanId) && s.traceId.equals(link.traceId)))
            .as("the memory span %s links", link).hasSize(1);
      }
      if (conversation.startsWith("conv-") || conversation.equals("stream-cancel")) {
        continue; // one turn each, failed or cancelled: linked like the others, asserted in the traced run
      }
      checked++;
      Span search = target(exported, span.link("retrieval"));
      assertThat(search.attributes).as("%s %s", conversation, turn).containsEntry("memory.namespace", "SimpleVectorStore")
          .containsEntry("memory.result_count", 2L);
      assertThat(span.attributes).as("%s %s", conversation, turn).containsEntry("memtrace.context.records", 2)
          .containsEntry("memtrace.context.messages", 2 * (turn - 1));
      // a first turn links the read that found its memory empty
      ObservedSpan.Target memoryLink = span.link("chat_memory");
      Span read = target(exported, memoryLink);
      assertThat(read.attributes).as("%s turn %s", conversation, turn)
          .containsEntry("memory.namespace", "MessageWindowChatMemory").containsEntry("memory.key", conversation)
          .containsEntry("memory.found", turn > 1);
      assertThat(memoryLink.attributes).containsEntry("memtrace.context.records", 2 * (turn - 1));
      assertThat(span.links).hasSize(2);
    }
    assertThat(checked).as("pool, RAG, prompt-memory and streamed turns").isEqualTo(12);
  }

  /**
   * The messages before the question in the last request the model server got whose last message asks
   * {@code question}, system messages aside: what the chat memory gave that prompt.
   */
  private static long historyReceived(String question) {
    JsonNode asked = null;
    for (JsonNode request : model.requests()) {
      JsonNode messages = request.path("messages");
      if (messages.size() > 0 && messages.get(messages.size() - 1).path("content").asText().contains(question)) {
        asked = request;
      }
    }
    assertThat(asked).as("a request asking %s", question).isNotNull();
    long history = -1; // the question itself
    for (JsonNode message : asked.path("messages")) {
      history += message.path("role").asText().equals("system") ? 0 : 1;
    }
    return history;
  }

  private static Span target(ExportedSpans exported, ObservedSpan.Target link) {
    List<Span> found = exported.where(s -> s.spanId.equals(link.spanId) && s.traceId.equals(link.traceId));
    assertThat(found).as("the span %s links", link).hasSize(1);
    return found.get(0);
  }

  @Test
  void shouldLinkEveryModelCallToItsOwnConversationsReadAndSearch() throws Exception {
    // the same conversations each time, from empty memories
    PlainAndTraced runs = PlainAndTraced.run(BuildPaths.IT_WORK.resolve("model"), redis::flushAll, run -> app(run));
    ForkedJvm.Result with = runs.traced;

    runs.assertSameOutput("the transcript with the agent")
        .contains("pool-ada 3: Answer to:").contains("fail threw").contains("timeout threw");
    runs.assertAgentQuiet();

    ExportedSpans exported = runs.spans();
    List<Span> calls = ModelCalls.in(exported);
    assertThat(calls).hasSize(15);
    ModelCalls.assertTestModelChats(calls);
    for (String conversation : List.of("pool-ada", "pool-bob")) {
      List<Span> turns = ModelCalls.of(calls, conversation);
      assertThat(turns).as(conversation).hasSize(3);
      for (int t = 0; t < 3; t++) {
        Span call = turns.get(t);
        ModelCalls.assertAnswered(model, call);
        assertThat(call.attributes).containsEntry("memtrace.context.records", 2L)
            .containsEntry("memtrace.context.messages", 2L * t);
        double share = (Double) call.attributes.get("memtrace.context.prompt_share");
        assertThat(share).isGreaterThan(0.0).isLessThan(1.0);
        assertThat(call.links).as("links of %s: its first turn's to a read that found nothing", call).hasSize(2);

        Span search = exported.target(ModelCalls.link(call, "retrieval")).orElseThrow();
        assertThat(search.attributes).containsEntry("memory.namespace", "SimpleVectorStore")
            .containsEntry("memory.operation", "search").containsEntry("memory.result_count", 2L);
        Link memoryLink = ModelCalls.link(call, "chat_memory");
        Span read = exported.target(memoryLink).orElseThrow();
        assertThat(read.attributes).containsEntry("memory.namespace", "MessageWindowChatMemory")
            .containsEntry("memory.operation", "retrieve").containsEntry("memory.key", conversation)
            .containsEntry("memory.found", t > 0).containsEntry("gen_ai.memory.record.count", 2L * t);
        assertThat(read.parentSpanId).as("not the read inside add()").isEmpty();
        assertThat(memoryLink.attributes).containsEntry("memtrace.context.records", 2L * t);
        String question = (conversation.equals("pool-ada") ? "Ada asks " : "Bob asks ") + (t + 1) + ":";
        assertThat(historyReceived(question)).as("the messages before %s the model was sent", question)
            .isEqualTo(2L * t);
      }
    }
    List<Span> rag = ModelCalls.of(calls, "rag-ada");
    assertThat(rag).as("RetrievalAugmentationAdvisor turns").hasSize(2);
    for (int t = 0; t < 2; t++) {
      Span call = rag.get(t);
      assertThat(call.attributes).containsEntry("memtrace.context.records", 2L).containsEntry("memtrace.context.messages", 2L * t);
      assertThat(exported.target(ModelCalls.link(call, "retrieval")).orElseThrow().attributes)
          .containsEntry("memory.namespace", "SimpleVectorStore").containsEntry("memory.result_count", 2L);
      assertThat(exported.target(ModelCalls.link(call, "chat_memory")).orElseThrow().attributes)
          .containsEntry("memory.key", "rag-ada").containsEntry("memory.found", t > 0);
    }

    // PromptChatMemoryAdvisor writes the memory into the system message's text: the read is linked all the same
    List<Span> promptMemory = ModelCalls.of(calls, "prompt-ada");
    assertThat(promptMemory).as("PromptChatMemoryAdvisor turns").hasSize(2);
    assertThat(promptMemory.get(0).attributes).containsEntry("memtrace.context.messages", 0L);
    Link firstPromptRead = ModelCalls.link(promptMemory.get(0), "chat_memory");
    assertThat(firstPromptRead.attributes).containsEntry("memtrace.context.records", 0L);
    assertThat(exported.target(firstPromptRead).orElseThrow().attributes).containsEntry("memory.key", "prompt-ada")
        .containsEntry("memory.found", false);
    Span second = promptMemory.get(1);
    assertThat(second.attributes).containsEntry("memtrace.context.messages", 2L).containsEntry("memtrace.context.records", 2L);
    Link promptRead = ModelCalls.link(second, "chat_memory");
    assertThat(promptRead.attributes).containsEntry("memtrace.context.records", 2L);
    assertThat(exported.target(promptRead).orElseThrow().attributes)
        .containsEntry("memory.namespace", "MessageWindowChatMemory").containsEntry("memory.key", "prompt-ada");
    assertThat(exported.target(ModelCalls.link(second, "retrieval"))).isPresent();

    List<Span> streamed = ModelCalls.of(calls, "stream-ada");
    assertThat(streamed).as("streamed turns").hasSize(2);
    for (int t = 0; t < 2; t++) {
      Span call = streamed.get(t);
      ModelCalls.assertAnswered(model, call);
      assertThat(call.attributes).containsEntry("memtrace.context.records", 2L).containsEntry("memtrace.context.messages", 2L * t);
      assertThat(exported.target(ModelCalls.link(call, "retrieval"))).isPresent();
      Span read = exported.target(ModelCalls.link(call, "chat_memory")).orElseThrow();
      assertThat(read.attributes).containsEntry("memory.key", "stream-ada").containsEntry("memory.found", t > 0);
    }
    Span cancelled = ModelCalls.assertFailedEarly(calls, "stream-cancel", "ended when the subscriber cancelled");
    assertThat(cancelled.attributes).containsEntry("error.type", "java.util.concurrent.CancellationException");
    assertThat(with.stdout).contains("stream-cancel: [Answer]");

    ModelCalls.assertFailed(calls, "conv-fail");
    ModelCalls.assertFailedEarly(calls, "conv-timeout", "ended when the client gave up");
  }
}
