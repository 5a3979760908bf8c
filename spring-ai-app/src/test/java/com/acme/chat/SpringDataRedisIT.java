package com.acme.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.ExportedSpans;
import io.memtrace.testsupport.ExportedSpans.Span;
import io.memtrace.testsupport.ForkedJvm;
import io.memtrace.testsupport.TestRedisPerClass;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Spring Boot fat jar of this module ({@code java -jar}) under the agent with no memtrace YAML:
 * its StringRedisTemplate calls are Redis spans through the client Spring Data Redis runs on (Lettuce
 * by default, Jedis when asked), and its chat memory, a Spring AI ChatMemoryRepository the app
 * writes on StringRedisTemplate, gets memory spans from the built-in profile with those commands
 * as their children.
 */
class SpringDataRedisIT extends TestRedisPerClass {

  private static final Path APP = Paths.get(System.getProperty("spring.ai.app.jar", "target/memtrace-spring-ai-app.jar"))
      .toAbsolutePath();
  private static final String CHAT_MEMORY = "MessageWindowChatMemory";
  private static final String REPOSITORY = "RedisChatMemoryRepository";
  private static final List<String> COMMANDS = List.of("SET", "GET", "HSET", "HGET", "DEL", "LRANGE", "RPUSH",
      "SADD", "SMEMBERS", "SREM");

  private static ForkedJvm.Result plain;

  @BeforeAll
  static void start() throws Exception {
    plain = app("lettuce").run(BuildPaths.IT_WORK.resolve("plain"));
    assertThat(plain.exitCode).as("%s", plain).isZero();
  }

  private static ForkedJvm app(String client) {
    return ForkedJvm.jar(APP, "--spring.data.redis.host=" + redis.host, "--spring.data.redis.port=" + redis.port,
        "--spring.data.redis.client-type=" + client);
  }

  @ParameterizedTest(name = "Spring Data Redis on {0}")
  @ValueSource(strings = {"lettuce", "jedis"})
  void shouldShowChatMemoryWithItsRedisCommandsUnderneath(String client) throws Exception {
    Path dir = BuildPaths.IT_WORK.resolve(client);
    Files.createDirectories(dir);
    Path spansFile = dir.resolve("spans.jsonl");
    Files.deleteIfExists(spansFile);
    ForkedJvm.Result with = app(client).withAgent().everySpan().tracesTo(spansFile).run(dir);

    assertThat(with.exitCode).as("%s", with).isZero();
    assertThat(with.stdout).as("the session's transcript with the agent").isEqualTo(plain.stdout)
        .contains("c-1 [USER:Hello, I am Ada., ASSISTANT:Welcome back, Ada! Tea as usual?]");
    assertThat(with.stderr).contains("memtrace.events.dropped=0").doesNotContain("[memtrace] WARN")
        .doesNotContain("[memtrace] ERROR");

    ExportedSpans exported = ExportedSpans.read(spansFile);
    List<Span> commands = exported.where(s -> "redis".equals(s.attributes.get("db.system.name")));
    assertThat(commands).as("Redis spans, each from memtrace's %s instrumentation", client).hasSize(20)
        .allSatisfy(s -> {
          assertThat(s.scope).contains(client);
          assertThat(s.kind).isEqualTo(Span.KIND_CLIENT);
          assertThat(s.attributes.get("db.operation.name")).isIn(COMMANDS.toArray());
        });

    // the profile cache: StringRedisTemplate outside any memory call, so roots
    Span set = command(exported, "SET", "profile:ada:name").get(0);
    assertThat(set.attributes).containsEntry("memory.ttl", 300L).containsEntry("memory.value_size", 12L);
    assertThat(command(exported, "GET", "profile:ada:name")).singleElement()
        .satisfies(s -> assertThat(s.attributes).containsEntry("memory.found", true).containsEntry("memory.value_size", 12L));
    assertThat(command(exported, "GET", "profile:bob:name")).singleElement()
        .satisfies(s -> assertThat(s.attributes).containsEntry("memory.found", false));
    assertThat(command(exported, "HGET", "profile:ada:prefs")).singleElement()
        .satisfies(s -> assertThat(s.attributes).containsEntry("memory.found", true));
    assertThat(exported.where(s -> String.valueOf(s.attributes.get("memory.key")).startsWith("profile:")))
        .hasSize(6).allSatisfy(s -> assertThat(s.parentSpanId).isEmpty());

    // the chat memory: ChatMemory.add -> the repository's find and saveAll -> their commands
    List<Span> memorySpans = exported.where(s -> s.attributes.containsKey("memory.operation"));
    assertThat(memorySpans).as("one span per call: none from the CGLIB subclass Spring proxies a @Repository with")
        .noneMatch(s -> String.valueOf(s.attributes.get("memory.namespace")).contains("$$"));
    assertThat(memorySpans).hasSize(15).allSatisfy(s -> {
      assertThat(s.scope).isEqualTo("io.memtrace.memory");
      assertThat(s.kind).as("seed 000's kind under the default conventions").isEqualTo(Span.KIND_INTERNAL);
      assertThat(s.attributes).containsKey("gen_ai.operation.name");
    });
    List<Span> adds = memory(exported, CHAT_MEMORY, "store");
    assertThat(adds).hasSize(2).allSatisfy(add -> {
      assertThat(add.attributes).containsEntry("memory.key", "c-1").containsEntry("gen_ai.memory.record.id", "c-1");
      List<Span> calls = exported.childrenOf(add);
      assertThat(calls).extracting(s -> s.attributes.get("memory.namespace") + " " + s.attributes.get("memory.operation"))
          .containsExactly(REPOSITORY + " retrieve", REPOSITORY + " store");
      assertThat(names(exported.childrenOf(calls.get(0)))).containsExactly("LRANGE");
      assertThat(names(exported.childrenOf(calls.get(1)))).containsExactly("DEL", "RPUSH", "SADD");
      assertThat(exported.childrenOf(calls.get(1)).get(1).attributes).containsEntry("memory.key", "chat:c-1:messages")
          .containsEntry("memory.namespace", "chat:c-1");
    });
    Span window = exported.childrenOf(adds.get(1)).get(1);
    assertThat(window.attributes).containsEntry("memory.item_count", 2L)
        .containsEntry("memory.value_size", (long) utf8("Hello, I am Ada.Welcome back, Ada! Tea as usual?"));

    List<Span> gets = memory(exported, CHAT_MEMORY, "retrieve");
    assertThat(gets).extracting(s -> s.attributes.get("memory.key")).containsExactly("c-1", "c-2", "c-1");
    assertThat(gets).extracting(s -> s.attributes.get("memory.found")).containsExactly(true, false, false);
    for (Span get : gets) {
      Span find = exported.childrenOf(get).get(0);
      assertThat(find.attributes).containsEntry("memory.namespace", REPOSITORY)
          .containsEntry("memory.found", get.attributes.get("memory.found"));
      assertThat(exported.childrenOf(find)).singleElement().satisfies(s -> assertThat(s.attributes)
          .containsEntry("db.operation.name", "LRANGE")
          .containsEntry("memory.key", "chat:" + get.attributes.get("memory.key") + ":messages"));
    }
    Span ids = memory(exported, REPOSITORY, "search").get(0);
    assertThat(ids.attributes).containsEntry("memory.result_count", 1L);
    assertThat(names(exported.childrenOf(ids))).containsExactly("SMEMBERS");
    Span clear = memory(exported, CHAT_MEMORY, "delete").get(0);
    assertThat(names(exported.childrenOf(exported.childrenOf(clear).get(0)))).containsExactly("DEL", "SREM");
    assertThat(commands.stream().filter(s -> String.valueOf(s.attributes.get("memory.key")).startsWith("chat:")))
        .as("every chat command inside a memory span").hasSize(14).allSatisfy(s -> assertThat(s.parentSpanId).isNotEmpty());
  }

  private static List<Span> memory(ExportedSpans exported, String namespace, String operation) {
    return exported.where(s -> namespace.equals(s.attributes.get("memory.namespace"))
            && operation.equals(s.attributes.get("memory.operation")))
        .stream().sorted((a, b) -> Long.compare(a.start, b.start)).collect(Collectors.toList());
  }

  private static List<Span> command(ExportedSpans exported, String name, String key) {
    return exported.where(s -> name.equals(s.attributes.get("db.operation.name")) && key.equals(s.attributes.get("memory.key")));
  }

  private static List<String> names(List<Span> spans) {
    return spans.stream().map(s -> (String) s.attributes.get("db.operation.name")).collect(Collectors.toList());
  }

  private static int utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8).length;
  }
}
