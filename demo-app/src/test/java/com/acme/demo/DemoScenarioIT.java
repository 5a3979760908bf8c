package com.acme.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.ExportedSpans;
import io.memtrace.testsupport.ExportedSpans.Span;
import io.memtrace.testsupport.ForkedJvm;
import io.memtrace.testsupport.MetricAttributeKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo jar, unmodified, under the real agent jar with {@code demo-app/memtrace.yaml}: the
 * exported trace is the seed-000 "Test Plan Creation and Execution" tree, and the seed-001 metrics
 * are exported.
 */
class DemoScenarioIT {

  private static List<Span> spans;
  private static Map<String, Set<String>> metrics;
  private static String stdout;

  @BeforeAll
  static void runDemoUnderTheAgent() throws Exception {
    Path work = BuildPaths.IT_WORK;
    Files.createDirectories(work);
    Path spansFile = work.resolve("spans.jsonl");
    Path metricsFile = work.resolve("metrics.jsonl");
    Files.deleteIfExists(spansFile);
    Files.deleteIfExists(metricsFile);
    ForkedJvm.Result run = ForkedJvm.jar(BuildPaths.DEMO_JAR).withAgent("config=" + BuildPaths.DEMO_CONFIG)
        .tracesTo(spansFile)
        .env("MEMTRACE_METRICS_FILE", metricsFile.toString())
        .run(work);
    stdout = run.stdout;
    assertThat(run.exitCode).as("%s", run).isZero();
    assertThat(run.stderr).contains("memtrace.events.dropped=0").doesNotContain("failed on").doesNotContain("ERROR");
    spans = ExportedSpans.read(spansFile).spans;
    metrics = MetricAttributeKeys.read(metricsFile);
  }

  @Test
  void shouldPrintWhatEachStepDid() {
    assertThat(stdout).contains("execute: 3 of 3 tests passed", "analyze: coverage report over 5 plans",
        "cleanup: plan deleted=true", "recheck: test-plan-invalid exists=false", "audit: audit failed: WRONGTYPE");
  }

  @Test
  void shouldExportTheSeed000TreeAsOneTrace() {
    Span workflow = one(s -> s.name.equals("aqe.workflow")
        && "Test Plan Creation and Execution".equals(s.attributes.get("workflow.name")));
    assertThat(workflow.parentSpanId).isEmpty();
    List<Span> trace = spans.stream().filter(s -> s.traceId.equals(workflow.traceId)).collect(Collectors.toList());

    List<Span> tasks = children(trace, workflow);
    assertThat(tasks).extracting(s -> s.name).containsExactly("aqe.task.generate", "aqe.task.execute",
        "aqe.task.analyze", "aqe.task.cleanup", "aqe.task.recheck", "aqe.task.audit");
    assertThat(tasks).extracting(s -> s.attributes.get("agent.id")).containsExactly("qe-test-generator",
        "qe-test-executor", "qe-coverage-analyzer", "qe-fleet-commander", "qe-test-executor", "qe-fleet-commander");
    assertThat(tasks).allSatisfy(t -> assertThat(t.statusCode).isEqualTo(1));

    Span store = only(children(trace, tasks.get(0)));
    assertThat(store.name).isEqualTo("aqe.memory.store");
    assertThat(store.attributes).containsEntry("memory.operation", "store")
        .containsEntry("memory.namespace", "aqe/test-plans").containsEntry("memory.key", "test-plan-user-service")
        .containsEntry("memory.ttl", 3600L).containsEntry("agent.id", "qe-test-generator")
        .containsEntry("agent.type", "test-generator").containsEntry("memory.layer", "shared")
        .containsKey("memory.operation_duration_ms");
    long planSize = (Long) store.attributes.get("memory.value_size");
    assertThat(planSize).isGreaterThan(150);
    assertThat(ownEvents(store)).containsExactly("memory.store.started", "memory.store.completed");
    assertThat(store.statusCode).isEqualTo(1);
    Span set = only(children(trace, store));
    assertThat(set.name).isEqualTo("SET");
    assertThat(set.attributes).containsEntry("memory.value_size", planSize);

    List<Span> executed = children(trace, tasks.get(1));
    assertThat(executed).extracting(s -> s.name).containsExactly("aqe.memory.retrieve", "aqe.test.execute",
        "aqe.test.execute", "aqe.test.execute");
    assertThat(executed.get(0).attributes).containsEntry("memory.found", true).containsEntry("memory.value_size", planSize)
        .containsEntry("agent.id", "qe-test-executor");
    // OpenTelemetry's test.case.name, which memtrace traces shows in brackets as seed 000 does
    assertThat(executed.subList(1, 4)).extracting(s -> s.attributes.get("test.case.name"))
        .containsExactly("UserService.create", "UserService.update", "UserService.delete");

    List<Span> analyzed = children(trace, tasks.get(2));
    assertThat(analyzed).extracting(s -> s.name).containsExactly("aqe.memory.search", "aqe.memory.store");
    assertThat(analyzed.get(0).attributes).containsEntry("memory.key", "test-plan-%").containsEntry("memory.result_count", 5L)
        .containsEntry("memory.namespace", "aqe/test-plans");
    assertThat(analyzed.get(1).attributes).containsEntry("memory.key", "coverage-report-user-service")
        .containsEntry("memory.namespace", "aqe/reports");
    assertThat((Long) analyzed.get(1).attributes.get("memory.value_size")).isGreaterThan(planSize);

    Span delete = only(children(trace, tasks.get(3)));
    assertThat(delete.name).isEqualTo("aqe.memory.delete");
    assertThat(delete.attributes).containsEntry("memory.namespace", "aqe/test-plans").containsEntry("memory.key", "test-plan-user-service");

    Span missing = only(children(trace, tasks.get(4)));
    assertThat(missing.attributes).containsEntry("memory.found", false).containsEntry("memory.key", "test-plan-invalid");
    assertThat(ownEvents(missing)).containsExactly("memory.retrieve.started", "memory.retrieve.not_found");
    assertThat(missing.statusCode).as("not found is OK").isEqualTo(1);

    Span failed = only(children(trace, tasks.get(5)));
    assertThat(failed.statusCode).isEqualTo(2);
    assertThat(ownEvents(failed)).containsExactly("memory.retrieve.started", "exception");
    assertThat(failed.attributes).doesNotContainKey("memory.found");
    Span get = only(children(trace, failed));
    assertThat(get.statusCode).isEqualTo(2);
    assertThat(get.attributes).containsEntry("error.type", "WRONGTYPE");
  }

  @Test
  void shouldTagEachLayerOfTheLayeredMemory() {
    Span session = one(s -> s.name.equals("aqe.workflow") && "Layered memory session".equals(s.attributes.get("workflow.name")));
    List<Span> memory = children(spans, session);
    assertThat(memory.stream().map(s -> s.attributes.get("memory.layer")).collect(Collectors.toSet()))
        .containsExactlyInAnyOrder("session", "cache", "deep", "paf");
    // two cache misses: a key never cached, and the login state read after its one-second TTL ran out
    assertThat(memory).filteredOn(s -> "cache".equals(s.attributes.get("memory.layer")) && Boolean.FALSE.equals(s.attributes.get("memory.found")))
        .extracting(s -> s.attributes.get("memory.key")).containsExactlyInAnyOrder("oauth-providers", "oauth-state");
    assertThat(memory).filteredOn(s -> Boolean.FALSE.equals(s.attributes.get("paf.holds"))).hasSize(1);
  }

  /** The planner's model calls, to the stand-in model the demo started, each linked to its chat-memory read. */
  @Test
  void shouldLinkThePlannersModelCallsToTheirChatMemoryRead() {
    assertThat(stdout).contains("planner: its model is a stand-in, an OpenAI-compatible server this demo started on "
        + "http://127.0.0.1:").contains("plan 2: Plan (turn 2)");
    Span planning = one(s -> s.name.equals("aqe.workflow") && "Planning with a model".equals(s.attributes.get("workflow.name")));
    List<Span> calls = spans.stream().filter(s -> "chat".equals(s.attributes.get("gen_ai.operation.name")))
        .sorted(Comparator.comparingLong(s -> s.start)).collect(Collectors.toList());
    assertThat(calls).hasSize(2).allSatisfy(call -> {
      assertThat(call.name).isEqualTo("chat demo-planner");
      assertThat(call.traceId).isEqualTo(planning.traceId);
      assertThat(call.attributes).containsEntry("gen_ai.provider.name", "openai")
          .containsEntry("gen_ai.conversation.id", "planning-user-service").containsKey("gen_ai.usage.input_tokens");
      assertThat(call.links).hasSize(1);
      assertThat(call.links.get(0).attributes).containsEntry("memtrace.context.source", "chat_memory");
    });
    for (int t = 0; t < 2; t++) {
      Span call = calls.get(t);
      // the system message and the first question; then the answer and the second question too
      assertThat(call.attributes).containsEntry("memtrace.context.messages", 2L + 2 * t);
      ExportedSpans.Link link = call.links.get(0);
      Span read = one(s -> s.spanId.equals(link.spanId) && s.traceId.equals(link.traceId));
      assertThat(read.attributes).containsEntry("memory.operation", "retrieve")
          .containsEntry("memory.key", "planning-user-service");
      assertThat(read.end).as("read before the call").isLessThanOrEqualTo(call.start);
    }
  }

  @Test
  void shouldExportTheSeed001Metrics() {
    assertThat(metrics).containsKeys("memory.operation.duration", "memory.operations", "memory.operation.errors",
        "memory.cache.hits", "memory.cache.misses", "memory.value.size", "memory.search.results",
        "db.client.operation.duration", "memtrace.events.dropped", "memtrace.events.exported", "memtrace.export.failures");
    assertThat(metrics.get("memory.operations")).contains("memory.operation", "memory.namespace", "memory.system",
        "memory.outcome", "memory.layer").doesNotContain("memory.key", "agent.id");
    assertThat(metrics.get("db.client.operation.duration")).contains("db.system.name", "db.operation.name");
    metrics.values().forEach(keys -> assertThat(keys).doesNotContain("memory.key", "db.query.text"));
  }

  private static Span one(java.util.function.Predicate<Span> filter) {
    List<Span> found = spans.stream().filter(filter).collect(Collectors.toList());
    assertThat(found).hasSize(1);
    return found.get(0);
  }

  /**
   * A span's events without retention's {@code memtrace.compressed} counts: the demo runs with memtrace's defaults, so
   * a memory call whose Redis command was compressed (sent as a key event) also says how many it holds.
   */
  private static List<String> ownEvents(Span span) {
    return span.events.stream().filter(e -> !e.equals("memtrace.compressed")).collect(Collectors.toList());
  }

  private static Span only(List<Span> list) {
    assertThat(list).hasSize(1);
    return list.get(0);
  }

  private static List<Span> children(List<Span> all, Span parent) {
    List<Span> out = new ArrayList<>();
    for (Span s : all) {
      if (s.parentSpanId.equals(parent.spanId)) {
        assertThat(s.traceId).isEqualTo(parent.traceId);
        out.add(s);
      }
    }
    out.sort(Comparator.comparingLong(s -> s.start));
    return out;
  }
}
