package io.memtrace.agent.it;

import static io.memtrace.agent.it.ProfileSpans.memory;
import static io.memtrace.agent.it.ProfileSpans.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.ExportedSpans;
import io.memtrace.testsupport.ExportedSpans.Span;
import io.memtrace.testsupport.ForkedJvm;
import io.memtrace.testsupport.MemtraceYaml;
import io.memtrace.testsupport.PlainAndTraced;
import io.memtrace.testsupport.TestPrograms;
import io.memtrace.testsupport.TestRedisPerClass;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The built-in LangChain4j profile: an application written only against LangChain4j 1.9 (windowed
 * chat memories over the in-memory store and the community Redis store on Jedis, an in-memory
 * embedding store), run with the agent and no memtrace YAML, shows each memory call as a span with
 * the Redis commands it sends underneath.
 */
class LangChain4jProfileIT extends TestRedisPerClass {

  private static final String CHAT_MEMORY = "MessageWindowChatMemory";
  private static final String IN_MEMORY = "InMemoryChatMemoryStore";
  private static final String REDIS_STORE = "RedisChatMemoryStore";
  private static final String EMBEDDINGS = "InMemoryEmbeddingStore";
  private static final String ALICE_HELLO = "Hello, I am Alice.";
  private static final String ALICE_REPLY = "Hi Alice, café or tea?";
  private static final String BOB_HELLO = "Bob here: my locker is 42.";
  private static final String BOB_REPLY = "Noted, Bob: locker 42 ✓";

  private static String classPath;

  @BeforeAll
  static void start() throws Exception {
    classPath = TestPrograms.compileForRelease("langchain4j", "17", TestPrograms.libraryClassPath("langchain4j-1.9.0"),
        "LangChain4jMemoryProgram.java");
  }

  private static ForkedJvm program() {
    return ForkedJvm.program(classPath, "LangChain4jMemoryProgram", redis.host, String.valueOf(redis.port));
  }

  @Test
  void shouldTraceChatMemoriesAndEmbeddingStoreWithTheirRedisCommandsUnderneath() throws Exception {
    PlainAndTraced runs = PlainAndTraced.run(BuildPaths.IT_WORK.resolve("langchain4j"), run -> program());

    runs.assertSameOutput("the program's output with the agent")
        .contains("bob 2 [USER:" + BOB_HELLO + ", AI:" + BOB_REPLY + "]");
    assertThat(runs.traced.stderr).contains("memtrace.events.dropped=0").doesNotContain("WARN").doesNotContain("ERROR");

    ExportedSpans exported = runs.spans();
    List<Span> memorySpans = exported.where(s -> s.attributes.containsKey("memory.operation"));
    ProfileSpans.assertMemorySpansInBothNames(memorySpans);

    // ChatMemory over the in-memory store: add(ChatMessage) reads the window (messages()) and writes it back
    List<Span> aliceAdds = chat(exported, "store", "alice");
    assertThat(aliceAdds).hasSize(2);
    assertThat(aliceAdds).extracting(s -> s.attributes.get("memory.item_count")).containsExactly(1L, 1L);
    assertThat(aliceAdds).extracting(s -> s.attributes.get("memory.value_size"))
        .containsExactly(utf8(ALICE_HELLO), utf8(ALICE_REPLY));
    for (Span add : aliceAdds) {
      assertThat(exported.childrenOf(add)).extracting(LangChain4jProfileIT::describe)
          .containsExactly(CHAT_MEMORY + " retrieve alice", IN_MEMORY + " store alice");
      assertThat(exported.childrenOf(exported.childrenOf(add).get(0))).extracting(LangChain4jProfileIT::describe)
          .containsExactly(IN_MEMORY + " retrieve alice");
    }
    Span aliceWindow = memory(exported, IN_MEMORY, "store").get(1);
    assertThat(aliceWindow.attributes).containsEntry("memory.key", "alice").containsEntry("memory.item_count", 2L)
        .containsEntry("memory.value_size", utf8(ALICE_HELLO, ALICE_REPLY));
    Span stranger = chat(exported, "retrieve", "stranger").get(0);
    assertThat(stranger.attributes).containsEntry("memory.found", false);
    assertThat(exported.childrenOf(stranger)).singleElement()
        .satisfies(s -> assertThat(s.attributes).containsEntry("memory.namespace", IN_MEMORY)
            .containsEntry("memory.found", false));
    Span clear = chat(exported, "delete", "alice").get(0);
    assertThat(exported.childrenOf(clear)).extracting(LangChain4jProfileIT::describe)
        .containsExactly(IN_MEMORY + " delete alice");

    // ChatMemory over the Redis store: every store call has its one Redis command as its child
    List<Span> bobAdds = chat(exported, "store", "session-bob");
    assertThat(bobAdds).hasSize(2);
    List<Span> redisReads = memory(exported, REDIS_STORE, "retrieve");
    assertThat(redisReads).extracting(s -> s.attributes.get("memory.key"))
        .containsExactly("session-bob", "session-bob", "session-bob", "session-unknown", "session-bob");
    assertThat(redisReads).extracting(s -> s.attributes.get("memory.found"))
        .containsExactly(false, true, true, false, false);
    for (Span read : redisReads) {
      assertThat(exported.childrenOf(read)).as("Redis commands of %s", read).singleElement().satisfies(cmd -> {
        assertThat(cmd.name).isEqualTo("GET");
        assertThat(cmd.kind).isEqualTo(Span.KIND_CLIENT);
        assertThat(cmd.attributes).containsEntry("db.system.name", "redis")
            .containsEntry("memory.key", read.attributes.get("memory.key"))
            .containsEntry("memory.found", read.attributes.get("memory.found"));
      });
    }
    List<Span> redisWrites = memory(exported, REDIS_STORE, "store");
    assertThat(redisWrites).extracting(s -> s.attributes.get("memory.item_count")).containsExactly(1L, 2L);
    assertThat(redisWrites.get(1).attributes).containsEntry("memory.value_size", utf8(BOB_HELLO, BOB_REPLY));
    for (int i = 0; i < 2; i++) {
      Span write = redisWrites.get(i);
      assertThat(write.parentSpanId).as("inside ChatMemory.add").isEqualTo(bobAdds.get(i).spanId);
      assertThat(exported.childrenOf(write)).singleElement().satisfies(cmd -> {
        assertThat(cmd.name).isEqualTo("SET");
        assertThat(cmd.attributes).containsEntry("memory.key", "session-bob").containsEntry("db.system.name", "redis");
      });
    }
    Span redisDelete = memory(exported, REDIS_STORE, "delete").get(0);
    assertThat(redisDelete.parentSpanId).isEqualTo(chat(exported, "delete", "session-bob").get(0).spanId);
    assertThat(exported.childrenOf(redisDelete)).singleElement()
        .satisfies(cmd -> assertThat(cmd.attributes).containsEntry("db.operation.name", "DEL")
            .containsEntry("memory.key", "session-bob"));
    assertThat(exported.where(s -> "redis".equals(s.attributes.get("db.system.name"))))
        .as("no Redis command outside a memory span").allSatisfy(s -> assertThat(s.parentSpanId).isNotEmpty())
        .hasSize(8);

    // EmbeddingStore: the overloads that delegate to one another (add, addAll, remove -> removeAll) are one span each
    List<Span> adds = memory(exported, EMBEDDINGS, "store");
    assertThat(adds).extracting(s -> s.attributes.get("memory.item_count")).containsExactly(1L, 1L, 2L);
    assertThat(adds.get(0).attributes).containsEntry("memory.key", "seg-1");
    assertThat(adds.get(1).attributes).containsEntry("memory.value_size", utf8("Alice prefers tea over coffee"));
    assertThat(adds.get(2).attributes).containsEntry("gen_ai.memory.record.count", 2L)
        .containsEntry("memory.value_size", utf8("The cache evicts cold keys first", "Crème brûlée is a French dessert"));
    List<Span> searches = memory(exported, EMBEDDINGS, "search");
    assertThat(searches).extracting(s -> s.attributes.get("memory.result_count")).containsExactly(2L, 2L, 0L);
    assertThat(searches).extracting(s -> s.attributes.get("gen_ai.memory.record.count")).containsExactly(2L, 2L, 0L);
    assertThat(searches).extracting(s -> s.attributes.get("memory.search.top_k")).containsExactly(2L, 3L, 3L);
    assertThat(searches).extracting(s -> s.attributes.get("memory.search.similarity_threshold")).containsExactly(0.5, 0.0, 0.0);
    List<Span> removes = memory(exported, EMBEDDINGS, "delete");
    assertThat(removes).as("remove(id) delegating to removeAll(ids) is one span").hasSize(3);
    assertThat(removes.get(0).attributes).containsEntry("memory.key", "seg-1").containsEntry("memory.item_count", 1L);
    assertThat(removes.get(1).attributes).containsEntry("memory.item_count", 1L);
    assertThat(memory(exported, EMBEDDINGS, null)).allSatisfy(s -> assertThat(s.parentSpanId).isEmpty());
  }

  @Test
  void shouldKeepSeedNamesOnlyWithSeedConventions() throws Exception {
    ExportedSpans exported = tracedWith("langchain4j-seed", "conventions: seed\n");
    List<Span> memorySpans = exported.where(s -> s.attributes.containsKey("memory.operation"));
    assertThat(memorySpans).hasSizeGreaterThan(30).allSatisfy(s -> {
      assertThat(s.kind).as("kind of %s", s).isEqualTo(Span.KIND_INTERNAL);
      assertThat(s.name).startsWith("memory.");
    });
    assertThat(exported.spans).allSatisfy(s -> assertThat(s.attributes.keySet()).noneMatch(k -> k.startsWith("gen_ai.")));
    List<Span> commands = exported.where(s -> "redis".equals(s.attributes.get("db.system.name")));
    assertThat(commands).as("Redis spans follow the database conventions whatever the memory names").hasSize(8)
        .allSatisfy(s -> assertThat(s.kind).isEqualTo(Span.KIND_CLIENT));
    Span set = commands.stream().filter(s -> s.name.equals("SET")).findFirst().orElseThrow();
    Span parent = exported.where(s -> s.spanId.equals(set.parentSpanId)).get(0);
    assertThat(parent.attributes).containsEntry("memory.namespace", REDIS_STORE)
        .containsEntry("memory.operation", "store").containsEntry("memory.key", "session-bob");
  }

  @Test
  void shouldLeaveOnlyRedisSpansWhenTheProfileIsSwitchedOff() throws Exception {
    ExportedSpans exported = tracedWith("langchain4j-off", "profiles: {langchain4j: false}\n");
    assertThat(exported.spans).as("GET x5, SET x2, DEL, each a root of its own").hasSize(8).allSatisfy(s -> {
      assertThat(s.attributes).containsEntry("db.system.name", "redis").doesNotContainKey("memory.operation");
      assertThat(s.parentSpanId).isEmpty();
    });
  }

  /** Runs the program under the agent with {@code yaml} as its configuration; the spans it exported. */
  private static ExportedSpans tracedWith(String name, String yaml) throws Exception {
    Path dir = BuildPaths.IT_WORK.resolve(name);
    Path spansFile = ExportedSpans.freshFile(dir);
    Path config = MemtraceYaml.write(dir, yaml);
    ForkedJvm.Result with = program().withAgent("config=" + config).everySpan().tracesTo(spansFile)
        .run(dir.resolve("traced"));
    assertThat(with.exitCode).as("%s", with).isZero();
    assertThat(with.stderr).doesNotContain("ERROR");
    return ExportedSpans.read(spansFile);
  }

  /** The memory spans of the chat memory with {@code id}, for one seed operation, in start order. */
  private static List<Span> chat(ExportedSpans exported, String operation, String id) {
    return memory(exported, CHAT_MEMORY, operation).stream()
        .filter(s -> id.equals(s.attributes.get("memory.key"))).collect(java.util.stream.Collectors.toList());
  }

  private static String describe(Span s) {
    return s.attributes.get("memory.namespace") + " " + s.attributes.get("memory.operation") + " "
        + s.attributes.get("memory.key");
  }
}
