package io.memtrace.agent.pipeline;

import io.memtrace.agent.span.SpanRecord;
import java.util.Arrays;

/**
 * The batch the consumer fills: reused span records, the first {@link #size} of which hold spans,
 * and when its first span came. How many it holds before it is full is {@link BatchSizer}'s call,
 * which grows it while the exporters are behind; its records are made for the configured size, and
 * made once more, to the sizer's cap, the first time the batch grows. Consumer thread only.
 */
final class SpanBatch {

  private final BatchSizer sizer;
  private SpanRecord[] records;
  private int size;
  /** What the spans weigh against the sizer's limit: one a span, more for a carrier of key events. */
  private int load;
  private long startedAt;

  SpanBatch(int maxBatch) {
    this.sizer = new BatchSizer(maxBatch);
    this.records = grown(new SpanRecord[0], sizer.limit());
  }

  boolean isFull() {
    return load >= sizer.limit();
  }

  int size() {
    return size;
  }

  /** The record the next span is written into; it joins the batch on {@link #added}. */
  SpanRecord next() {
    return records[size];
  }

  void added() {
    added(1);
  }

  /**
   * The record from {@link #next} joins the batch weighing {@code weight} spans (at least one): a carrier of key
   * events holds up to 512 commands, and counted as one span a batch of them made one request of hundreds of
   * thousands of commands, which the collector took seconds to acknowledge while the ring filled.
   */
  void added(int weight) {
    if (size == 0) {
      startedAt = System.nanoTime();
    }
    size++;
    load += Math.max(1, weight);
  }

  /** Whether the batch holds spans and its first came {@code delayNanos} or more ago. */
  boolean waited(long delayNanos) {
    return size > 0 && System.nanoTime() - startedAt >= delayNanos;
  }

  /** The first exporter is behind: a full batch grows when the sizer lets it; {@code true} if so. */
  boolean growWhileExporterBusy() {
    if (isFull() && sizer.growWhileExporterBusy()) {
      records = grown(records, sizer.cap());
      return true;
    }
    return false;
  }

  /** The records; after {@link #take} returned {@code n}, the first {@code n} hold its spans. */
  SpanRecord[] records() {
    return records;
  }

  /** Empties the batch; returns how many spans it held. */
  int take() {
    int n = size;
    size = 0;
    load = 0;
    return n;
  }

  /** A batch was exported with {@code waiting} events in the ring; the sizer sets the next limit. */
  void exported(long waiting, boolean exporterBusy) {
    sizer.exported(waiting, exporterBusy);
    records = grown(records, sizer.limit());
  }

  /** {@code records}, or when it is shorter than {@code n}, a copy grown to the sizer's cap. */
  private SpanRecord[] grown(SpanRecord[] records, int n) {
    if (records.length >= n) {
      return records;
    }
    int length = records.length == 0 ? n : sizer.cap(); // the first growth makes every record it may need
    SpanRecord[] grown = Arrays.copyOf(records, length);
    for (int i = records.length; i < length; i++) {
      grown[i] = new SpanRecord();
    }
    return grown;
  }
}
