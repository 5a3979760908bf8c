package io.memtrace.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.ExportedSpans;
import io.memtrace.testsupport.ExportedSpans.Span;
import io.memtrace.testsupport.ForkedJvm;
import io.memtrace.testsupport.PlainAndTraced;
import io.memtrace.testsupport.TestPrograms;
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
 * Model-call memory against an oracle, with real LangChain4j 1.9: seeded conversations (LangChain4jTruthProgram)
 * with windows that evict old messages and two tenants, interleaved on a pool of three threads (the build's Java)
 * or on virtual threads (Java 25). The oracle is what the stub model received ({@link ModelServer#requests()}), not
 * memtrace: each request names its conversation and turn in its last message's marker, and every message it carries
 * came from that conversation's chat memory. Each model span memtrace made is then judged right when its one link
 * is a {@code chat_memory} link to the last top-level read of that conversation before the call, and the read's
 * {@code gen_ai.memory.record.count}, the link's {@code memtrace.context.records} and the span's
 * {@code memtrace.context.messages} all equal the number of messages the model received; wrong otherwise
 * ({@link ModelTruth}, shared with SpringAiModelTruthIT). The spans are then imported into a store of the collector
 * jar, whose report must flag cross-tenant records in a conversation exactly where the oracle has some
 * ({@link ModelTruth#crossTenant}).
 *
 * <p>{@code -Dmodeltruth.seed=S} replays one seed (on both JVMs), {@code -Dmodeltruth.seeds=a,b,c} runs others,
 * {@code -Dmodeltruth.conversations=N} sets how many conversations a seed generates (7).
 */
class LangChain4jModelTruthIT extends TestRedisPerClass {

  private static final String CHAT_MEMORY = "MessageWindowChatMemory";
  private static final Path TEMURIN_25 = Paths.get("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");
  private static final AtomicInteger RIGHT = new AtomicInteger();
  private static final AtomicInteger WRONG = new AtomicInteger();
  private static final AtomicInteger EVICTED = new AtomicInteger();
  private static String classPath;
  private static ModelServer model;

  @BeforeAll
  static void start() throws Exception {
    classPath = TestPrograms.compileForRelease("langchain4j-truth", "17",
        TestPrograms.libraryClassPath("langchain4j-1.9.0"), "LangChain4jTruthProgram.java",
        "LangChain4jModelProgram.java");
    model = ModelServer.start();
  }

  @AfterAll
  static void stop() {
    model.close();
    System.out.println("modeltruth: " + (RIGHT.get() + WRONG.get()) + " model calls, " + RIGHT.get() + " right, "
        + WRONG.get() + " wrong; " + EVICTED.get() + " of them after their window evicted messages");
  }

  /** The fixed seeds, alternately on the build's Java and on Java 25; one replayed seed on both. */
  static Stream<Arguments> seeds() {
    String one = System.getProperty("modeltruth.seed");
    if (one != null) {
      return Stream.of(Arguments.of(Long.parseLong(one), false), Arguments.of(Long.parseLong(one), true));
    }
    String[] seeds = System.getProperty("modeltruth.seeds", "1,2,3,4").split(",");
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
    String conversations = System.getProperty("modeltruth.conversations", "7");
    int[] firstRequest = new int[1];
    Path dir = BuildPaths.IT_WORK.resolve("langchain4j-truth-" + seed + (java25 ? "-25" : ""));
    PlainAndTraced runs = PlainAndTraced.run(dir, () -> {
      redis.flushAll();
      firstRequest[0] = model.requests().size();
    }, run -> ForkedJvm.program(classPath, "LangChain4jTruthProgram", redis.host, String.valueOf(redis.port),
        model.v1Url(), String.valueOf(seed), conversations).java(java));
    String replay = "seed " + seed + " (replay: -Dmodeltruth.seed=" + seed + ")";
    runs.assertSameOutput("the transcript with the agent, " + replay)
        .contains(java25 ? "on virtual threads" : "on a pool of 3");
    runs.assertAgentQuiet();

    List<JsonNode> received = model.requests();
    Map<String, List<Request>> oracle = ModelTruth.oracle(received.subList(firstRequest[0], received.size()),
        ModelTruth.Prompt.WHOLE);
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
        String why = ModelTruth.judge(exported, spans.get(i), id, requests.get(i), CHAT_MEMORY);
        if (why == null) {
          right++;
        } else {
          wrong.add(id + "#" + requests.get(i).turn() + ": " + why);
        }
        if (requests.get(i).messages() < 2 * requests.get(i).turn() - 1) {
          EVICTED.incrementAndGet();
        }
      }
    }
    int unmatched = (int) calls.stream().filter(s -> !oracle.containsKey(s.attributes.get("gen_ai.conversation.id")))
        .count();
    if (unmatched > 0) {
      wrong.add(unmatched + " model spans of no conversation the model received");
    }
    wrong.addAll(ModelTruth.crossTenant(runs.spansFile(), dir.resolve("cross-tenant"), oracle));
    RIGHT.addAndGet(right);
    WRONG.addAndGet(wrong.size());
    System.out.println("modeltruth " + replay + ": " + right + " right, " + wrong.size() + " wrong");
    assertThat(right).as("calls judged, " + replay).isPositive();
    assertThat(wrong).as("wrong answers, " + replay).isEmpty();
  }
}
