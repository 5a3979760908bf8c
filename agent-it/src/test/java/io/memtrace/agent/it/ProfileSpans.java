package io.memtrace.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.testsupport.ExportedSpans;
import io.memtrace.testsupport.ExportedSpans.Span;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** The memory spans a built-in profile (Spring AI, LangChain4j) makes, as its tests read them. */
final class ProfileSpans {

  private ProfileSpans() {
  }

  /**
   * Asserts that each span is a memory call's as the profiles name it, in the seed's names and the GenAI ones: kind
   * INTERNAL, named {@code memory.<operation>}, its store and record ids its namespace and key.
   */
  static void assertMemorySpansInBothNames(List<Span> spans) {
    assertThat(spans).allSatisfy(s -> {
      assertThat(s.kind).as("kind of %s", s).isEqualTo(Span.KIND_INTERNAL);
      assertThat(s.attributes.get("gen_ai.memory.store.id")).as("store id of %s", s)
          .isEqualTo(s.attributes.get("memory.namespace")).isNotNull();
      assertThat(s.attributes.get("gen_ai.memory.record.id")).as("record id of %s", s)
          .isEqualTo(s.attributes.get("memory.key"));
      assertThat(s.name).isEqualTo("memory." + s.attributes.get("memory.operation"));
      assertThat(s.attributes.get("gen_ai.operation.name")).as("GenAI operation of %s", s)
          .isEqualTo(genAiOperation((String) s.attributes.get("memory.operation")));
    });
  }

  /** The memory spans of one class (its simple name) and seed operation ({@code null}: any), in start order. */
  static List<Span> memory(ExportedSpans exported, String namespace, String operation) {
    return exported.where(s -> namespace.equals(s.attributes.get("memory.namespace"))
            && (operation == null || operation.equals(s.attributes.get("memory.operation"))))
        .stream().sorted((a, b) -> Long.compare(a.start, b.start)).collect(Collectors.toList());
  }

  /** The contract's default mapping from memtrace's operation to {@code gen_ai.operation.name}. */
  static String genAiOperation(String operation) {
    switch (operation) {
      case "store":
        return "upsert_memory";
      case "retrieve":
      case "search":
        return "search_memory";
      case "delete":
        return "delete_memory";
      default:
        throw new AssertionError("no GenAI operation expected for " + operation);
    }
  }

  /** The texts' size in UTF-8, as {@code memory.value_size} counts it. */
  static long utf8(String... texts) {
    return Arrays.stream(texts).mapToLong(t -> t.getBytes(StandardCharsets.UTF_8).length).sum();
  }
}
