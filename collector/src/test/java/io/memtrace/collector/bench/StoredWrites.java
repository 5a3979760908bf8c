package io.memtrace.collector.bench;

import static io.memtrace.collector.SpanFixtures.attr;

import io.memtrace.collector.SpanFixtures;
import io.memtrace.collector.reader.KeyChange;
import io.memtrace.collector.store.TestStores;
import io.memtrace.collector.values.CapturedValue;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Writes a benchmark's captured writes into an embedded store as the agent sends them: one Redis span each. */
final class StoredWrites {

  private static final int BATCH = 2_000;

  private StoredWrites() {
  }

  static void fill(Path dir, List<CapturedValue> values, List<KeyChange> changes) throws Exception {
    long t0 = System.nanoTime();
    try (io.memtrace.collector.store.SpanStore store = TestStores.open(dir, true)) {
      List<Span> batch = new ArrayList<>(BATCH);
      for (int i = 0; i < values.size(); i++) {
        CapturedValue v = values.get(i);
        KeyChange c = changes.get(i);
        long end = c.endUs() * 1_000;
        batch.add(Span.newBuilder().setTraceId(SpanFixtures.hex(v.traceId())).setSpanId(SpanFixtures.hex(v.spanId()))
            .setName(v.operation()).setKind(Span.SpanKind.SPAN_KIND_CLIENT).setStartTimeUnixNano(c.timeUs() * 1_000)
            .setEndTimeUnixNano(end).addAttributes(attr("db.system.name", "redis"))
            .addAttributes(attr("db.operation.name", v.operation())).addAttributes(attr("db.namespace", "0"))
            .addAttributes(attr("server.address", "localhost")).addAttributes(attr("server.port", 6379L))
            .addAttributes(attr("memory.key", v.key())).addAttributes(attr("memory.namespace", v.namespace()))
            .addEvents(Span.Event.newBuilder().setName("memory.value").setTimeUnixNano(end)
                .addAttributes(attr("memory.key", v.key()))
                .addAttributes(attr("memory.value.change", v.change().wire()))
                .addAttributes(attr("memory.value.type", v.type())).addAttributes(attr("memory.value", v.value()))
                .addAttributes(attr("memory.value.encoding", "utf8"))
                .addAttributes(attr("memory.value.size", v.size())))
            .build());
        if (batch.size() == BATCH || i == values.size() - 1) {
          ExportTraceServiceRequest request = SpanFixtures.request("bench", batch);
          TestStores.write(store, request);
          batch.clear();
        }
      }
    }
    System.out.printf("stored %d spans with value events in %d s (not timed)%n", values.size(),
        (System.nanoTime() - t0) / 1_000_000_000);
  }
}
