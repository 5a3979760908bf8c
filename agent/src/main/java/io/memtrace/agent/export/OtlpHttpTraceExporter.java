package io.memtrace.agent.export;

import io.memtrace.agent.span.SpanRecord;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * OTLP/HTTP protobuf span export, straight from the consumer's {@link SpanRecord}s: the consumer
 * thread encodes a batch into a pooled buffer ({@link OtlpTraceEncoder}) and the
 * {@link OtlpHttpSender} posts it from its own thread. Buffers come back to the pool when their
 * export ends; the dispatcher keeps at most a few exports in flight, so the pool stays that small.
 *
 * <p>This replaces the SDK's {@code OtlpHttpSpanExporter} for traces because encoding through
 * {@code SpanData} and the SDK's marshalers was most of the consumer's cost (see
 * {@link SpanRecord}); the wire format is the same, checked field by field against the SDK's
 * encoding in {@code OtlpTraceEncoderTest}.
 */
public final class OtlpHttpTraceExporter {

  private final OtlpHttpSender sender;
  private final OtlpTraceEncoder encoder = new OtlpTraceEncoder();
  private final ConcurrentLinkedQueue<ProtoWriter> buffers = new ConcurrentLinkedQueue<>();

  public OtlpHttpTraceExporter(String endpoint, Map<String, String> headers, boolean gzip, Duration timeout) {
    this.sender = new OtlpHttpSender(endpoint, headers, gzip, timeout, "memtrace-otlp-traces");
  }

  /**
   * Encodes {@code records[0..count)} now, on the calling thread, and sends them in the background.
   * The records may be reused as soon as this returns.
   */
  public CompletableResultCode export(SpanRecord[] records, int count) {
    ProtoWriter buffer = buffers.poll();
    if (buffer == null) {
      buffer = new ProtoWriter(64 * 1024);
    }
    encoder.encode(records, count, buffer);
    ProtoWriter used = buffer;
    return sender.send(buffer.array(), buffer.size(), () -> buffers.offer(used));
  }

  /** Stops retrying; exports in flight end on their own (the dispatcher waits for them). */
  public void shutdown() {
    sender.shutdown();
  }

  @Override
  public String toString() {
    return "otlp " + sender;
  }
}
