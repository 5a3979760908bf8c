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
 * received, with {@code memory.found} false exactly when that count is 0; wrong otherwise.
 *
 * <p>{@code -Dspringtruth.seed=S} replays one seed (on both JVMs), {@code -Dspringtruth.seeds=a,b,c} runs others,
 * {@code -Dspringtruth.conversations=N} sets how many conversations a seed generates (7).
 */
class SpringAiModelTruthIT extends TestRedisPerClass {

  private static final Path APP = Paths.get(System.getProperty("spring.ai.app.jar", "target/memtrace-spring-ai-app.jar"))
      .toAbsolutePath();
  private static final Path TEMURIN_25 = Paths.get("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");
  private static final String CHAT_MEMORY = "MessageWindowChatMemory";
  private static final Pattern MARKER = Pattern.compile("<<([a-z]+:c[0-9]+)#([0-9]+)>>");
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
        Request request = requests.get(i);
        String why = judge(exported, spans.get(i), id, request);
        if (why == null) {
          right++;
        } else {
          wrong.add(id + "#" + request.turn + ": " + why);
        }
        EMPTY.addAndGet(request.messages == 0 ? 1 : 0);
        EVICTED.addAndGet(request.messages < 2 * (request.turn - 1) ? 1 : 0);
      }
    }
    long unmatched = calls.stream().filter(s -> !oracle.containsKey(s.attributes.get("gen_ai.conversation.id")))
        .count();
    if (unmatched > 0) {
      wrong.add(unmatched + " model spans of no conversation the model received");
    }
    RIGHT.addAndGet(right);
    WRONG.addAndGet(wrong.size());
    System.out.println("springtruth " + replay + ": " + right + " right, " + wrong.size() + " wrong");
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
   * The requests by conversation, in turn order. The last message is the turn's question; every message before it
   * (earlier questions, and the answers that repeat them) carries the marker of an earlier turn of the same
   * conversation: the memory of that conversation and nothing else. Their number is what the memory gave.
   */
  private static Map<String, List<Request>> oracle(List<JsonNode> requests) {
    Map<String, List<Request>> byConversation = new TreeMap<>();
    for (JsonNode request : requests) {
      JsonNode messages = request.path("messages");
      Matcher last = MARKER.matcher(messages.get(messages.size() - 1).path("content").asText());
      assertThat(last.find()).as("a marker in the last message of %s", request).isTrue();
      String conversation = last.group(1);
      int turn = Integer.parseInt(last.group(2));
      int memory = 0;
      for (int i = 0; i < messages.size() - 1; i++) {
        Matcher m = MARKER.matcher(messages.get(i).path("content").asText());
        assertThat(m.find() && m.group(1).equals(conversation) && Integer.parseInt(m.group(2)) < turn)
            .as("every message before %s#%d from its own memory: %s", conversation, turn, request).isTrue();
        memory++;
      }
      byConversation.computeIfAbsent(conversation, c -> new ArrayList<>()).add(new Request(turn, memory));
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
      return "the model received " + expected + " memory messages; the read holds " + records + ", the link says "
          + linked + ", the span " + messages;
    }
    if (!Boolean.valueOf(expected > 0).equals(read.attributes.get("memory.found"))) {
      return "memory.found=" + read.attributes.get("memory.found") + " for a read of " + expected + " messages";
    }
    return null;
  }
}
