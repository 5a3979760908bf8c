package io.memtrace.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.ExportedSpans;
import io.memtrace.testsupport.ExportedSpans.Span;
import io.memtrace.testsupport.ForkedJvm;
import io.memtrace.testsupport.TestPrograms;
import io.memtrace.testsupport.TestRedisPerClass;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Replies pair with commands per connection: {@code PairingProgram} interleaves connections,
 * pipelines, a transaction, pub/sub stopped from another thread and a pool shared by threads,
 * under the real agent against a real Redis, once per Jedis version; each test checks the spans
 * of one scenario.
 */
class RedisPairingIT extends TestRedisPerClass {

  /** One run of the program per Jedis version, shared by the tests of that version. */
  private static final Map<String, Run> RUNS = new ConcurrentHashMap<>();

  static final class Run {
    final ForkedJvm.Result result;
    final ExportedSpans spans;

    Run(ForkedJvm.Result result, ExportedSpans spans) {
      this.result = result;
      this.spans = spans;
    }
  }

  static synchronized Run run(String version) throws Exception {
    Run run = RUNS.get(version);
    if (run != null) {
      return run;
    }
    String jedis = TestPrograms.jedisClassPath(version);
    String classPath = TestPrograms.compile("pairing-" + version, jedis,
        JedisSpansIT.withPooledClient(version, "PairingProgram.java"));
    Path dir = BuildPaths.IT_WORK.resolve("pairing-" + version);
    Path spansFile = ExportedSpans.freshFile(dir);
    ForkedJvm.Result result = ForkedJvm.program(classPath, "PairingProgram", redis.host, String.valueOf(redis.port))
        .withAgent().everySpan()
        .tracesTo(spansFile)
        .run(dir);
    assertThat(result.exitCode).as("%s", result).isZero();
    assertThat(result.stdout).as("the program ran every scenario").contains("done -> all scenarios");
    run = new Run(result, ExportedSpans.read(spansFile));
    RUNS.put(version, run);
    return run;
  }

  private static List<Span> batches(ExportedSpans spans, String key) {
    return spans.where(s -> s.attributes.containsKey("db.operation.batch.size")
        && String.valueOf(s.attributes.get("db.query.text")).contains(key));
  }

  @ParameterizedTest(name = "Jedis {0}")
  @ValueSource(strings = {"3.10.0", "4.4.8", "5.2.0", "6.2.0", "7.5.3", "8.0.2"})
  void shouldLoseNoCommandInAnyScenario(String version) throws Exception {
    Run run = run(version);
    assertThat(run.result.stderr).contains("memtrace.events.dropped=0");
    assertThat(run.spans.where(s -> s.statusCode == Span.STATUS_ERROR)).as("only INCR fails")
        .singleElement().satisfies(s -> assertThat(s.name).isEqualTo("INCR"));
  }

  @ParameterizedTest(name = "Jedis {0}")
  @ValueSource(strings = {"3.10.0", "4.4.8", "5.2.0", "6.2.0", "7.5.3", "8.0.2"})
  void shouldGiveEachOfTwoInterleavedPipelinesItsOwnSpan(String version) throws Exception {
    Run run = run(version);
    assertThat(run.result.stdout).contains("interleave -> null,from-b");

    assertThat(JedisSpansIT.only(run.spans, "SET interleave:b ?; GET interleave:a").attributes)
        .containsEntry("db.operation.batch.size", 2L);
    assertThat(JedisSpansIT.only(run.spans, "SET interleave:a ?; GET interleave:b").attributes)
        .containsEntry("db.operation.batch.size", 2L);
    assertThat(run.spans.withQuery("GET interleave:b")).singleElement()
        .satisfies(s -> assertThat(s.attributes).containsEntry("memory.found", true));
  }

  @ParameterizedTest(name = "Jedis {0}")
  @ValueSource(strings = {"3.10.0", "4.4.8", "5.2.0", "6.2.0", "7.5.3", "8.0.2"})
  void shouldKeepAPipelineLeftOpenWhileTheThreadUsesAnotherConnection(String version) throws Exception {
    Run run = run(version);
    assertThat(run.result.stdout).contains("open -> null,one,two");

    Span get = JedisSpansIT.only(run.spans, "GET open:other");
    assertThat(get.attributes).containsEntry("memory.found", false).doesNotContainKey("db.operation.batch.size");
    assertThat(get.statusCode).isNotEqualTo(Span.STATUS_ERROR);
    assertThat(JedisSpansIT.only(run.spans, "SET open:1 ?; SET open:2 ?").attributes)
        .containsEntry("db.operation.batch.size", 2L);
  }

  @ParameterizedTest(name = "Jedis {0}")
  @ValueSource(strings = {"3.10.0", "4.4.8", "5.2.0", "6.2.0", "7.5.3", "8.0.2"})
  void shouldKeepATransactionWhileTheThreadUsesAnotherConnection(String version) throws Exception {
    Run run = run(version);
    assertThat(run.result.stdout).contains("tx -> null,[OK, 1]");

    assertThat(JedisSpansIT.only(run.spans, "GET tx:other").attributes).containsEntry("memory.found", false);
    assertThat(run.spans.where(s -> s.name.startsWith("MULTI"))).as("MULTI is in the transaction's span")
        .hasSize(1);
    assertThat(batches(run.spans, "tx:1")).singleElement().satisfies(tx -> {
      assertThat(tx.attributes).containsEntry("db.query.text", "SET tx:1 ?; INCR tx:counter")
          .containsEntry("db.operation.batch.size", 2L);
      assertThat(tx.statusCode).isNotEqualTo(Span.STATUS_ERROR);
    });
  }

  @ParameterizedTest(name = "Jedis {0}")
  @ValueSource(strings = {"3.10.0", "4.4.8", "5.2.0", "6.2.0", "7.5.3", "8.0.2"})
  void shouldGiveEveryCommandItsOwnReplyAfterPubSubIsStoppedFromAnotherThread(String version) throws Exception {
    Run run = run(version);
    assertThat(run.result.stdout).contains("pubsub-messages -> [pubsub:news:hello]")
        .contains("pubsub-get-miss -> null").contains("pubsub-get-hit -> some text")
        .contains("pubsub-del -> 1");

    assertThat(JedisSpansIT.only(run.spans, "SUBSCRIBE ? ?").statusCode).isNotEqualTo(Span.STATUS_ERROR);
    assertThat(run.spans.where(s -> "UNSUBSCRIBE".equals(s.attributes.get("db.operation.name"))))
        .hasSize(1);
    assertThat(JedisSpansIT.only(run.spans, "SET pubsub:text ?").statusCode).isNotEqualTo(Span.STATUS_ERROR);
    Span incr = JedisSpansIT.only(run.spans, "INCR pubsub:text");
    assertThat(incr.statusCode).isEqualTo(Span.STATUS_ERROR);
    assertThat(incr.attributes).containsEntry("db.response.status_code", "ERR");
    Span miss = JedisSpansIT.only(run.spans, "GET pubsub:missing");
    assertThat(miss.statusCode).isNotEqualTo(Span.STATUS_ERROR);
    assertThat(miss.attributes).containsEntry("memory.found", false);
    Span hit = JedisSpansIT.only(run.spans, "GET pubsub:text");
    assertThat(hit.attributes).containsEntry("memory.found", true).containsEntry("memory.value_size", 9L);
    assertThat(JedisSpansIT.only(run.spans, "DEL pubsub:text").statusCode).isNotEqualTo(Span.STATUS_ERROR);
  }

  @ParameterizedTest(name = "Jedis {0}")
  @ValueSource(strings = {"3.10.0", "4.4.8", "5.2.0", "6.2.0", "7.5.3", "8.0.2"})
  void shouldNameTheDatabaseAPoolsConnectionsSelectedAsTheySetThemselvesUp(String version) throws Exception {
    Run run = run(version);
    assertThat(run.result.stdout).contains("db2 -> on two");

    assertThat(JedisSpansIT.only(run.spans, "GET db2:key").attributes).containsEntry("db.namespace", "2");
    assertThat(JedisSpansIT.only(run.spans, "GET interleave:b").attributes).containsEntry("db.namespace", "0");
  }

  @ParameterizedTest(name = "Jedis {0}")
  @ValueSource(strings = {"3.10.0", "4.4.8", "5.2.0", "6.2.0", "7.5.3", "8.0.2"})
  void shouldPairEveryCommandOfAPoolSharedByThreads(String version) throws Exception {
    Run run = run(version);
    assertThat(run.result.stdout).contains("pool -> all read back");

    List<Span> gets = run.spans.where(s -> "GET".equals(s.name)
        && String.valueOf(s.attributes.get("memory.key")).startsWith("pool:"));
    List<Span> sets = run.spans.where(s -> "SET".equals(s.name)
        && String.valueOf(s.attributes.get("memory.key")).startsWith("pool:"));
    assertThat(sets).hasSize(200);
    assertThat(gets).hasSize(200).allSatisfy(get -> {
      String[] key = String.valueOf(get.attributes.get("memory.key")).split(":");
      long expected = 1 + (Integer.parseInt(key[1]) * 50 + Integer.parseInt(key[2])) % 37;
      assertThat(get.attributes).as("%s", get).containsEntry("memory.found", true)
          .containsEntry("memory.value_size", expected);
      assertThat(get.statusCode).isNotEqualTo(Span.STATUS_ERROR);
    });
  }
}
