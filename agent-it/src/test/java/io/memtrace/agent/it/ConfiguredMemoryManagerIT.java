package io.memtrace.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.ExportedSpans;
import io.memtrace.testsupport.ExportedSpans.Span;
import io.memtrace.testsupport.ForkedJvm;
import io.memtrace.testsupport.MemtraceYaml;
import io.memtrace.testsupport.TestPrograms;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A memory manager with a shape memtrace was never written for (async methods, records, Optional
 * returns, a default method) gets seed-000 spans from a YAML file alone; a retrieve without
 * {@code found} tells a miss from an empty Optional or a null result.
 */
class ConfiguredMemoryManagerIT {

  private static final String CONFIG = String.join("\n",
      "span-prefix: vec",
      "memory-managers:",
      "  - type: AsyncMemoryProgram$VectorStore",
      "    attributes: { memory.layer: vectors }",
      "    methods:",
      "      - { name: put, operation: store, key: arg1.id, value: arg1.text, namespace: arg0.tenant, ttl: arg0.ttl, attributes: { entry.tags: arg1.tags.size } }",
      "      - { name: get, operation: retrieve, key: arg1, namespace: arg0.tenant, found: return.present, value: return.text }",
      "      - { name: peek, operation: retrieve, key: arg1, attributes: { via: peek } }",
      "      - { name: find, operation: retrieve, key: arg1, attributes: { via: find } }",
      "      - { name: query, operation: search, key: arg1, namespace: arg0.tenant, results: return.size }",
      "      - { name: remove, operation: delete, key: arg1, namespace: arg0.tenant, found: return }",
      "");

  /** memory.found by memory.key of the retrieve spans of the rule whose {@code via} is {@code method}. */
  private static Map<Object, Object> foundByKey(ExportedSpans exported, String method) {
    Map<Object, Object> found = new HashMap<>();
    for (Span span : exported.where(s -> method.equals(s.attributes.get("via")))) {
      found.put(span.attributes.get("memory.key"), span.attributes.get("memory.found"));
    }
    return found;
  }

  @Test
  void shouldTraceAnAsyncRecordAndOptionalMemoryManagerFromYamlAlone() throws Exception {
    String classPath = TestPrograms.compileForRelease("async-memory", "17", ".", "AsyncMemoryProgram.java");
    Path dir = BuildPaths.IT_WORK.resolve("async-memory");
    Path config = MemtraceYaml.write(dir, CONFIG);
    Path spansFile = ExportedSpans.freshFile(dir);

    ForkedJvm.Result without = ForkedJvm.program(classPath, "AsyncMemoryProgram").run(dir.resolve("plain"));
    ForkedJvm.Result with = ForkedJvm.program(classPath, "AsyncMemoryProgram")
        .withAgent("config=" + config).everySpan()
        .tracesTo(spansFile)
        .run(dir.resolve("traced"));

    assertThat(without.exitCode).as("%s", without).isZero();
    assertThat(with.exitCode).as("%s", with).isZero();
    assertThat(with.stdout).isEqualTo(without.stdout).contains("put returned before completion: true");
    assertThat(with.stderr).contains("method rules 6").doesNotContain("failed on");

    ExportedSpans exported = ExportedSpans.read(spansFile);
    List<Span> stores = exported.where(s -> s.name.equals("vec.memory.store"));
    assertThat(stores).hasSize(2);
    Span doc1 = stores.stream().filter(s -> "doc-1".equals(s.attributes.get("memory.key"))).findFirst().orElseThrow();
    assertThat(doc1.attributes)
        .containsEntry("memory.operation", "store")
        .containsEntry("memory.namespace", "tenant-a")
        .containsEntry("memory.ttl", 1800L)
        .containsEntry("memory.value_size", (long) "café notes about caching".getBytes("UTF-8").length)
        .containsEntry("memory.layer", "vectors")
        .containsEntry("entry.tags", 2L);
    assertThat(doc1.end - doc1.start).as("an async store ends when its future completes").isGreaterThanOrEqualTo(50_000_000L);
    assertThat(doc1.events).containsExactly("memory.store.started", "memory.store.completed");

    // get says found: return.present, read on the Optional itself
    Span hit = exported.where(s -> s.name.equals("vec.memory.retrieve") && "doc-1".equals(s.attributes.get("memory.key"))
        && s.attributes.get("via") == null).get(0);
    assertThat(hit.attributes).containsEntry("memory.found", true)
        .containsEntry("memory.value_size", (long) "café notes about caching".getBytes("UTF-8").length)
        .as("a read of the value the store wrote: its fingerprint")
        .containsEntry("memory.value.fingerprint", doc1.attributes.get("memory.value.fingerprint"));
    assertThat((String) doc1.attributes.get("memory.value.fingerprint")).matches("[0-9a-f]{16}");
    assertThat(Files.readString(spansFile)).as("no value byte leaves").doesNotContain("café notes about caching");
    Span miss = exported.where(s -> s.name.equals("vec.memory.retrieve") && "doc-9".equals(s.attributes.get("memory.key"))
        && s.attributes.get("via") == null).get(0);
    assertThat(miss.attributes).containsEntry("memory.found", false).doesNotContainKey("memory.value_size");
    assertThat(miss.events).containsExactly("memory.retrieve.started", "memory.retrieve.not_found");
    assertThat(miss.statusCode).as("not found is OK").isEqualTo(1);

    assertThat(foundByKey(exported, "peek")).as("found inferred from a null result")
        .containsEntry("doc-1", true).containsEntry("doc-9", false);
    assertThat(foundByKey(exported, "find")).as("found inferred from an empty Optional, on a default method")
        .containsEntry("doc-2", true).containsEntry("doc-9", false);
    assertThat(exported.where(s -> "doc-9".equals(s.attributes.get("memory.key")) && s.name.equals("vec.memory.retrieve")))
        .as("every miss is a not-found retrieve").hasSize(3)
        .allSatisfy(s -> assertThat(s.events).containsExactly("memory.retrieve.started", "memory.retrieve.not_found"));

    Span query = exported.where(s -> s.name.equals("vec.memory.search") && "notes".equals(s.attributes.get("memory.key"))).get(0);
    assertThat(query.attributes).containsEntry("memory.result_count", 2L);
    Span failed = exported.where(s -> s.name.equals("vec.memory.search") && "offline".equals(s.attributes.get("memory.key"))).get(0);
    assertThat(failed.statusCode).isEqualTo(Span.STATUS_ERROR);
    assertThat(failed.events).contains("exception");
    assertThat(failed.attributes).containsEntry("error.type", "java.lang.IllegalStateException");

    Span remove = exported.where(s -> s.name.equals("vec.memory.delete")).get(0);
    assertThat(remove.attributes).containsEntry("memory.key", "doc-2").containsEntry("memory.found", true);
    assertThat(exported.spans).allSatisfy(s -> assertThat(s.parentSpanId).isEmpty());
  }
}
