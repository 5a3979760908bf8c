package io.memtrace.agent.pipeline.retention;

import static io.memtrace.agent.semconv.AttributeNames.DB_OPERATION_NAME;
import static io.memtrace.agent.semconv.AttributeNames.MEMORY_NAMESPACE;
import static io.memtrace.agent.semconv.AttributeNames.MEMTRACE_COMPRESSED_COUNT;
import static io.memtrace.agent.semconv.AttributeNames.OTHER;
import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.agent.span.SpanRecord;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Counts per (command, namespace): bounded, and never losing a count. */
class CompressedCountsTest {

  private static long add(CompressedCounts counts, String command, String namespace) {
    byte[] bytes = namespace == null ? null : namespace.getBytes(StandardCharsets.UTF_8);
    return counts.add(command, bytes, bytes == null ? 0 : bytes.length, 1_000);
  }

  private static Map<String, Long> events(CompressedCounts counts) {
    SpanRecord record = new SpanRecord();
    record.name = "x";
    counts.writeTo(record, 1);
    return record.events().stream().collect(Collectors.toMap(e -> e.getAttributes().get(DB_OPERATION_NAME)
        + "/" + e.getAttributes().get(MEMORY_NAMESPACE), e -> e.getAttributes().get(MEMTRACE_COMPRESSED_COUNT)));
  }

  @Test
  void shouldCountEachPairApartAndTellNoNamespaceFromAnEmptyOne() {
    CompressedCounts counts = new CompressedCounts(8);
    add(counts, "GET", "user");
    add(counts, "GET", "user");
    add(counts, "GET", null);
    add(counts, "GET", "");
    assertThat(add(counts, "SET", "user")).isEqualTo(1);

    assertThat(events(counts)).containsOnly(Map.entry("GET/user", 2L), Map.entry("GET/null", 1L),
        Map.entry("GET/", 1L), Map.entry("SET/user", 1L));
    assertThat(counts.total()).isEqualTo(5);
  }

  @Test
  void shouldFoldNamespacesPastTheBoundIntoOtherAndCountThem() {
    CompressedCounts counts = new CompressedCounts(4);
    for (int i = 0; i < 1_000; i++) {
      add(counts, "GET", "tenant" + i);
    }
    for (int c = 0; c < CompressedCounts.FOLDED + 10; c++) {
      add(counts, "CMD" + c, "tenant");
    }

    Map<String, Long> events = events(counts);
    assertThat(events).containsEntry("GET/tenant0", 1L).containsEntry("GET/" + OTHER, 996L)
        .containsEntry(OTHER + "/" + OTHER, 11L);
    assertThat(events.size()).isLessThanOrEqualTo(4 + CompressedCounts.FOLDED + 1);
    assertThat(events.values().stream().mapToLong(Long::longValue).sum()).as("nothing left out")
        .isEqualTo(1_000 + CompressedCounts.FOLDED + 10);
  }

  @Test
  void shouldAddAnotherCountsPairByPairAndStartAfreshWhenCleared() {
    CompressedCounts a = new CompressedCounts(8);
    CompressedCounts b = new CompressedCounts(8);
    add(a, "GET", "user");
    add(b, "GET", "user");
    add(b, "DEL", null);

    a.addAll(b);
    assertThat(events(a)).containsOnly(Map.entry("GET/user", 2L), Map.entry("DEL/null", 1L));
    assertThat(a.total()).isEqualTo(3);

    a.clear();
    assertThat(a.isEmpty()).isTrue();
    assertThat(add(a, "GET", "user")).isEqualTo(1);
  }
}
