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
 * A Go service as teams write it: go-redis with its own OpenTelemetry hook (redisotel) and the Go SDK's OTLP/HTTP
 * exporter, against a real {@code redis-server}, exporting to a real {@code serve} ({@code src/test/clients/go},
 * versions in its go.mod, built from the Go module proxy; Go's build cache makes a second build local). redisotel
 * writes every argument into {@code db.statement}, so its keys, TTLs and sizes are all read from it.
 */
class GoClientsIT {

  private static Path work;

  @BeforeAll
  static void buildTheClient() throws Exception {
    work = ClientWorkloads.prepare("go", "go", "go.mod", "go.sum", "workload.go");
    // a cold build compiles the SDK and gRPC's protobufs: about 80 s on two cores
    ClientWorkloads.run(work, List.of("go", "build", "-mod=readonly", "-o", "workload", "."), 600);
  }

  @Test
  void shouldReportTheKeysTtlsAndSizesOfAGoServiceFromItsStatements() throws Exception {
    Path data = BuildPaths.IT_WORK.resolve("go-clients-it-" + System.nanoTime()).resolve("data");
    try (TestRedis redis = TestRedis.start(); CollectorProcess serve = CollectorProcess.serve(data)) {
      String url = "http://127.0.0.1:" + serve.port + "/v1/traces";
      assertThat(ClientWorkloads.run(work, List.of("./workload", String.valueOf(redis.port), url), 120))
          .contains("done go-redis");
      JsonNode spans = ClientWorkloads.redisSpans(data);
      List<JsonNode> keyed = new ArrayList<>();
      List<String> seen = new ArrayList<>();
      for (JsonNode s : spans) {
        seen.add(s.path("name").asText() + ": " + s.path("statement").asText());
        if (!s.path("memory_key").isNull()) {
          keyed.add(s);
          assertThat(s.path("memtrace_derived_from").asText()).as("%s", s).isEqualTo("db.statement");
          assertThat(s.path("child").asBoolean()).as("under the task span: %s", s).isTrue();
          assertThat(s.path("unknown").isNull()).as("redisotel hides nothing: %s", s).isTrue();
        } else if (s.path("statement").asText().startsWith("mset") || s.path("statement").asText().startsWith("del")) {
          assertThat(s.path("unknown").asText()).as("%s", s).contains("memory.key");
        }
      }
      String plan = "aqe/test-plans:plan-go-redis";
      // every keyed command but MSET and the two-key DEL: written out in full, "mset a 1 b 2" and "del a b" read as
      // other keys too ("a 1 b" and "2"? "a b"), so their keys are unknown
      assertThat(keyed.stream().map(s -> s.path("memory_key").asText()).toList()).as("%s", seen).containsExactly(plan,
          plan, "aqe/test-plans:missing-go-redis", plan, "aqe/sessions:s-go-redis");
      assertThat(keyed.get(3).path("status_code").asText()).as("LPUSH on a string: WRONGTYPE").isEqualTo("ERROR");
      assertThat(seen).as("its own connection set-up, which names no key").anyMatch(s -> s.startsWith("hello: hello"));

      JsonNode facts = ClientWorkloads.query(data, "SELECT memory_key, memory_ttl, memory_value_size FROM spans "
          + "WHERE memory_key = '" + plan + "' AND db_operation_name = 'SET'");
      assertThat(facts.get(0).path("memory_ttl").asLong()).as("SET k v ex 3600: %s", facts).isEqualTo(3600);
      assertThat(facts.get(0).path("memory_value_size").asLong()).as("the value's bytes")
          .isEqualTo("{\"tests\":12,\"owner\":\"go-redis\"}".length());

      JsonNode sections = ClientWorkloads.redisReport(serve);
      assertThat(sections.path("hot_keys").path("key_sources").path("statement").asLong()).isEqualTo(5);
      assertThat(sections.path("hot_keys").path("key_sources").path("hidden").asLong()).as("MSET, DEL").isEqualTo(2);
      assertThat(sections.path("no_ttl").path("ttl_unknown").isMissingNode()).as("no TTL hidden").isTrue();
      assertThat(sections.path("largest_values").path("rows").findValuesAsText("key")).contains(plan);

      ClientWorkloads.assertDiffersFromMemtracesAgent(sections, GO_DIFFERENCES, "go-redis");
    }
  }

  /** What go-redis's spans cannot tell, listed in docs/other-languages.md. */
  static final String[] GO_DIFFERENCES = {
      // MSET and the two-key DEL, written out in full, name no key: the key they wrote and deleted is missing
      "hot_keys -aqe/cache:a-go-redis accesses=2 reads=0 writes=1", "written_never_read -aqe/cache:a-go-redis"};
}
