package io.memtrace.collector.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.collector.Cli;
import io.memtrace.collector.Conventions;
import io.memtrace.collector.SpanFixtures;
import io.memtrace.collector.store.TestStores;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trace view reads a memory span the same whether it carries the seed names, the GenAI names or both. */
class ConventionsTracesTest {

  static final String CHAT = "0000000000000000000000000000c4a7";

  @TempDir
  static Path dir;

  @BeforeAll
  static void storeTheTracesOncePerConvention() throws Exception {
    for (Conventions c : Conventions.values()) {
      TestStores.fill(dir.resolve(c.name()), c.shape(SpanFixtures.seedTrace()), c.shape(TracesCommandTest.layered()),
          c.shape(chat()));
    }
  }

  /** A chat memory saving three messages and a vector search finding four documents, as Spring AI's profile records them. */
  static ExportTraceServiceRequest chat() {
    Span task = SpanFixtures.span(CHAT, null, "aqe.task.chat", 0, 30).addAttributes(SpanFixtures.attr("agent.id", "assistant"))
        .build();
    return SpanFixtures.request("chat-app", List.of(task,
        SpanFixtures.memory(CHAT, task.getSpanId(), "store", 1, 4, "conv-1", "InMemoryChatMemoryRepository", 300L,
            "memory.item_count", 3L),
        SpanFixtures.memory(CHAT, task.getSpanId(), "search", 10, 6, null, "SimpleVectorStore", null,
            "memory.result_count", 4L, "memory.search.top_k", 4L)));
  }

  @Test
  void shouldDrawTheSameDetailsAndSummaryUnderEitherNames() {
    String seed = traces(Conventions.SEED, SpanFixtures.SEED_TRACE);
    assertThat(seed).contains("Memory Operations: 5 (2 store, 1 retrieve, 1 search, 1 delete)\n");
    assertThat(traces(Conventions.BOTH, SpanFixtures.SEED_TRACE)).as("the seed names, and GenAI attributes beside them")
        .isEqualTo(seed);
    String genAi = traces(Conventions.GENAI, SpanFixtures.SEED_TRACE);
    assertThat(details(genAi)).isEqualTo(details(seed)).contains("└─ namespace: aqe/test-plans, found: true, size: 387 bytes",
        "└─ namespace: aqe/test-plans, pattern: test-plan-%, results: 5");
    assertThat(summary(genAi)).isEqualTo(summary(seed));
    assertThat(genAi).as("the spans keep their own names").contains("00:00.005 upsert_memory [test-plan-user-service]")
        .contains("00:00.055 search_memory [test-plan-user-service]").contains("00:00.255 search_memory [test-plan-%]")
        .contains("00:00.405 delete_memory [test-plan-user-service]").doesNotContain("aqe.memory.");
  }

  @Test
  void shouldCountEveryByteOnceUnderGenAiMemorySpans() {
    for (Conventions c : Conventions.values()) {
      assertThat(traces(c, TracesCommandTest.LAYERED)).as("%s", c).contains("Memory Operations: 2 (1 store, 1 retrieve)\n")
          .contains("Redis Commands: 3 (1 SET, 2 GET)\n").contains("Data Transferred: " + TimelineRenderer.size(2024) + "\n");
    }
  }

  @Test
  void shouldShowAStoresItemCountAndASearchsResultCountFromTheGenAiRecordCount() {
    for (Conventions c : Conventions.values()) {
      assertThat(details(traces(c, CHAT))).as("%s", c).containsExactly(
          "└─ namespace: InMemoryChatMemoryRepository, size: 300 bytes, items: 3",
          "└─ namespace: SimpleVectorStore, results: 4");
    }
  }

  private static String traces(Conventions c, String trace) {
    Cli result = Cli.run("traces", "--data", dir.resolve(c.name()).toString(), "--trace", trace);
    assertThat(result.exitCode).as("%s", result).isZero();
    return result.out;
  }

  /** The detail lines under the spans, without the box's borders. */
  private static List<String> details(String out) {
    return out.lines().filter(l -> l.contains("└─ ")).map(l -> l.replace("│", "").strip()).toList();
  }

  /** The lines under the box. */
  private static List<String> summary(String out) {
    return out.lines().dropWhile(l -> !l.startsWith("└")).skip(1).toList();
  }
}
