package io.memtrace.collector.timeseries;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memtrace.collector.SpanFixtures;
import io.memtrace.collector.ingest.TraceMapper;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code --timeseries} lines as written: which namespace holds the keys written and never read, or kept without TTL. */
class TimeseriesWriterTest {

  private static final String TRACE = "0000000000000000000000000000feed";

  @TempDir
  Path dir;

  @Test
  void shouldCountLeakingKeysPerNamespaceAndKeepAnIdleLeakInSight() throws Exception {
    KeyUsageTracker tracker = new KeyUsageTracker();
    Path file = dir.resolve("series.jsonl");
    // an hour: no line comes from the timer, only from the calls below
    try (TimeseriesWriter writer = new TimeseriesWriter(file, tracker, 3_600_000)) {
      List<Span> spans = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        spans.add(op("store", "leak:" + i, "stress/leak", "memory.ttl", 0L));
      }
      for (int i = 0; i < 3; i++) {
        spans.add(op("store", "session:" + i, "session", "memory.ttl", 60L));
        spans.add(op("retrieve", "session:" + i, "session"));
      }
      tracker.committed(TraceMapper.map(SpanFixtures.request("leaky-app", spans)));
      writer.writeInterval();
      tracker.committed(TraceMapper.map(SpanFixtures.request("leaky-app", List.of(op("retrieve", "session:0", "session")))));
    }
    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(2);
    JsonNode first = new ObjectMapper().readTree(lines.get(0));
    assertThat(first.at("/namespaces/stress~1leak")).hasToString("{\"operations\":5,\"new_keys\":5,\"bytes_written\":50,"
        + "\"written_never_read_keys\":5,\"keys_without_ttl\":5}");
    assertThat(first.at("/namespaces/session")).hasToString("{\"operations\":6,\"new_keys\":3,\"bytes_written\":30,"
        + "\"written_never_read_keys\":0,\"keys_without_ttl\":0}");
    assertThat(first.path("written_never_read_keys").asLong()).isEqualTo(5);
    assertThat(first.path("keys_without_ttl").asLong()).isEqualTo(5);
    JsonNode idle = new ObjectMapper().readTree(lines.get(1));
    assertThat(idle.at("/namespaces/stress~1leak")).as("no operation in this interval, still listed")
        .hasToString("{\"operations\":0,\"new_keys\":0,\"bytes_written\":0,\"written_never_read_keys\":5,\"keys_without_ttl\":5}");
    assertThat(idle.at("/namespaces/session/operations").asLong()).isEqualTo(1);
    assertThat(idle.path("rapid_growth")).isEmpty();
  }

  private static Span op(String operation, String key, String namespace, Object... extra) {
    return SpanFixtures.memory(TRACE, null, operation, 0, 1, key, namespace, operation.equals("store") ? 10L : null, extra);
  }
}
