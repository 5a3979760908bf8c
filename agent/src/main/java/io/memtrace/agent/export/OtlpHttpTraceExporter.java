package io.memtrace.agent.export;

import io.memtrace.agent.span.SpanRecord;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * OTLP/HTTP protobuf span export, straight from the consumer's {@link SpanRecord}s: the consumer
 * thread encodes a batch into a pooled buffer ({@link OtlpTraceEncoder}) and the
 * {@link OtlpHttpSender} posts it from one of its lanes, several exports in flight at once. Buffers
 * come back to the pool when their export ends. The pool is bounded twice: the dispatcher never has
 * more exports in flight than there are lanes, and the pool keeps at most one buffer per lane and
 * none that a batch grown by a backlog made larger than {@link #MAX_POOLED_BYTES}.
 *
 * <p>This replaces the SDK's {@code OtlpHttpSpanExporter} for traces because encoding through
 * {@code SpanData} and the SDK's marshalers was most of the consumer's cost (see
 * {@link SpanRecord}); the wire format is the same, checked field by field against the SDK's
 * encoding in {@code OtlpTraceEncoderTest}.
 */
public final class OtlpHttpTraceExporter {

  /** A buffer past this (a batch of several thousand spans with long keys) is left to the GC after use. */
  static final int MAX_POOLED_BYTES = 8 << 20;

  private final OtlpHttpSender sender;
  private final OtlpTraceEncoder encoder = new OtlpTraceEncoder();
  private final ArrayBlockingQueue<ProtoWriter> buffers;

  /** An exporter with up to {@code lanes} exports in flight, each on its own connection. */
  public OtlpHttpTraceExporter(String endpoint, Map<String, String> headers, boolean gzip, Duration timeout,
      int lanes) {
    this.sender = new OtlpHttpSender(endpoint, headers, gzip, timeout, "memtrace-otlp-traces", lanes);
    this.buffers = new ArrayBlockingQueue<>(Math.max(1, lanes));
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
    return sender.send(buffer.array(), buffer.size(), () -> recycle(used));
  }

  private void recycle(ProtoWriter buffer) {
    if (buffer.array().length <= MAX_POOLED_BYTES) {
      buffers.offer(buffer); // refused when full: that one is left to the GC
    }
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
