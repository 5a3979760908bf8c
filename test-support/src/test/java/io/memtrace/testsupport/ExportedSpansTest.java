package io.memtrace.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.memtrace.testsupport.ExportedSpans.Span;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportedSpansTest {

  @TempDir
  Path dir;

  @Test
  void shouldGiveAFreshFileInADirectoryItMakes() throws Exception {
    Path run = dir.resolve("a").resolve("run");

    Path made = ExportedSpans.freshFile(run);
    Files.writeString(made, line("t1", "root", "", "memory.store", 20, "") + "\n");
    Path again = ExportedSpans.freshFile(run);

    assertThat(made).isEqualTo(run.resolve("spans.jsonl"));
    assertThat(again).isEqualTo(made).doesNotExist();
    assertThat(run).isDirectory();
    assertThat(ExportedSpans.read(again).spans).isEmpty();
  }

  @Test
  void shouldReadFinishedLinesOnlyWithTypedAttributes() throws Exception {
    Path file = dir.resolve("spans.jsonl");
    Files.writeString(file, line("t1", "root", "", "memory.store", 20, "{\"key\":\"memory.key\",\"value\":{\"stringValue\":\"a\"}},"
        + "{\"key\":\"memory.value_size\",\"value\":{\"intValue\":\"5\"}}") + "\n"
        + line("t1", "child", "root", "SET", 30, "{\"key\":\"db.query.text\",\"value\":{\"stringValue\":\"SET a ?\"}},"
        + "{\"key\":\"memory.found\",\"value\":{\"boolValue\":true}}") + "\n"
        + line("t1", "early", "root", "GET", 10, "") + "\n"
        + "{\"resourceSpans\":[{\"scopeSpans\""); // still being written

    ExportedSpans exported = ExportedSpans.read(file);

    assertThat(exported.spans).extracting(s -> s.name).containsExactly("memory.store", "SET", "GET");
    Span root = exported.spans.get(0);
    assertThat(root.scope).isEqualTo("io.memtrace.memory");
    assertThat(root.parentSpanId).isEmpty();
    assertThat(root.attributes).containsExactly(entry("memory.key", "a"), entry("memory.value_size", 5L));
    assertThat(root.resource).containsExactly(entry("service.name", "app"));
    assertThat(root.events).containsExactly("memory.store.started");
    assertThat(root.eventAttributes.get(0)).containsExactly(entry("n", 1.5));
    assertThat(exported.childrenOf(root)).extracting(s -> s.name).containsExactly("GET", "SET");
    assertThat(exported.withQuery("SET a ?")).singleElement().satisfies(s -> {
      assertThat(s.attributes).containsEntry("memory.found", true);
      assertThat(s.kind).isEqualTo(Span.KIND_CLIENT);
      assertThat(s.statusCode).isEqualTo(Span.STATUS_OK);
    });
  }

  @Test
  void shouldReadNothingBeforeTheFileExists() throws Exception {
    assertThat(ExportedSpans.read(dir.resolve("absent.jsonl")).spans).isEmpty();
  }

  @Test
  void shouldCollectTheAttributeKeysOfEachMetric() throws Exception {
    Path file = dir.resolve("metrics.jsonl");
    Files.writeString(file, "{\"resourceMetrics\":[{\"scopeMetrics\":[{\"metrics\":["
        + "{\"name\":\"memory.operations\",\"sum\":{\"dataPoints\":[{\"attributes\":[{\"key\":\"memory.operation\"}]},"
        + "{\"attributes\":[{\"key\":\"memory.namespace\"}]}]}},"
        + "{\"name\":\"memory.value.size\",\"histogram\":{\"dataPoints\":[{\"attributes\":[]}]}}]}]}]}\n");

    assertThat(MetricAttributeKeys.read(file)).containsOnlyKeys("memory.operations", "memory.value.size")
        .containsEntry("memory.operations", java.util.Set.of("memory.namespace", "memory.operation"));
    assertThat(MetricAttributeKeys.read(file).get("memory.value.size")).isEmpty();
  }

  private static String line(String trace, String span, String parent, String name, long start, String attributes) {
    String kind = name.startsWith("memory.") ? "1" : "3";
    String scope = name.startsWith("memory.") ? "io.memtrace.memory" : "io.memtrace.jedis";
    String events = name.startsWith("memory.")
        ? "[{\"name\":\"memory.store.started\",\"attributes\":[{\"key\":\"n\",\"value\":{\"doubleValue\":1.5}}]}]" : "[]";
    return "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\"app\"}}]},"
        + "\"scopeSpans\":[{\"scope\":{\"name\":\"" + scope + "\"},\"spans\":[{\"traceId\":\"" + trace + "\",\"spanId\":\""
        + span + "\"," + (parent.isEmpty() ? "" : "\"parentSpanId\":\"" + parent + "\",") + "\"name\":\"" + name
        + "\",\"kind\":" + kind + ",\"startTimeUnixNano\":\"" + start + "\",\"endTimeUnixNano\":\"" + (start + 5)
        + "\",\"attributes\":[" + attributes + "],\"events\":" + events + ",\"status\":{\"code\":1}}]}]}]}";
  }
}
