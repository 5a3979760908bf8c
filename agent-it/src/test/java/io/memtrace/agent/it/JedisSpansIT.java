package io.memtrace.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.ExportedSpans;
import io.memtrace.testsupport.ExportedSpans.Span;
import io.memtrace.testsupport.ForkedJvm;
import io.memtrace.testsupport.TestPrograms;
import io.memtrace.testsupport.TestRedisPerClass;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The product test: a plain Jedis program, run once without and once with
 * {@code -javaagent:memtrace-agent.jar} against a real Redis, for every supported Jedis family.
 */
class JedisSpansIT extends TestRedisPerClass {

  private static final Path TEMURIN_25 = Paths.get("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");

  @ParameterizedTest(name = "Jedis {0}")
  @ValueSource(strings = {"3.10.0", "4.4.8", "5.2.0", "6.2.0", "7.5.3", "8.0.2"})
  void shouldTraceEveryCommandWithoutChangingTheProgram(String version) throws Exception {
    checkVersion(version, null);
  }

  /**
   * Jedis 5+ pools send {@code CLIENT SETINFO} on every new connection, which Redis 6.2 rejects
   * and Jedis ignores: asked for, those handshake commands get spans, but never ERROR ones.
   */
  @ParameterizedTest(name = "Jedis {0}")
  @ValueSource(strings = {"5.2.0", "8.0.2"})
  void shouldShowHandshakeCommandsWithoutErrorWhenAsked(String version) throws Exception {
    Path dir = BuildPaths.IT_WORK.resolve("jedis-" + version + "-handshake");
    Path spansFile = ExportedSpans.freshFile(dir);

    ForkedJvm.Result result = ForkedJvm.program(programClassPath(version), "JedisProgram", redis.host,
            String.valueOf(redis.port))
        .withAgent().everySpan()
        .tracesTo(spansFile)
        .env("MEMTRACE_REDIS_HANDSHAKE_SPANS", "true")
        .run(dir);

    assertThat(result.exitCode).as("%s", result).isZero();
    List<Span> setInfo = ExportedSpans.read(spansFile).where(s -> String.valueOf(s.attributes.get("db.query.text"))
        .startsWith("CLIENT SETINFO"));
    assertThat(setInfo).as("one LIB-NAME and one LIB-VER per pooled connection").isNotEmpty()
        .allSatisfy(s -> {
          assertThat(s.statusCode).isNotEqualTo(Span.STATUS_ERROR);
          assertThat(s.events).doesNotContain("exception");
          assertThat(s.attributes).containsEntry("db.response.status_code", "ERR")
              .doesNotContainKey("error.type");
        });
  }

  @Test
  void shouldTraceOnTheSecondJdk() throws Exception {
    assumeTrue(Files.isExecutable(TEMURIN_25), "Temurin 25 is not installed at " + TEMURIN_25);
    checkVersion("6.2.0", TEMURIN_25);
  }

  private void checkVersion(String version, Path java) throws Exception {
    String classPath = programClassPath(version);
    Path dir = BuildPaths.IT_WORK.resolve("jedis-" + version + (java == null ? "" : "-jdk25"));
    Path spansFile = ExportedSpans.freshFile(dir);

    ForkedJvm plain = ForkedJvm.program(classPath, "JedisProgram", redis.host, String.valueOf(redis.port));
    ForkedJvm traced = ForkedJvm.program(classPath, "JedisProgram", redis.host, String.valueOf(redis.port))
        .withAgent().everySpan()
        .tracesTo(spansFile);
    if (java != null) {
      plain.java(java);
      traced.java(java);
    }
    ForkedJvm.Result without = plain.run(dir.resolve("plain"));
    ForkedJvm.Result with = traced.run(dir.resolve("traced"));

    assertThat(without.exitCode).as("%s", without).isZero();
    assertThat(with.exitCode).as("%s", with).isZero();
    assertThat(with.stdout).as("the program's output with the agent").isEqualTo(without.stdout);
    assertThat(with.stderr).contains("memtrace.events.dropped=0");

    ExportedSpans exported = ExportedSpans.read(spansFile);
    assertThat(exported.spans).as("spans exported").isNotEmpty();
    for (Span s : exported.spans) {
      assertThat(s.kind).as("kind of %s", s).isEqualTo(Span.KIND_CLIENT);
      assertThat(s.attributes).containsEntry("db.system.name", "redis")
          .containsEntry("server.port", (long) redis.port)
          .containsKey("server.address")
          .containsEntry("db.namespace", "0");
      assertThat(s.end).isGreaterThanOrEqualTo(s.start);
      assertThat(s.attributes.values().toString()).as("values never exported by default")
          .doesNotContain("Ada Lovelace").doesNotContain("secret-token-value");
    }

    Span set = only(exported, "SET user:42:name ?");
    assertThat(set.name).isEqualTo("SET");
    assertThat(set.attributes).containsEntry("db.operation.name", "SET")
        .containsEntry("memory.key", "user:42:name")
        .containsEntry("memory.namespace", "user:42")
        .containsEntry("memory.value_size", 12L);

    List<Span> gets = exported.withQuery("GET user:42:name");
    assertThat(gets).as("one span per GET").hasSize(1);
    assertThat(gets.get(0).attributes).containsEntry("memory.found", true).containsEntry("memory.value_size", 12L);
    // fingerprints are on by default: the GET read the bytes the SET wrote, hashed on the consumer thread
    assertThat((String) set.attributes.get("memory.value.fingerprint")).matches("[0-9a-f]{16}");
    assertThat(gets.get(0).attributes).containsEntry("memory.value.fingerprint",
        set.attributes.get("memory.value.fingerprint"));
    assertThat(Files.readString(spansFile)).as("no value byte in the exported file")
        .doesNotContain("Ada Lovelace").doesNotContain("secret-token-value").doesNotContain("London");

    Span miss = only(exported, "GET user:43:name");
    assertThat(miss.attributes).containsEntry("memory.found", false).doesNotContainKey("memory.value_size")
        .doesNotContainKey("memory.value.fingerprint");
    assertThat(miss.statusCode).as("a miss is not an error").isNotEqualTo(Span.STATUS_ERROR);

    assertThat(only(exported, "SETEX session:token:abc ? ?").attributes)
        .containsEntry("memory.ttl", 60L).containsEntry("memory.value_size", 18L);
    assertThat(only(exported, "EXPIRE user:42:name ?").attributes).containsEntry("memory.ttl", 3600L);
    assertThat(only(exported, "HGET profile:42 ?").attributes).containsEntry("memory.found", true);
    assertThat(only(exported, "MGET user:42:name user:43:name").attributes).containsEntry("memory.value_size", 12L);

    Span error = only(exported, "LPUSH user:42:name ?");
    assertThat(error.statusCode).isEqualTo(Span.STATUS_ERROR);
    assertThat(error.events).contains("exception");
    assertThat(error.attributes).containsEntry("error.type", "WRONGTYPE");

    Span pipeline = exported.where(s -> s.name.equals("PIPELINE")).get(0);
    assertThat(pipeline.attributes).containsEntry("db.operation.name", "PIPELINE")
        .containsEntry("db.operation.batch.size", 3L)
        .containsEntry("db.query.text", "SET batch:1 ?; SET batch:2 ?; GET batch:1");
    assertThat(exported.where(s -> s.name.equals("SET") && "batch:1".equals(s.attributes.get("memory.key"))))
        .as("pipelined commands are inside the batch span, not spans of their own").isEmpty();

    Span transaction = only(exported, "SET tx:1 ?; INCR tx:counter");
    assertThat(transaction.name).isEqualTo("MULTI");
    assertThat(transaction.attributes).containsEntry("db.operation.name", "MULTI")
        .containsEntry("db.operation.batch.size", 2L);
    assertThat(exported.where(s -> s.name.startsWith("BATCH") || s.name.equals("EXEC"))).isEmpty();
    assertThat(exported.where(s -> "CLIENT".equals(s.attributes.get("db.operation.name"))))
        .as("handshake commands (CLIENT SETINFO of Jedis 5+ pools) have no spans by default").isEmpty();

    assertThat(only(exported, "GET pool:key").attributes).containsEntry("memory.found", true);
    if (!version.startsWith("3.")) {
      assertThat(only(exported, "SET pooled:key ? EX ?").attributes).containsEntry("memory.ttl", 120L);
      assertThat(only(exported, "GET pooled:missing").attributes).containsEntry("memory.found", false);
    }
  }

  static Span only(ExportedSpans exported, String query) {
    List<Span> found = exported.withQuery(query);
    assertThat(found).as("exactly one span for '%s' in %s", query, exported.spans).hasSize(1);
    return found.get(0);
  }

  static String programClassPath(String version) throws Exception {
    String jedis = TestPrograms.jedisClassPath(version);
    return version.startsWith("3.")
        ? TestPrograms.compile("jedis-" + version, jedis, "JedisProgram.java")
        : TestPrograms.compile("jedis-" + version, jedis,
            withPooledClient(version, "JedisProgram.java", "PooledProgram.java"));
  }

  /**
   * {@code programs} and the sources of {@code PooledClient} for a Jedis version: a pool of Jedis for 3, and from 4 one
   * client over the version's {@code UnifiedClient}, JedisPooled up to 6, RedisClient from 7.
   */
  static String[] withPooledClient(String version, String... programs) {
    int major = Integer.parseInt(version.substring(0, version.indexOf('.')));
    List<String> sources = new ArrayList<>(List.of(programs));
    if (major < 4) {
      sources.add("pooled3/PooledClient.java");
    } else {
      sources.add("pooled/PooledClient.java");
      sources.add((major < 7 ? "pooled4" : "pooled7") + "/UnifiedClient.java");
    }
    return sources.toArray(new String[0]);
  }
}
