package io.memtrace.collector.it;

import static io.memtrace.collector.SpanFixtures.attr;
import static io.memtrace.collector.SpanFixtures.span;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memtrace.collector.SpanFixtures;
import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.ForkedJvm;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Redis spans as other instrumentations write them (statements only: no {@code memory.key}), sent as OTLP protobuf to a
 * real {@code serve}: the keys read from their statements reach {@code report}'s key sections and the store's columns,
 * named as derived, with the namespace rule of {@code --config}, and a key the statement hid stays unknown.
 */
class StatementKeysIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TRACE = "00000000000000000000000000005e01";

  @Test
  void shouldReportTheKeysOfStatementOnlyRedisSpans() throws Exception {
    Path dir = Files.createDirectories(BuildPaths.IT_WORK.resolve("statement-keys-it-" + System.nanoTime()));
    Path config = dir.resolve("memtrace.yaml");
    // namespaces before the first dot, not the agent's default: the collector must take the rule from --config
    Files.writeString(config, "redis:\n  namespace-from-key: '^([^.]+)\\.'\n");
    Path data = dir.resolve("data");
    List<Span> spans = new ArrayList<>();
    // ioredis: lower-case command, the key kept, the rest counted
    for (int i = 0; i < 3; i++) {
      spans.add(redis(i * 10, "set", "db.query.text", "set plans.p1 [1 other arguments]"));
    }
    spans.add(redis(40, "get", "db.query.text", "get plans.p1"));
    spans.add(redis(50, "get", "db.query.text", "get plans.p2"));
    // the older conventions with a TTL kept (go-redis: every argument); a key with a space, which no statement can
    // tell from two words
    spans.add(redis(60, null, "db.statement", "set sessions.s1 v ex 60"));
    spans.add(redis(70, null, "db.statement", "get sessions.with space"));
    // a sanitizer that hides the key too
    spans.add(redis(80, "SET", "db.query.text", "SET ? ?"));
    try (CollectorProcess serve = CollectorProcess.serve(data, "--config", config.toString())) {
      ExportTraceServiceRequest request = SpanFixtures.request("node-service", spans);
      assertThat(serve.post("/v1/traces", "application/x-protobuf", null, request.toByteArray()).statusCode()).isEqualTo(200);
      serve.awaitLoaded();

      ForkedJvm.Result report = CollectorProcess.command("report", "--data", data.toString(), "--format", "json",
          "--layer", "redis");
      assertThat(report.exitCode).as("%s", report).isZero();
      JsonNode sections = JSON.readTree(report.stdout).path("sections");
      JsonNode hot = sections.path("hot_keys").path("rows");
      assertThat(hot.get(0).path("key").asText()).isEqualTo("plans.p1");
      assertThat(hot.get(0).path("namespace").asText()).isEqualTo("plans");
      assertThat(hot.get(0).path("accesses").asLong()).isEqualTo(4);
      assertThat(hot.get(0).path("writes").asLong()).isEqualTo(3);
      assertThat(hot.findValuesAsText("key")).containsExactlyInAnyOrder("plans.p1", "plans.p2", "sessions.s1");
      assertThat(sections.path("read_once").path("rows").findValuesAsText("key")).contains("plans.p2");
      assertThat(sections.path("hot_keys").path("key_sources").toString())
          .isEqualTo("{\"agent\":0,\"statement\":6,\"hidden\":2}");
      assertThat(sections.path("hot_keys").path("note").asText()).contains("2 spans whose statement hid the key");

      ForkedJvm.Result query = CollectorProcess.command("query", "--data", data.toString(), "--format", "json",
          "SELECT memory_key, memory_namespace, memory_ttl, db_operation_name, attributes['memtrace.derived.from'] "
              + "AS derived_from, attributes['memtrace.unknown'] AS unknown FROM spans ORDER BY start_time");
      assertThat(query.exitCode).as("%s", query).isZero();
      JsonNode rows = JSON.readTree(query.stdout);
      assertThat(rows).hasSize(spans.size());
      JsonNode session = rows.get(5);
      assertThat(session.path("memory_key").asText()).isEqualTo("sessions.s1");
      assertThat(session.path("memory_ttl").asLong()).isEqualTo(60);
      assertThat(session.path("db_operation_name").asText()).as("filled from the statement").isEqualTo("SET");
      assertThat(session.path("derived_from").asText()).isEqualTo("db.statement");
      for (int i : new int[] {6, 7}) {
        JsonNode hidden = rows.get(i);
        assertThat(hidden.path("memory_key").isNull()).as("%s", hidden).isTrue();
        assertThat(hidden.path("unknown").toString()).contains("memory.key");
      }
    }
  }

  private static Span redis(long at, String operation, String attribute, String statement) {
    Span.Builder span = span(TRACE, null, operation == null ? "redis" : operation, at, 2)
        .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
        .addAttributes(attr(attribute.equals("db.statement") ? "db.system" : "db.system.name", "redis"))
        .addAttributes(attr(attribute, statement));
    if (operation != null) {
      span.addAttributes(attr("db.operation.name", operation));
    }
    return span.build();
  }
}
