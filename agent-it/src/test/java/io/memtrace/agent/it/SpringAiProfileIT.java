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
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The built-in Spring AI profile: an application written only against Spring AI 1.1 (a windowed
 * chat memory over the in-memory repository, a simple vector store), run with the agent and no
 * memtrace YAML, shows each memory call as a span in the seed and the GenAI names.
 */
class SpringAiProfileIT {

  private static final String CHAT_MEMORY = "MessageWindowChatMemory";
  private static final String REPOSITORY = "InMemoryChatMemoryRepository";
  private static final String VECTOR_STORE = "SimpleVectorStore";
  // the program's texts, for the sizes memtrace must measure
  private static final String ADA_HELLO = "Hello, I am Ada.";
  private static final String ADA_REPLY = "Hi Ada! How can I help?";
  private static final String ADA_TEA = "Remember: tea, not coffee.";
  private static final String BONJOUR = "Bonjour, un café ?";
  private static final Map<String, String> DOCUMENTS = Map.of(
      "doc-1", "Redis keeps the session cache keys",
      "doc-2", "Ada prefers tea over coffee",
      "doc-3", "The cache evicts cold keys first",
      "doc-4", "Crème brûlée is a French dessert");

  private static String classPath;

  @BeforeAll
  static void compile() throws Exception {
    classPath = TestPrograms.compileForRelease("spring-ai", "17", TestPrograms.libraryClassPath("spring-ai-1.1.2"),
        "SpringAiMemoryProgram.java");
  }

  @Test
  void shouldTraceChatMemoryAndVectorStoreInBothNamesWithNoConfiguration() throws Exception {
    PlainAndTraced runs = PlainAndTraced.run(BuildPaths.IT_WORK.resolve("spring-ai"),
        run -> ForkedJvm.program(classPath, "SpringAiMemoryProgram"));
    ForkedJvm.Result with = runs.traced;

    runs.assertSameOutput("the program's output with the agent").contains("delete by filter: unsupported");
    assertThat(runs.traced.stderr).contains("memtrace.events.dropped=0").doesNotContain("WARN").doesNotContain("ERROR");

    ExportedSpans exported = runs.spans();
    assertThat(exported.spans).as("one span per library call, and only those").hasSize(27);
    ProfileSpans.assertMemorySpansInBothNames(exported.spans);

    // ChatMemory: add (the List overload, and the one-message default method through it), get, clear
    List<Span> adds = memory(exported, CHAT_MEMORY, "store");
    assertThat(adds).extracting(s -> s.attributes.get("memory.key")).containsExactly("conv-a", "conv-b", "conv-a");
    assertThat(adds).extracting(s -> s.attributes.get("memory.item_count")).containsExactly(2L, 1L, 1L);
    assertThat(adds).extracting(s -> s.attributes.get("gen_ai.memory.record.count")).containsExactly(2L, 1L, 1L);
    assertThat(adds).extracting(s -> s.attributes.get("memory.value_size"))
        .containsExactly(utf8(ADA_HELLO, ADA_REPLY), utf8(BONJOUR), utf8(ADA_TEA));
    List<Span> gets = memory(exported, CHAT_MEMORY, "retrieve");
    assertThat(gets).extracting(s -> s.attributes.get("memory.key"))
        .containsExactly("conv-a", "conv-b", "conv-unknown", "conv-b");
    assertThat(gets).extracting(s -> s.attributes.get("memory.found")).containsExactly(true, true, false, false);
    assertThat(gets.get(0).attributes).containsEntry("memory.item_count", 3L)
        .containsEntry("gen_ai.memory.record.count", 3L)
        .containsEntry("memory.value_size", utf8(ADA_HELLO, ADA_REPLY, ADA_TEA));
    assertThat(gets.get(2).events).containsExactly("memory.retrieve.started", "memory.retrieve.not_found");
    assertThat(gets.get(2).statusCode).as("an unknown conversation is not an error").isNotEqualTo(Span.STATUS_ERROR);
    assertThat(memory(exported, CHAT_MEMORY, "delete")).singleElement()
        .satisfies(s -> assertThat(s.attributes).containsEntry("memory.key", "conv-b"));

    // each ChatMemory call is the parent of the repository calls it makes
    for (Span add : adds) {
      assertThat(exported.childrenOf(add)).as("children of %s", add)
          .extracting(s -> s.attributes.get("memory.namespace") + " " + s.attributes.get("memory.operation")
              + " " + s.attributes.get("memory.key"))
          .containsExactly(REPOSITORY + " retrieve " + add.attributes.get("memory.key"),
              REPOSITORY + " store " + add.attributes.get("memory.key"));
    }
    for (Span get : gets) {
      assertThat(exported.childrenOf(get)).singleElement().satisfies(s -> assertThat(s.attributes)
          .containsEntry("memory.namespace", REPOSITORY).containsEntry("memory.operation", "retrieve")
          .containsEntry("memory.key", get.attributes.get("memory.key"))
          .containsEntry("memory.found", get.attributes.get("memory.found")));
    }
    Span clear = memory(exported, CHAT_MEMORY, "delete").get(0);
    assertThat(exported.childrenOf(clear)).singleElement().satisfies(s -> assertThat(s.attributes)
        .containsEntry("memory.namespace", REPOSITORY).containsEntry("memory.operation", "delete")
        .containsEntry("memory.key", "conv-b"));

    // ChatMemoryRepository: saveAll stores the whole window, findByConversationId, findConversationIds
    List<Span> saves = memory(exported, REPOSITORY, "store");
    assertThat(saves).extracting(s -> s.attributes.get("memory.item_count")).containsExactly(2L, 1L, 3L);
    assertThat(saves.get(2).attributes).containsEntry("memory.key", "conv-a")
        .containsEntry("memory.value_size", utf8(ADA_HELLO, ADA_REPLY, ADA_TEA));
    assertThat(memory(exported, REPOSITORY, "retrieve")).as("three inside add, four inside get, one direct").hasSize(8);
    Span ids = memory(exported, REPOSITORY, "search").get(0);
    assertThat(ids.attributes).containsEntry("memory.result_count", 2L).containsEntry("gen_ai.memory.record.count", 2L)
        .doesNotContainKey("memory.key");
    assertThat(ids.parentSpanId).isEmpty();
    Span direct = memory(exported, REPOSITORY, "retrieve").get(7);
    assertThat(direct.parentSpanId).as("a direct repository call is a root").isEmpty();
    assertThat(direct.attributes).containsEntry("memory.key", "conv-a").containsEntry("memory.item_count", 3L)
        .containsEntry("memory.found", true);

    // VectorStore: add, similaritySearch (and its String overload through it), delete by ids and by filter
    Span add = memory(exported, VECTOR_STORE, "store").get(0);
    assertThat(add.attributes).containsEntry("memory.item_count", 4L).containsEntry("gen_ai.memory.record.count", 4L)
        .containsEntry("memory.value_size", utf8(DOCUMENTS.values().toArray(new String[0])));
    List<Span> searches = memory(exported, VECTOR_STORE, "search");
    assertThat(searches).as("similaritySearch(String) delegating to similaritySearch(SearchRequest) is one span").hasSize(3);
    List<String> firstHits = hits(with.stdout, "search cache keys top 2");
    assertThat(searches.get(0).attributes).doesNotContainKey("memory.item_count") // the hits are its result count
        .containsEntry("memory.search.top_k", 2L)
        .containsEntry("memory.search.similarity_threshold", 0.25)
        .containsEntry("memory.result_count", (long) firstHits.size())
        .containsEntry("gen_ai.memory.record.count", (long) firstHits.size())
        .containsEntry("memory.value_size", utf8(firstHits.stream().map(DOCUMENTS::get).toArray(String[]::new)));
    assertThat(searches.get(1).attributes).containsEntry("memory.search.top_k", 4L)
        .containsEntry("memory.search.similarity_threshold", 0.0).containsEntry("memory.result_count", 4L);
    assertThat(searches.get(2).attributes).containsEntry("memory.search.top_k", 3L)
        .containsEntry("memory.result_count", (long) hits(with.stdout, "search tea after delete").size());
    List<Span> deletes = memory(exported, VECTOR_STORE, "delete");
    assertThat(deletes).as("delete(String) delegating to delete(Filter.Expression) is one span").hasSize(2);
    assertThat(deletes.get(0).attributes).containsEntry("memory.item_count", 2L);
    assertThat(deletes.get(1).statusCode).isEqualTo(Span.STATUS_ERROR);
    assertThat(deletes.get(1).attributes).containsEntry("error.type", "java.lang.UnsupportedOperationException");
    assertThat(memory(exported, VECTOR_STORE, null)).allSatisfy(s -> assertThat(s.parentSpanId).isEmpty());
  }

  /**
   * The profile off by its system property: of the application's memory calls only the one a user's
   * rule names has a span. (That rule also makes the agent hold the class back until it is
   * instrumented, so an empty result could not come from a program that ended before the agent.)
   */
  @Test
  void shouldLeaveOnlyTheUsersRuleWhenTheProfileIsSwitchedOff() throws Exception {
    Path dir = BuildPaths.IT_WORK.resolve("spring-ai-off");
    Path spansFile = ExportedSpans.freshFile(dir);
    Path config = MemtraceYaml.write(dir,
        "memory-managers:",
        "  - type: org.springframework.ai.chat.memory.ChatMemoryRepository",
        "    methods:",
        "      - { name: deleteByConversationId, operation: delete, key: arg0 }",
        "");
    ForkedJvm.Result with = ForkedJvm.program(classPath, "SpringAiMemoryProgram")
        .withAgent("config=" + config).everySpan()
        .jvmArg("-Dmemtrace.profiles.spring-ai=false")
        .tracesTo(spansFile)
        .run(dir);

    assertThat(with.exitCode).as("%s", with).isZero();
    assertThat(with.stderr).doesNotContain("profile spring-ai").doesNotContain("ERROR");
    assertThat(ExportedSpans.read(spansFile).spans).singleElement().satisfies(s -> {
      assertThat(s.name).isEqualTo("memory.delete");
      assertThat(s.attributes).containsEntry("memory.key", "conv-b").doesNotContainKey("memory.namespace");
    });
  }

  @Test
  void shouldNameSpansByTheGenAiOperationWithGenAiConventionsOnly() throws Exception {
    Path dir = BuildPaths.IT_WORK.resolve("spring-ai-genai");
    Path spansFile = ExportedSpans.freshFile(dir);
    Path config = MemtraceYaml.write(dir, "conventions: genai\n");
    ForkedJvm.Result with = ForkedJvm.program(classPath, "SpringAiMemoryProgram")
        .withAgent("config=" + config).everySpan()
        .tracesTo(spansFile)
        .run(dir.resolve("traced"));

    assertThat(with.exitCode).as("%s", with).isZero();
    assertThat(with.stderr).doesNotContain("ERROR");
    ExportedSpans exported = ExportedSpans.read(spansFile);
    assertThat(exported.spans).hasSize(27);
    assertThat(exported.spans).allSatisfy(s -> {
      assertThat(s.kind).isEqualTo(Span.KIND_CLIENT);
      assertThat(s.name).isIn("upsert_memory", "search_memory", "delete_memory")
          .isEqualTo(s.attributes.get("gen_ai.operation.name"));
      assertThat(s.attributes).containsKey("gen_ai.memory.store.id")
          .doesNotContainKeys("memory.operation", "memory.key", "memory.namespace", "memory.item_count",
              "memory.result_count");
      assertThat(s.events).noneMatch(e -> e.startsWith("memory."));
    });
    assertThat(exported.where(s -> s.name.equals("upsert_memory"))).hasSize(7);
    assertThat(exported.where(s -> s.name.equals("search_memory"))).hasSize(16);
    assertThat(exported.where(s -> s.name.equals("delete_memory"))).hasSize(4);

    Span unknown = exported.where(s -> "conv-unknown".equals(s.attributes.get("gen_ai.memory.record.id"))
        && CHAT_MEMORY.equals(s.attributes.get("gen_ai.memory.store.id"))).get(0);
    assertThat(unknown.attributes).containsEntry("memory.found", false).containsEntry("gen_ai.memory.record.count", 0L)
        .doesNotContainKey("memory.value_size"); // a miss read nothing, as a Redis GET miss
    Span search = exported.where(s -> VECTOR_STORE.equals(s.attributes.get("gen_ai.memory.store.id"))
        && s.name.equals("search_memory")).get(0);
    assertThat(search.attributes).containsEntry("memory.search.top_k", 2L)
        .containsEntry("memory.search.similarity_threshold", 0.25)
        .doesNotContainKey("gen_ai.memory.query.text"); // opt-in only, with capture.values
    Span save = exported.where(s -> REPOSITORY.equals(s.attributes.get("gen_ai.memory.store.id"))
        && s.name.equals("upsert_memory")).get(2);
    assertThat(save.attributes).containsEntry("gen_ai.memory.record.id", "conv-a")
        .containsEntry("gen_ai.memory.record.count", 3L)
        .containsEntry("memory.value_size", utf8(ADA_HELLO, ADA_REPLY, ADA_TEA));
  }

  /** The ids the program printed after {@code label}, as in {@code label [doc-3, doc-1]}. */
  private static List<String> hits(String stdout, String label) {
    String line = stdout.lines().filter(l -> l.startsWith(label + " [")).findFirst().orElseThrow();
    String list = line.substring(label.length() + 2, line.length() - 1);
    return list.isEmpty() ? List.of() : Arrays.asList(list.split(", "));
  }
}
