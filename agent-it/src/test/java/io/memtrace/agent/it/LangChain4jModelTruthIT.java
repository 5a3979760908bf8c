package io.memtrace.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.ExportedSpans;
import io.memtrace.testsupport.ExportedSpans.Link;
import io.memtrace.testsupport.ExportedSpans.Span;
import io.memtrace.testsupport.ForkedJvm;
import io.memtrace.testsupport.PlainAndTraced;
import io.memtrace.testsupport.TestPrograms;
import io.memtrace.testsupport.TestRedisPerClass;
import io.memtrace.testsupport.genai.ModelCalls;
import io.memtrace.testsupport.genai.ModelServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * {@code memtrace.context.messages} all equal the number of messages the model received; wrong otherwise.
 *
 * <p>{@code -Dmodeltruth.seed=S} replays one seed (on both JVMs), {@code -Dmodeltruth.seeds=a,b,c} runs others,
 * {@code -Dmodeltruth.conversations=N} sets how many conversations a seed generates (7).
 */
class LangChain4jModelTruthIT extends TestRedisPerClass {

  private static final String CHAT_MEMORY = "MessageWindowChatMemory";
  private static final Path TEMURIN_25 = Paths.get("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");
  private static final Pattern MARKER = Pattern.compile("<<([a-z]+:c[0-9]+)#([0-9]+)>>");
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
    Map<String, List<Request>> oracle = oracle(received.subList(firstRequest[0], received.size()));
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
        String why = judge(exported, spans.get(i), id, requests.get(i));
        if (why == null) {
          right++;
        } else {
          wrong.add(id + "#" + requests.get(i).turn + ": " + why);
        }
        if (requests.get(i).messages < 2 * requests.get(i).turn - 1) {
          EVICTED.incrementAndGet();
        }
      }
    }
    int unmatched = (int) calls.stream().filter(s -> !oracle.containsKey(s.attributes.get("gen_ai.conversation.id")))
        .count();
    if (unmatched > 0) {
      wrong.add(unmatched + " model spans of no conversation the model received");
    }
    RIGHT.addAndGet(right);
    WRONG.addAndGet(wrong.size());
    System.out.println("modeltruth " + replay + ": " + right + " right, " + wrong.size() + " wrong");
    assertThat(right).as("calls judged, " + replay).isPositive();
    assertThat(wrong).as("wrong answers, " + replay).isEmpty();
  }

  /** What one request the stub model received says: its turn and how many chat-memory messages it carried. */
  private static final class Request {
    final int turn;
    final int messages;

    Request(int turn, int messages) {
      this.turn = turn;
      this.messages = messages;
    }
  }

  /**
   * The requests by conversation, in turn order. Every message of a request (the user's questions and the model's
   * answers, which repeat them) carries the marker of one turn of the request's own conversation, up to its own
   * turn: the prompt is that conversation's memory and nothing else.
   */
  private static Map<String, List<Request>> oracle(List<JsonNode> requests) {
    Map<String, List<Request>> byConversation = new TreeMap<>();
    for (JsonNode request : requests) {
      JsonNode messages = request.path("messages");
      Matcher last = MARKER.matcher(messages.get(messages.size() - 1).path("content").asText());
      assertThat(last.find()).as("a marker in the last message of %s", request).isTrue();
      String conversation = last.group(1);
      int turn = Integer.parseInt(last.group(2));
      for (JsonNode message : messages) {
        Matcher m = MARKER.matcher(message.path("content").asText());
        assertThat(m.find() && m.group(1).equals(conversation) && Integer.parseInt(m.group(2)) <= turn)
            .as("every message of %s#%d from its own memory: %s", conversation, turn, request).isTrue();
      }
      byConversation.computeIfAbsent(conversation, c -> new ArrayList<>()).add(new Request(turn, messages.size()));
    }
    for (List<Request> turns : byConversation.values()) {
      turns.sort(Comparator.comparingInt(r -> r.turn));
    }
    return byConversation;
  }

  /** Null when memtrace's span of this call says what the model received, else what it says wrong. */
  private static String judge(ExportedSpans exported, Span call, String conversation, Request request) {
    long expected = request.messages;
    if (call.links.size() != 1) {
      return call.links.size() + " links, not one: " + call.links;
    }
    Link link = call.links.get(0);
    if (!"chat_memory".equals(link.attributes.get("memtrace.context.source"))) {
      return "a link that is no chat-memory read: " + link;
    }
    Span read = exported.target(link).orElse(null);
    if (read == null) {
      return "a link to no exported span: " + link;
    }
    if (!conversation.equals(read.attributes.get("memory.key"))) {
      return "linked to a read of " + read.attributes.get("memory.key");
    }
    Span last = ModelCalls.lastReadBefore(exported, CHAT_MEMORY, conversation, call.start).orElse(null);
    if (!read.equals(last)) {
      return "linked to " + read + ", not the last read before the call " + last;
    }
    Object records = read.attributes.get("gen_ai.memory.record.count");
    Object linked = link.attributes.get("memtrace.context.records");
    Object messages = call.attributes.get("memtrace.context.messages");
    if (!Long.valueOf(expected).equals(records) || !Long.valueOf(expected).equals(linked)
        || !Long.valueOf(expected).equals(messages)) {
      return "the model received " + expected + " messages; the read holds " + records + ", the link says "
          + linked + ", the span " + messages;
    }
    if (!Boolean.valueOf(expected > 0).equals(read.attributes.get("memory.found"))) {
      return "memory.found=" + read.attributes.get("memory.found") + " for a read of " + expected + " messages";
    }
    return null;
  }
}
