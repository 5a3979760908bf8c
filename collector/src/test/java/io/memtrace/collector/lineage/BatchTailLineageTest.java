package io.memtrace.collector.lineage;

import static io.memtrace.collector.SpanFixtures.attr;
import static io.memtrace.collector.SpanFixtures.span;
import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.collector.SpanFixtures;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.store.SpanStore;
import io.memtrace.collector.store.TestStores;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pipeline's write that arrives late, in the {@code span_ingest} tail, is the writer of a stored read that began after
 * it: its span names no key (its {@code memtrace.batch.command} events do), so the trace's lineage must not be read
 * from the stored answers alone, which name the write before it.
 */
class BatchTailLineageTest {

  private static final String WRITER = "000000000000000000000000000b0001";
  private static final String READER = "000000000000000000000000000b0002";
  private static final String BATCH = "000000000000000000000000000b0003";

  @TempDir
  Path dir;

  @Test
  void shouldNameALateBatchWriteInTheTailAsTheStoredReadsWriter() throws Exception {
    try (SpanStore store = TestStores.open(dir, true)) {
      TestStores.write(store, SpanFixtures.request("svc-a", List.of(LineageFixtures.redis(WRITER, "SET", 100, "bt:1"),
          LineageFixtures.redis(READER, "GET", 500, "bt:1", "memory.found", true))));
    }
    try (SpanStore store = TestStores.open(dir, false)) {
      TestStores.write(store, SpanFixtures.request("svc-b", List.of(pipeline(BATCH, 300, "SET", "bt:1"))));
      try (Connection connection = store.newConnection()) {
        SqlSource source = TestStores.source(connection);
        TraceLineage.Trace trace = new TraceLineage.Trace(READER, List.of("bt:1"), SpanFixtures.T0 / 1000,
            SpanFixtures.T0 / 1000 + 1_000_000);
        Map<String, ReadLineage> reads = TraceLineage.of(source, List.of(trace)).get(READER);
        assertThat(reads).hasSize(1);
        ReadLineage read = reads.values().iterator().next();
        assertThat(read.writer()).isEqualTo("seen");
        assertThat(read.writeTraceId()).as("the pipeline's SET, not the stored SET before it").isEqualTo(BATCH);
        assertThat(TraceLineage.of(source, List.of(trace))).isEqualTo(
            TraceLineage.of(source, List.of(trace), KeyEvents.of(source, trace.keys()).viewOnly()));
      }
    }
  }

  /** A pipeline's span at {@code at} (2 ms) whose one command, {@code command} of {@code key}, is in its event. */
  private static Span pipeline(String trace, long at, String command, String key) {
    return span(trace, null, "PIPELINE " + command, at, 2).setKind(Span.SpanKind.SPAN_KIND_CLIENT)
        .addAttributes(attr("db.system.name", "redis")).addAttributes(attr("db.operation.name", "PIPELINE " + command))
        .addAttributes(attr("server.address", LineageFixtures.REDIS)).addAttributes(attr("server.port", LineageFixtures.PORT))
        .addAttributes(attr("db.namespace", "0"))
        .addEvents(Span.Event.newBuilder().setName(LineageViews.BATCH_COMMAND)
            .setTimeUnixNano(SpanFixtures.T0 + (at + 2) * 1_000_000L)
            .addAttributes(attr("db.operation.name", command)).addAttributes(attr("memory.key", key))
            .addAttributes(attr("memory.namespace", key.substring(0, key.indexOf(':')))))
        .build();
  }
}
