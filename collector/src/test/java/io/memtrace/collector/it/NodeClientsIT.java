package io.memtrace.collector.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.TestRedis;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Node services as teams run them: ioredis and node-redis from npm, under the standard OpenTelemetry instrumentations
 * ({@code @opentelemetry/instrumentation-ioredis} and {@code -redis}, the Node SDK, OTLP/HTTP protobuf), against a
 * real {@code redis-server}, exporting to a real {@code serve}. None of their spans carries {@code memory.key}: the
 * keys the report shows are read from their statements ({@code src/test/clients/node}, versions in its lock file).
 */
class NodeClientsIT {

  private static Path work;

  @BeforeAll
  static void installTheClients() throws Exception {
    work = ClientWorkloads.prepare("node", "npm", "package.json", "package-lock.json", "workload.cjs");
    // from the npm registry, as the lock file pins it (npm's own cache makes a second run local)
    ClientWorkloads.run(work, List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), 300);
  }

  @Test
  void shouldReportTheKeysOfNodeServicesFromTheirStandardRedisSpans() throws Exception {
    Path data = BuildPaths.IT_WORK.resolve("node-clients-it-" + System.nanoTime()).resolve("data");
    try (TestRedis redis = TestRedis.start(); CollectorProcess serve = CollectorProcess.serve(data)) {
      String url = "http://127.0.0.1:" + serve.port + "/v1/traces";
      for (String client : List.of("ioredis", "node-redis")) {
        assertThat(ClientWorkloads.run(work, List.of("node", "workload.cjs", client, String.valueOf(redis.port), url), 120))
            .contains("done " + client);
      }
      JsonNode spans = ClientWorkloads.redisSpans(data);
      List<String> seen = new ArrayList<>();
      spans.forEach(s -> seen.add(s.path("service_name").asText() + " " + s.path("statement").asText()));
      for (String client : List.of("ioredis", "node-redis")) {
        String plan = "aqe/test-plans:plan-" + client;
        List<JsonNode> mine = new ArrayList<>();
        spans.forEach(s -> {
          if (s.path("service_name").asText().equals("node-" + client) && !s.path("memory_key").isNull()) {
            mine.add(s);
          }
        });
        // every command of the task but the two-key DEL, whose "del a b" reads as the one key "a b" too
        assertThat(mine).as("%s: every command of the task keyed, from its statement: %s", client, seen).hasSize(6);
        for (JsonNode s : mine) {
          assertThat(s.path("memtrace_derived_from").asText()).as("%s", s).isEqualTo("db.query.text");
          assertThat(s.path("child").asBoolean()).as("under the task span: %s", s).isTrue();
        }
        assertThat(mine.stream().map(s -> s.path("memory_key").asText()).toList()).as(client).containsExactly(plan, plan,
            "aqe/test-plans:missing-" + client, "aqe/cache:a-" + client, plan, "aqe/sessions:s-" + client);
        assertThat(mine.get(0).path("memory_namespace").asText()).isEqualTo("aqe/test-plans");
        assertThat(mine.get(0).path("unknown").toString()).as("the TTL is among the arguments left out")
            .contains("memory.ttl");
        assertThat(mine.get(4).path("status_code").asText()).as("LPUSH on a string: WRONGTYPE").isEqualTo("ERROR");
      }

      JsonNode sections = ClientWorkloads.redisReport(serve);
      JsonNode hot = sections.path("hot_keys");
      assertThat(hot.path("rows").get(0).path("accesses").asLong()).as("%s", hot).isEqualTo(3);
      assertThat(hot.path("rows").findValuesAsText("key")).contains("aqe/test-plans:plan-ioredis",
          "aqe/test-plans:plan-node-redis");
      assertThat(hot.path("key_sources").path("statement").asLong()).as("7 commands each, but the DELs").isEqualTo(12);
      assertThat(hot.path("key_sources").path("hidden").asLong()).as("the DELs").isEqualTo(2);
      assertThat(hot.path("key_sources").path("agent").asLong()).isZero();
      assertThat(sections.path("written_never_read").path("rows").findValuesAsText("key"))
          .contains("aqe/sessions:s-ioredis", "aqe/sessions:s-node-redis");
      JsonNode noTtl = sections.path("no_ttl");
      assertThat(noTtl.path("rows").findValuesAsText("key")).as("SET k v: the statement shows no TTL: %s", noTtl)
          .contains("aqe/sessions:s-ioredis", "aqe/sessions:s-node-redis")
          .doesNotContain("aqe/test-plans:plan-ioredis", "aqe/test-plans:plan-node-redis");
      assertThat(noTtl.path("ttl_unknown").asLong()).as("SET k v EX n: the TTL among the arguments left out: the plans")
          .isEqualTo(2);

      // the same task through memtrace's agent: the same analytics, but for what Node's statements leave out
      ClientWorkloads.assertDiffersFromMemtracesAgent(sections, NODE_DIFFERENCES, "ioredis", "node-redis");
    }
  }

  /** What Node's spans cannot tell, listed in docs/other-languages.md. */
  static final String[] NODE_DIFFERENCES = {
      // the two-key DELs, which read as the one key "a b" too, name no key (JavaAgentClientIT's differences)
      "hot_keys -aqe/cache:a-ioredis accesses=2 reads=0 writes=1",
      "hot_keys -aqe/cache:a-node-redis accesses=2 reads=0 writes=1",
      "hot_keys +aqe/cache:a-ioredis accesses=1 reads=0 writes=1",
      "hot_keys +aqe/cache:a-node-redis accesses=1 reads=0 writes=1",
      "no_ttl +aqe/cache:a-ioredis",
      "no_ttl +aqe/cache:a-node-redis"};
}
