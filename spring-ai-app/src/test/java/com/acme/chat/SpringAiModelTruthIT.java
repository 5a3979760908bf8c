package com.acme.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.ExportedSpans;
import io.memtrace.testsupport.ExportedSpans.Span;
import io.memtrace.testsupport.ForkedJvm;
import io.memtrace.testsupport.PlainAndTraced;
import io.memtrace.testsupport.TestRedisPerClass;
import io.memtrace.testsupport.genai.ModelCalls;
import io.memtrace.testsupport.genai.ModelServer;
import io.memtrace.testsupport.genai.ModelTruth;
import io.memtrace.testsupport.genai.ModelTruth.Request;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Model-call memory against an oracle, with real Spring AI 1.1.2: the app's {@link TruthConversations} (ChatClient
 * with a MessageChatMemoryAdvisor over MessageWindowChatMemory windows of 2, 3, 4 or 50 messages on the app's Redis
 * repository, two tenants, turns interleaved on a pool of three or on virtual threads) under the agent. The oracle
 * is what the stub model received ({@link ModelServer#requests()}), not memtrace: each request names its
 * conversation and turn in its last message's marker, and every message before that question came from that
 * conversation's chat memory. Spring AI's advisor reads the memory before it adds the question, so a first turn's
 * read finds the memory empty and the model receives no memory message.
 *
 * <p>Each model span memtrace made is right when its one link is a {@code chat_memory} link to the last top-level
 * read of its conversation before the call, and the read's {@code gen_ai.memory.record.count}, the link's
 * {@code memtrace.context.records} and the span's {@code memtrace.context.messages} all equal the count the model
 * received, with {@code memory.found} false exactly when that count is 0; wrong otherwise ({@link ModelTruth}, shared
 * with LangChain4jModelTruthIT). The spans are then imported into a store of the collector jar, whose report must
 * flag cross-tenant records in a conversation exactly where the oracle has some ({@link ModelTruth#crossTenant}).
 *
 * <p>{@code -Dspringtruth.seed=S} replays one seed (on both JVMs), {@code -Dspringtruth.seeds=a,b,c} runs others,
 * {@code -Dspringtruth.conversations=N} sets how many conversations a seed generates (7).
 */
class SpringAiModelTruthIT extends TestRedisPerClass {

  private static final Path APP = Paths.get(System.getProperty("spring.ai.app.jar", "target/memtrace-spring-ai-app.jar"))
      .toAbsolutePath();
  private static final Path TEMURIN_25 = Paths.get("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");
  private static final String CHAT_MEMORY = "MessageWindowChatMemory";
  private static final AtomicInteger RIGHT = new AtomicInteger();
  private static final AtomicInteger WRONG = new AtomicInteger();
  private static final AtomicInteger EVICTED = new AtomicInteger();
  private static final AtomicInteger EMPTY = new AtomicInteger();
  private static ModelServer model;

  @BeforeAll
  static void start() throws Exception {
    model = ModelServer.start();
  }

  @AfterAll
  static void stop() {
    model.close();
    System.out.println("springtruth: " + (RIGHT.get() + WRONG.get()) + " model calls, " + RIGHT.get() + " right, "
        + WRONG.get() + " wrong; " + EMPTY.get() + " on an empty memory, " + EVICTED.get()
        + " after their window evicted messages");
  }

  /** The fixed seeds, alternately on the build's Java and on Java 25; one replayed seed on both. */
  static Stream<Arguments> seeds() {
    String one = System.getProperty("springtruth.seed");
    if (one != null) {
      return Stream.of(Arguments.of(Long.parseLong(one), false), Arguments.of(Long.parseLong(one), true));
    }
    String[] seeds = System.getProperty("springtruth.seeds", "1,2,3").split(",");
    List<Arguments> runs = new ArrayList<>();
    for (int i = 0; i < seeds.length; i++) {
      runs.add(Arguments.of(Long.parseLong(seeds[i].trim()), i % 2 == 1));
    }
    return runs.stream();
  }

  @ParameterizedTest(name = "seed {0}, Java 25 {1}")
  @MethodSource("seeds")
  void shouldLinkEveryModelCallToTheReadWhoseMessagesTheModelReceived(long seed, boolean java25) throws Exception {
    Path java = java25 ? TEMURIN_25 : BuildPaths.JAVA;
    Assumptions.assumeTrue(Files.isExecutable(java), java + " is not installed");
    String conversations = System.getProperty("springtruth.conversations", "7");
    int[] firstRequest = new int[1];
    Path dir = BuildPaths.IT_WORK.resolve("spring-ai-truth-" + seed + (java25 ? "-25" : ""));
    PlainAndTraced runs = PlainAndTraced.run(dir, () -> {
      redis.flushAll();
      firstRequest[0] = model.requests().size();
    }, run -> ForkedJvm.jar(APP, "--spring.data.redis.host=" + redis.host, "--spring.data.redis.port=" + redis.port,
        "--truth.model-url=" + model.baseUrl(), "--truth.seed=" + seed, "--truth.conversations=" + conversations)
        .java(java));
    String replay = "seed " + seed + " (replay: -Dspringtruth.seed=" + seed + ")";
    runs.assertSameOutput("the transcript with the agent, " + replay)
        .contains(java25 ? "on virtual threads" : "on a pool of 3");
    runs.assertAgentQuiet();

    List<JsonNode> received = model.requests();
    Map<String, List<Request>> oracle = ModelTruth.oracle(received.subList(firstRequest[0], received.size()),
        ModelTruth.Prompt.BEFORE_QUESTION);
    ExportedSpans exported = runs.spans();
    List<Span> calls = ModelCalls.in(exported);
    List<String> wrong = new ArrayList<>();
    int right = 0;
    for (Map.Entry<String, List<Request>> conversation : oracle.entrySet()) {
      String id = conversation.getKey();
      List<Request> requests = conversation.getValue();
      List<Span> spans = ModelCalls.of(calls, id);
      if (spans.size() != requests.size()) {
        wrong.add(id + ": " + spans.size() + " model spans for " + requests.size() + " requests the model received");
      }
      for (int i = 0; i < Math.min(spans.size(), requests.size()); i++) {
        Request request = requests.get(i);
        String why = ModelTruth.judge(exported, spans.get(i), id, request, CHAT_MEMORY);
        if (why == null) {
          right++;
        } else {
          wrong.add(id + "#" + request.turn() + ": " + why);
        }
        EMPTY.addAndGet(request.messages() == 0 ? 1 : 0);
        EVICTED.addAndGet(request.messages() < 2 * (request.turn() - 1) ? 1 : 0);
      }
    }
    long unmatched = calls.stream().filter(s -> !oracle.containsKey(s.attributes.get("gen_ai.conversation.id")))
        .count();
    if (unmatched > 0) {
      wrong.add(unmatched + " model spans of no conversation the model received");
    }
    wrong.addAll(ModelTruth.crossTenant(runs.spansFile(), dir.resolve("cross-tenant"), oracle));
    RIGHT.addAndGet(right);
    WRONG.addAndGet(wrong.size());
    System.out.println("springtruth " + replay + ": " + right + " right, " + wrong.size() + " wrong");
    assertThat(right).as("calls judged, " + replay).isPositive();
    assertThat(wrong).as("wrong answers, " + replay).isEmpty();
  }
}
