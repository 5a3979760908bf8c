package io.memtrace.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.Commands;
import io.memtrace.testsupport.ExportedSpans;
import io.memtrace.testsupport.ExportedSpans.Span;
import io.memtrace.testsupport.ForkedJvm;
import io.memtrace.testsupport.MemtraceYaml;
import io.memtrace.testsupport.TestPrograms;
import io.memtrace.testsupport.TestRedisPerClass;
import java.io.File;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The product test for Lettuce 5, 6 and 7: one plain Lettuce program (LettuceProgram), run once
 * without and once with {@code -javaagent:memtrace-agent.jar} against a real Redis, with each
 * version's real lettuce-core, Netty and Reactor jars. Its replies complete on Netty's event loops,
 * yet every command has exactly one span, paired with its own reply, under the memory span that
 * issued it; each version passes the same checks.
 */
class LettuceSpansIT extends TestRedisPerClass {

  /** The version the other Lettuce tests run against. */
  static final String LETTUCE = "6.6.0.RELEASE";
  /** LettuceProgram's commands in brief mode: sync, async, reactive, the memory manager, a transaction, auto-flush off. */
  static final int BRIEF_REDIS_SPANS = 27;
  /** And then 7 on database 2/3 (CLIENT ID and KILL among them), 4 threads x 25 notes x 3, and 5 of pub/sub. */
  static final int REDIS_SPANS = BRIEF_REDIS_SPANS + 7 + LettucePrograms.THREADS * LettucePrograms.NOTES * 3 + 5;
  private static final String CONFIG = String.join("\n",
      "memory-managers:",
      "  - type: LettuceProgram$Notes",
      "    methods:",
      "      - { name: store, operation: store, key: arg0, value: arg1 }",
      "      - { name: retrieve, operation: retrieve, key: arg0 }",
      "");

  @ParameterizedTest(name = "Lettuce {0}")
  @ValueSource(strings = {"5.3.7.RELEASE", LETTUCE, "7.0.0.RELEASE"})
  void shouldTraceSyncAsyncAndReactiveCommandsOncePairedWithTheirRepliesWithoutChangingTheProgram(String version)
      throws Exception {
    Path dir = BuildPaths.IT_WORK.resolve("lettuce-" + version);
    Path config = MemtraceYaml.write(dir, CONFIG);
    Path spansFile = ExportedSpans.freshFile(dir);
    String classPath = programClassPath(version);

    ForkedJvm.Result without = program(classPath).run(dir.resolve("plain"));
    ForkedJvm.Result with = program(classPath).withAgent("config=" + config).everySpan()
        .tracesTo(spansFile)
        .run(dir.resolve("traced"));

    assertThat(without.exitCode).as("%s", without).isZero();
    assertThat(with.exitCode).as("%s", with).isZero();
    assertThat(with.stdout).as("the program's output with the agent").isEqualTo(without.stdout)
        .contains("lpush-error -> io.lettuce.core.RedisCommandExecutionException: WRONGTYPE")
        .contains("shared-notes-found -> 100").contains("messages-received -> true");
    assertThat(with.stderr).contains("memtrace.events.dropped=0").contains("internal errors: 0")
        .doesNotContain("[memtrace] WARN").doesNotContain("[memtrace] INFO Lettuce");

    ExportedSpans exported = ExportedSpans.read(spansFile);
    List<Span> redisSpans = exported.where(s -> "redis".equals(s.attributes.get("db.system.name")));
    assertThat(redisSpans).as("one span per command, the transaction one span, none for pushed messages "
        + "or the handshake").hasSize(REDIS_SPANS);
    for (Span s : redisSpans) {
      assertThat(s.kind).as("kind of %s", s).isEqualTo(Span.KIND_CLIENT);
      assertThat(s.attributes).as("%s", s).containsEntry("server.port", (long) redis.port)
          .containsKey("server.address").containsKey("db.namespace");
      assertThat(s.end).isGreaterThanOrEqualTo(s.start);
      assertThat(s.attributes.values().toString()).as("values never exported by default")
          .doesNotContain("Ada Lovelace").doesNotContain("secret-token-value");
    }
    assertThat(exported.where(s -> List.of("HELLO", "AUTH").contains(s.name)))
        .as("handshake commands have no spans by default").isEmpty();
    assertThat(exported.where(s -> s.name.equals("CLIENT"))).as("only the program's CLIENT ID and CLIENT KILL")
        .extracting(s -> String.valueOf(s.attributes.get("db.query.text")).split(" ")[1])
        .containsExactlyInAnyOrder("ID", "KILL");
    assertThat(exported.where(s -> s.name.equals("SELECT")))
        .as("the program's SELECT 3, not the handshake's SELECT 2 nor the reconnection's SELECT 3")
        .singleElement().satisfies(s -> assertThat(s.attributes).containsEntry("db.namespace", "3"));

    checkCommands(exported);
    checkMemorySpans(exported);
    checkSharedConnections(exported);
    checkTransactionAndPubSub(exported);
  }

  /** The sync, async and reactive commands: names, keys, sizes, found, TTL, the error reply. */
  private static void checkCommands(ExportedSpans exported) {
    Span set = JedisSpansIT.only(exported, "SET user:42:name ?");
    assertThat(set.name).isEqualTo("SET");
    assertThat(set.attributes).containsEntry("db.operation.name", "SET").containsEntry("db.namespace", "0")
        .containsEntry("memory.key", "user:42:name").containsEntry("memory.namespace", "user:42")
        .containsEntry("memory.value_size", 12L);
    assertThat(JedisSpansIT.only(exported, "GET user:42:name").attributes)
        .containsEntry("memory.found", true).containsEntry("memory.value_size", 12L)
        .as("the decoded String read, hashed as UTF-8: the SET's bytes")
        .containsEntry("memory.value.fingerprint", set.attributes.get("memory.value.fingerprint"));
    assertThat((String) set.attributes.get("memory.value.fingerprint")).matches("[0-9a-f]{16}");
    Span miss = JedisSpansIT.only(exported, "GET user:43:name");
    assertThat(miss.attributes).containsEntry("memory.found", false).doesNotContainKey("memory.value_size")
        .doesNotContainKey("memory.value.fingerprint");
    assertThat(miss.statusCode).as("a miss is not an error").isNotEqualTo(Span.STATUS_ERROR);
    assertThat(JedisSpansIT.only(exported, "SETEX session:token:abc ? ?").attributes)
        .containsEntry("memory.ttl", 60L).containsEntry("memory.value_size", 18L);
    assertThat(JedisSpansIT.only(exported, "EXPIRE user:42:name ?").attributes).containsEntry("memory.ttl", 3600L);
    assertThat(JedisSpansIT.only(exported, "HGET profile:42 ?").attributes).containsEntry("memory.found", true);
    assertThat(JedisSpansIT.only(exported, "HEXISTS profile:42 ?").attributes)
        .as("Lettuce answers HEXISTS with a Boolean").containsEntry("memory.found", false);
    assertThat(JedisSpansIT.only(exported, "MGET user:42:name user:43:name").attributes)
        .as("an empty KeyValue is no data").containsEntry("memory.value_size", 12L).containsEntry("memory.found", true);

    Span error = JedisSpansIT.only(exported, "LPUSH user:42:name ?");
    assertThat(error.statusCode).isEqualTo(Span.STATUS_ERROR);
    assertThat(error.events).contains("exception");
    assertThat(error.attributes).containsEntry("error.type", "WRONGTYPE")
        .containsEntry("db.response.status_code", "WRONGTYPE");
    assertThat(error.eventAttributes.get(error.events.indexOf("exception")))
        .containsEntry("exception.type", "io.lettuce.core.RedisCommandExecutionException");

    assertThat(JedisSpansIT.only(exported, "GET async:key").attributes)
        .containsEntry("memory.found", true).containsEntry("memory.value_size", 11L);
    assertThat(JedisSpansIT.only(exported, "GET async:missing").attributes).containsEntry("memory.found", false);
    assertThat(JedisSpansIT.only(exported, "GET reactive:key").attributes)
        .containsEntry("memory.found", true).containsEntry("memory.value_size", 14L);
    assertThat(JedisSpansIT.only(exported, "GET reactive:missing").attributes).containsEntry("memory.found", false);
    assertThat(JedisSpansIT.only(exported, "LRANGE reactive:list ? ?").attributes)
        .as("a reactive Flux streams its values: found and size unknown").doesNotContainKeys("memory.found", "memory.value_size");

    List<Span> flushed = exported.where(s -> String.valueOf(s.attributes.get("memory.key")).startsWith("flush:"));
    assertThat(flushed).as("auto-flush off: one span per command").extracting(s -> s.name)
        .containsExactlyInAnyOrder("SET", "SET", "GET");

    assertThat(JedisSpansIT.only(exported, "SET db:key ?").attributes)
        .as("database 2, selected by Lettuce's own (hidden) handshake").containsEntry("db.namespace", "2");
    assertThat(JedisSpansIT.only(exported, "GET db:key").attributes)
        .as("after the program's SELECT 3").containsEntry("db.namespace", "3").containsEntry("memory.found", false);
    assertThat(JedisSpansIT.only(exported, "GET db3:key").attributes)
        .as("killed by the server, the connection reconnected and selected database 3 again by itself")
        .containsEntry("db.namespace", "3").containsEntry("memory.found", true).containsEntry("memory.value_size", 5L);
  }

  /** Commands inside a memory-manager call are its children, though their replies complete on Netty's threads. */
  private static void checkMemorySpans(ExportedSpans exported) {
    Span store = memorySpan(exported, "memory.store", "n1");
    assertThat(store.attributes).containsEntry("memory.value_size", 10L);
    assertThat(JedisSpansIT.only(exported, "SET note:n1 ?").parentSpanId).as("sync SET inside store").isEqualTo(store.spanId);
    assertThat(JedisSpansIT.only(exported, "EXPIRE note:n1 ?").parentSpanId).as("async EXPIRE inside store").isEqualTo(store.spanId);
    Span hit = memorySpan(exported, "memory.retrieve", "n1");
    Span get = JedisSpansIT.only(exported, "GET note:n1");
    assertThat(get.parentSpanId).as("reactive GET inside retrieve").isEqualTo(hit.spanId);
    assertThat(get.traceId).isEqualTo(hit.traceId);
    assertThat(get.end).as("the child ends before its parent").isLessThanOrEqualTo(hit.end);
    // the store's String value, its SET, the reactive GET and the retrieve (no value of its own: its GET's) agree
    Object note = store.attributes.get("memory.value.fingerprint");
    assertThat((String) note).matches("[0-9a-f]{16}");
    assertThat(JedisSpansIT.only(exported, "SET note:n1 ?").attributes).containsEntry("memory.value.fingerprint", note);
    assertThat(get.attributes).containsEntry("memory.value.fingerprint", note);
    assertThat(hit.attributes).containsEntry("memory.value.fingerprint", note);
    assertThat(JedisSpansIT.only(exported, "GET note:n2").parentSpanId)
        .isEqualTo(memorySpan(exported, "memory.retrieve", "n2").spanId);
    assertThat(JedisSpansIT.only(exported, "SET user:42:name ?").parentSpanId).as("outside any memory call").isEmpty();
  }

  /**
   * Four threads on two shared connections: every note's SET and GET carry that note's key and
   * the size only that note's value has, under the memory span of that same note.
   */
  private static void checkSharedConnections(ExportedSpans exported) {
    Map<String, Span> memory = exported.where(s -> s.name.startsWith("memory.")
        && String.valueOf(s.attributes.get("memory.key")).startsWith("p"))
        .stream().collect(Collectors.toMap(s -> s.name + " " + s.attributes.get("memory.key"), Function.identity()));
    assertThat(memory).hasSize(2 * LettucePrograms.THREADS * LettucePrograms.NOTES);
    int checked = 0;
    for (int t = 0; t < LettucePrograms.THREADS; t++) {
      for (int i = 0; i < LettucePrograms.NOTES; i++) {
        String key = "p" + t + "-" + i;
        long size = LettucePrograms.valueLength(t, i);
        Span set = JedisSpansIT.only(exported, "SET note:" + key + " ?");
        assertThat(set.attributes).as("SET of %s", key).containsEntry("memory.value_size", size);
        assertThat(set.parentSpanId).as("SET of %s", key).isEqualTo(memory.get("memory.store " + key).spanId);
        Span expire = JedisSpansIT.only(exported, "EXPIRE note:" + key + " ?");
        assertThat(expire.parentSpanId).as("EXPIRE of %s", key).isEqualTo(memory.get("memory.store " + key).spanId);
        Span get = JedisSpansIT.only(exported, "GET note:" + key);
        assertThat(get.attributes).as("GET of %s", key).containsEntry("memory.value_size", size)
            .containsEntry("memory.found", true);
        assertThat(get.parentSpanId).as("GET of %s", key).isEqualTo(memory.get("memory.retrieve " + key).spanId);
        checked++;
      }
    }
    assertThat(checked).isEqualTo(100);
  }

  private static void checkTransactionAndPubSub(ExportedSpans exported) {
    Span transaction = JedisSpansIT.only(exported, "SET tx:1 ?; INCR tx:counter");
    assertThat(transaction.name).isEqualTo("MULTI");
    assertThat(transaction.attributes).containsEntry("db.operation.name", "MULTI")
        .containsEntry("db.operation.batch.size", 2L);
    assertThat(exported.where(s -> List.of("EXEC", "INCR").contains(s.name)
        || "tx:1".equals(s.attributes.get("memory.key")))).as("the transaction's commands are in its span only").isEmpty();

    assertThat(exported.where(s -> s.name.equals("SUBSCRIBE"))).hasSize(1);
    assertThat(exported.where(s -> s.name.equals("UNSUBSCRIBE"))).hasSize(1);
    assertThat(exported.where(s -> s.name.equals("PUBLISH"))).hasSize(3)
        .allSatisfy(s -> assertThat(s.attributes).containsEntry("memory.value_size", 9L));
  }

  /**
   * Lettuce's own handshake (HELLO, CLIENT SETINFO, and from 7.0 CLIENT MAINT_NOTIFICATIONS),
   * asked for: spans, and Redis 6.2's rejection of the CLIENT ones, which Lettuce ignores, is not an
   * error. (Its hidden SELECT sets {@code db.namespace} in the test above, for Lettuce 5 too, whose
   * brief run sends no handshake at all.)
   */
  @ParameterizedTest(name = "Lettuce {0}")
  @CsvSource({LETTUCE + ", 0", "7.0.0.RELEASE, 1"})
  void shouldShowHandshakeCommandsWithoutErrorWhenAsked(String version, int maintNotifications) throws Exception {
    Path dir = BuildPaths.IT_WORK.resolve("lettuce-" + version + "-handshake");
    Path spansFile = ExportedSpans.freshFile(dir);

    ForkedJvm.Result result = ForkedJvm.program(programClassPath(version), "LettuceProgram", redis.host,
            String.valueOf(redis.port), "brief")
        .withAgent().everySpan()
        .tracesTo(spansFile)
        .env("MEMTRACE_REDIS_HANDSHAKE_SPANS", "true")
        .run(dir);

    assertThat(result.exitCode).as("%s", result).isZero();
    assertThat(result.stderr).contains("memtrace.events.dropped=0");
    ExportedSpans exported = ExportedSpans.read(spansFile);
    assertThat(exported.where(s -> s.name.equals("HELLO"))).as("one connection, one HELLO").hasSize(1)
        .allSatisfy(s -> assertThat(s.statusCode).isNotEqualTo(Span.STATUS_ERROR));
    List<Span> client = exported.where(s -> s.name.equals("CLIENT"));
    assertThat(client).as("LIB-NAME and LIB-VER, and from 7.0 MAINT_NOTIFICATIONS").hasSize(2 + maintNotifications)
        .allSatisfy(s -> {
          assertThat(s.statusCode).isNotEqualTo(Span.STATUS_ERROR);
          assertThat(s.events).doesNotContain("exception");
          assertThat(s.attributes).containsEntry("db.response.status_code", "ERR").doesNotContainKey("error.type");
        });
    assertThat(exported.where(s -> "redis".equals(s.attributes.get("db.system.name"))))
        .hasSize(BRIEF_REDIS_SPANS + 3 + maintNotifications);
  }

  /**
   * Lettuce 5 has no handshake of its own: the SELECT of its RedisURI, and the one it repeats when
   * it reconnects, go through the same dispatch as the application's commands. Asked for, they are
   * spans (so the test above hides them because they are known as set-up commands, not because they
   * are lost), with the database each chose.
   */
  @Test
  void shouldShowLettuce5sOwnSetUpCommandsWhenAsked() throws Exception {
    Path dir = BuildPaths.IT_WORK.resolve("lettuce-5.3.7.RELEASE-handshake");
    Path spansFile = ExportedSpans.freshFile(dir);

    ForkedJvm.Result result = program(programClassPath("5.3.7.RELEASE")).withAgent().everySpan()
        .tracesTo(spansFile)
        .env("MEMTRACE_REDIS_HANDSHAKE_SPANS", "true")
        .run(dir);

    assertThat(result.exitCode).as("%s", result).isZero();
    assertThat(result.stderr).contains("memtrace.events.dropped=0").doesNotContain("[memtrace] WARN");
    ExportedSpans exported = ExportedSpans.read(spansFile);
    assertThat(exported.where(s -> s.name.equals("SELECT")).stream().sorted(Comparator.comparingLong(s -> s.start)))
        .as("the RedisURI's SELECT 2, the program's SELECT 3, the reconnection's SELECT 3, in that order")
        .extracting(s -> s.attributes.get("db.namespace")).containsExactly("2", "3", "3");
    assertThat(exported.where(s -> "redis".equals(s.attributes.get("db.system.name")))).hasSize(REDIS_SPANS + 2);
  }

  private static ForkedJvm program(String classPath) {
    return ForkedJvm.program(classPath, "LettuceProgram", redis.host, String.valueOf(redis.port));
  }

  static String programClassPath() throws Exception {
    return programClassPath(LETTUCE);
  }

  /** LettuceProgram compiled against, and run on, one Lettuce version and the jars it was copied with. */
  static String programClassPath(String version) throws Exception {
    String lettuce = TestPrograms.jarsIn(BuildPaths.IT_LIBS.resolve("lettuce-" + version)).stream()
        .map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    return TestPrograms.compile("lettuce-" + version, lettuce, "LettuceProgram.java");
  }

  private static Span memorySpan(ExportedSpans exported, String name, String key) {
    List<Span> found = exported.where(s -> s.name.equals(name) && key.equals(s.attributes.get("memory.key")));
    assertThat(found).as("%s %s", name, key).hasSize(1);
    return found.get(0);
  }

  /** What LettuceProgram does, mirrored (the program is compiled only in the forked JVM's class path). */
  static final class LettucePrograms {
    static final int THREADS = 4;
    static final int NOTES = 25;

    static long valueLength(int thread, int i) {
      return 1 + thread * NOTES + i;
    }
  }
}
