package io.memtrace.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built-in profiles: read like a user's rules, on by default, switchable, and outranked by a user's rule. */
class ProfilesTest {

  @TempDir
  Path dir;

  private static List<MethodRule> fromProfile(MemtraceConfig config, String profile) {
    List<ConfigProblem> problems = new ArrayList<>();
    List<MethodRule> rules = Profiles.enabled(config).stream().filter(p -> p.name().equals(profile))
        .flatMap(p -> p.rules(config, problems).stream()).collect(Collectors.toList());
    assertThat(problems).isEmpty();
    assertThat(rules).allSatisfy(rule -> assertThat(rule.profile()).isEqualTo(profile));
    return rules;
  }

  private static List<String> types(List<MethodRule> rules) {
    return rules.stream().map(MethodRule::typePattern).distinct().collect(Collectors.toList());
  }

  @Test
  void shouldShipEveryProfileWithoutAProblem() {
    for (Profiles.Profile profile : Profiles.ALL) {
      List<ConfigProblem> problems = new ArrayList<>();
      List<MethodRule> rules = Profiles.read(profile, "memory", problems);

      assertThat(problems).as(profile.name).isEmpty();
      assertThat(rules).as(profile.name).isNotEmpty()
          .allSatisfy(rule -> assertThat(rule.typePattern()).doesNotContain("*").startsWith(profile.packagePrefix()))
          .allSatisfy(rule -> assertThat(rule.genAiOperation()).isIn(rule.kind() == MethodRule.Kind.MEMORY
              ? GenAiOperations.VALUES : java.util.Collections.singleton(null)))
          .allSatisfy(rule -> assertThat(rule.argumentTypes()).isNotNull());
    }
  }

  @Test
  void shouldTraceTheIssuesTypesAndMethodsOfBothLibraries() {
    MemtraceConfig config = MemtraceConfig.defaults();

    assertThat(types(fromProfile(config, "spring-ai"))).containsExactly(
        "org.springframework.ai.chat.memory.ChatMemoryRepository", "org.springframework.ai.chat.memory.ChatMemory",
        "org.springframework.ai.vectorstore.VectorStore",
        "org.springframework.ai.chat.client.advisor.MessageChatMemoryAdvisor",
        "org.springframework.ai.chat.client.advisor.PromptChatMemoryAdvisor",
        "org.springframework.ai.chat.client.advisor.vectorstore.QuestionAnswerAdvisor",
        "org.springframework.ai.rag.advisor.RetrievalAugmentationAdvisor", "org.springframework.ai.chat.model.ChatModel");
    assertThat(types(fromProfile(config, "langchain4j"))).containsExactly(
        "dev.langchain4j.store.memory.chat.ChatMemoryStore", "dev.langchain4j.memory.ChatMemory",
        "dev.langchain4j.store.embedding.EmbeddingStore", "dev.langchain4j.rag.RetrievalAugmentor",
        "dev.langchain4j.model.chat.ChatModel", "dev.langchain4j.model.chat.StreamingChatModel",
        "dev.langchain4j.model.chat.response.StreamingChatResponseHandler");
    assertThat(fromProfile(config, "spring-ai").stream().map(r -> r.methodPatterns().get(0)).distinct())
        .containsExactly("findConversationIds", "findByConversationId", "saveAll", "deleteByConversationId",
            "add", "get", "clear", "delete", "similaritySearch", "before", "call", "stream");
    assertThat(fromProfile(config, "langchain4j").stream().map(r -> r.methodPatterns().get(0)).distinct())
        .containsExactly("getMessages", "updateMessages", "deleteMessages", "add", "messages", "clear",
            "addAll", "search", "remove", "removeAll", "augment", "doChat", "onCompleteResponse", "onError", "onPartialResponse");
  }

  @Test
  void shouldLeaveAProfileOutWhenItIsSwitchedOff() {
    Properties props = new Properties();
    props.setProperty("memtrace.profiles.spring-ai", "false");
    MemtraceConfig config = ConfigLoader.load(null, Map.of(), props).config();

    assertThat(fromProfile(config, "spring-ai")).isEmpty();
    assertThat(fromProfile(config, "langchain4j")).isNotEmpty();
  }

  @Test
  void shouldLetTheFileSwitchBothProfilesOff() throws Exception {
    RuleConfig file = RuleConfig.load(dir, "profiles:", "  spring-ai: false", "  langchain4j: false");

    assertThat(file.problems()).isEmpty();
    assertThat(Profiles.enabled(file.result.config())).isEmpty();
  }

  @Test
  void shouldPutTheUsersRulesFirstAndDropTheProfilesRulesForATypeTheUserNames() throws Exception {
    RuleConfig file = RuleConfig.load(dir,
        "memory-managers:",
        "  - type: org.springframework.ai.chat.memory.ChatMemory",
        "    methods:",
        "      - { name: get, operation: load, key: arg0 }");
    assertThat(file.rules()).singleElement().satisfies(rule -> assertThat(rule.profile()).isNull());
    assertThat(types(fromProfile(file.result.config(), "spring-ai")))
        .doesNotContain("org.springframework.ai.chat.memory.ChatMemory")
        .contains("org.springframework.ai.chat.memory.ChatMemoryRepository");
  }

  @Test
  void shouldRejectAnUnknownGenAiOperationAndABadValueSize() throws Exception {
    RuleConfig file = RuleConfig.load(dir,
        "memory-managers:",
        "  - type: com.example.Notes",
        "    methods:",
        "      - { name: get, operation: retrieve, gen-ai-operation: fetch_memory }",
        "      - { name: put, operation: store, value: arg1, value-size: xml }");

    assertThat(file.problems()).extracting(ConfigProblem::toString).anySatisfy(p -> assertThat(p)
        .contains("gen-ai-operation").contains("fetch_memory").contains("search_memory"));
    assertThat(file.problems()).extracting(ConfigProblem::toString).anySatisfy(p -> assertThat(p)
        .contains("value-size").contains("must be auto, json or text"));
    assertThat(file.rules()).isEmpty();
  }

  @Test
  void shouldMapOperationsToTheGenAiMemoryOperations() {
    assertThat(GenAiOperations.of("store")).isEqualTo("upsert_memory");
    assertThat(GenAiOperations.of("saveAll")).isEqualTo("upsert_memory");
    assertThat(GenAiOperations.of("retrieve")).isEqualTo("search_memory");
    assertThat(GenAiOperations.of("search")).isEqualTo("search_memory");
    assertThat(GenAiOperations.of("delete")).isEqualTo("delete_memory");
    assertThat(GenAiOperations.of("clear")).isEqualTo("delete_memory");
    assertThat(GenAiOperations.of("create")).isEqualTo("create_memory");
    assertThat(GenAiOperations.of("update")).isEqualTo("update_memory");
    assertThat(GenAiOperations.of("compact")).isNull();
    assertThat(GenAiOperations.of(null)).isNull();
  }
}
