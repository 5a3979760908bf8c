package io.memtrace.testsupport.genai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.CollectorShell;
import io.memtrace.testsupport.ExportedSpans;
import io.memtrace.testsupport.ExportedSpans.Span;
import io.memtrace.testsupport.ForkedJvm;
import io.memtrace.testsupport.PlainAndTraced;
import io.memtrace.testsupport.TestRedisPerClass;
import io.memtrace.testsupport.genai.ModelTruth.Request;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Model-call memory against an oracle, the test LangChain4jModelTruthIT and SpringAiModelTruthIT each run on their
 * framework: a seeded program of conversations run without and with the agent from an empty Redis, alternately on the
 * build's Java and on Java 25, and every model call of the traced run judged against what the stub model received
 * ({@link ModelTruth}), with the cross-tenant records the collector's report must flag. A framework's test says how
 * its program starts and what the model receives of a conversation's memory.
 *
 * <p>{@code name} is the prefix of the system properties ({@code -DNAME.seed=S} replays one seed on both JVMs,
 * {@code -DNAME.seeds=a,b,c} runs others, {@code -DNAME.conversations=N} sets how many conversations a seed
 * generates, 7) and what the printed tallies start with.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ModelTruthContract extends TestRedisPerClass {

  private static final Path TEMURIN_25 = Paths.get("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");
  private static final String CHAT_MEMORY = "MessageWindowChatMemory";

  private final String name;
  private final ModelTruth.Prompt prompt;
  private final String seeds;
  private final AtomicInteger right = new AtomicInteger();
  private final AtomicInteger wrong = new AtomicInteger();
  /** The stub model every program of the class talks to. */
  protected ModelServer model;
  /** The collector jar's commands of every seed's cross-tenant check, in one JVM for the class. */
  private CollectorShell collector;

  /**
   * @param name   the system properties' prefix and the tallies' name
   * @param prompt which messages of a request the chat memory gave
   * @param seeds  the seeds run without {@code -DNAME.seeds}, comma separated
   */
  protected ModelTruthContract(String name, ModelTruth.Prompt prompt, String seeds) {
    this.name = name;
    this.prompt = prompt;
    this.seeds = seeds;
  }

  /** The program for one seed, generating {@code conversations} conversations, on {@code java}. */
  protected abstract ForkedJvm program(Path java, long seed, String conversations);

  /** Each request judged, for the class's own tallies. */
  protected abstract void judged(Request request);

  /** The class's own tallies, after the calls judged right and wrong. */
  protected abstract String tallies();

  @BeforeAll
  void startModel() throws Exception {
    model = ModelServer.start();
    collector = CollectorShell.start(BuildPaths.IT_WORK.resolve(name + "-collector"));
  }

  @AfterAll
  void stopModel() throws InterruptedException {
    if (collector != null) {
      collector.close();
    }
    model.close();
    System.out.println(name + ": " + (right.get() + wrong.get()) + " model calls, " + right.get() + " right, "
        + wrong.get() + " wrong; " + tallies());
  }

  /** Each a {@code {seed, java25}} pair: the fixed seeds alternately on the build's Java and Java 25, or one on both. */
  List<Object[]> seeds() {
    String one = System.getProperty(name + ".seed");
    if (one != null) {
      return List.of(new Object[] {Long.parseLong(one), false}, new Object[] {Long.parseLong(one), true});
    }
    String[] fixed = System.getProperty(name + ".seeds", seeds).split(",");
    List<Object[]> runs = new ArrayList<>();
    for (int i = 0; i < fixed.length; i++) {
      runs.add(new Object[] {Long.parseLong(fixed[i].trim()), i % 2 == 1});
    }
    return runs;
  }

  @ParameterizedTest(name = "seed {0}, Java 25 {1}")
  @MethodSource("seeds")
  void shouldLinkEveryModelCallToTheReadWhoseMessagesTheModelReceived(long seed, boolean java25) throws Exception {
    Path java = java25 ? TEMURIN_25 : BuildPaths.JAVA;
    Assumptions.assumeTrue(Files.isExecutable(java), java + " is not installed");
    String conversations = System.getProperty(name + ".conversations", "7");
    int[] firstRequest = new int[1];
    Path dir = BuildPaths.IT_WORK.resolve(name + "-" + seed + (java25 ? "-25" : ""));
    PlainAndTraced runs = PlainAndTraced.run(dir, () -> {
      redis.flushAll();
      firstRequest[0] = model.requests().size();
    }, run -> program(java, seed, conversations));
    String replay = "seed " + seed + " (replay: -D" + name + ".seed=" + seed + ")";
    runs.assertSameOutput("the transcript with the agent, " + replay)
        .contains(java25 ? "on virtual threads" : "on a pool of 3");
    runs.assertAgentQuiet();

    List<JsonNode> received = model.requests();
    Map<String, List<Request>> oracle = ModelTruth.oracle(received.subList(firstRequest[0], received.size()), prompt);
    ExportedSpans exported = runs.spans();
    List<Span> calls = ModelCalls.in(exported);
    List<String> wrongs = new ArrayList<>();
    int rights = 0;
    for (Map.Entry<String, List<Request>> conversation : oracle.entrySet()) {
      String id = conversation.getKey();
      List<Request> requests = conversation.getValue();
      List<Span> spans = ModelCalls.of(calls, id);
      if (spans.size() != requests.size()) {
        wrongs.add(id + ": " + spans.size() + " model spans for " + requests.size() + " requests the model received");
      }
      for (int i = 0; i < Math.min(spans.size(), requests.size()); i++) {
        Request request = requests.get(i);
        String why = ModelTruth.judge(exported, spans.get(i), id, request, CHAT_MEMORY);
        if (why == null) {
          rights++;
        } else {
          wrongs.add(id + "#" + request.turn() + ": " + why);
        }
        judged(request);
      }
    }
    long unmatched = calls.stream().filter(s -> !oracle.containsKey(s.attributes.get("gen_ai.conversation.id")))
        .count();
    if (unmatched > 0) {
      wrongs.add(unmatched + " model spans of no conversation the model received");
    }
    wrongs.addAll(ModelTruth.crossTenant(collector, runs.spansFile(), dir.resolve("cross-tenant"), oracle));
    right.addAndGet(rights);
    wrong.addAndGet(wrongs.size());
    System.out.println(name + " " + replay + ": " + rights + " right, " + wrongs.size() + " wrong");
    assertThat(rights).as("calls judged, " + replay).isPositive();
    assertThat(wrongs).as("wrong answers, " + replay).isEmpty();
  }
}
