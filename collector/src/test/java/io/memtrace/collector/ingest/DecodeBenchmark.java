package io.memtrace.collector.ingest;

import io.memtrace.collector.Conventions;
import io.memtrace.collector.bench.RealisticSpans;
import io.memtrace.collector.store.SpanRow;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Not a test: what turning an OTLP protobuf body into store rows costs one thread, per span, by
 * {@link SpanDecoder} and by the generated parser with {@link TraceMapper} (the path it replaced, still taken
 * for what the decoder leaves to it), side by side in rounds on the same bodies: 200 batches of 512 spans
 * of a service's mix ({@link RealisticSpans}). Prints time and bytes allocated per span, per round.
 * Run: {@code java -cp target/test-classes:target/memtrace-collector.jar io.memtrace.collector.ingest.DecodeBenchmark}.
 */
public final class DecodeBenchmark {

  public static void main(String[] args) throws Exception {
    RealisticSpans mix = new RealisticSpans(512L * 200, Conventions.SEED);
    List<byte[]> bodies = new ArrayList<>();
    for (int b = 0; b < 200; b++) {
      bodies.add(mix.batch(b).toByteArray());
    }
    com.sun.management.ThreadMXBean thread = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    for (int round = 0; round < 8; round++) {
      for (boolean decoder : new boolean[] {false, true}) {
        long bytes = thread.getCurrentThreadAllocatedBytes();
        long start = System.nanoTime();
        long spans = 0;
        for (int rep = 0; rep < 5; rep++) {
          for (byte[] body : bodies) {
            List<SpanRow> rows = decoder ? SpanDecoder.decode(body) : TraceMapper.map(ProtobufPayload.parse(body,
                ExportTraceServiceRequest.parser(), ExportTraceServiceRequest.getDescriptor(), new TextRepairs()));
            spans += rows.size();
          }
        }
        System.out.printf("round %d, %-34s %.2f us and %,d bytes per span%n", round,
            decoder ? "SpanDecoder:" : "generated parser + TraceMapper:", (System.nanoTime() - start) / 1e3 / spans,
            (thread.getCurrentThreadAllocatedBytes() - bytes) / spans);
      }
    }
  }
}
