package io.memtrace.agent.pipeline;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;

/**
 * The ring of events and the sequence of its one consumer, made together. The consumer's sequence
 * gates the ring from the start, so events may be published before the consumer exists (memtrace
 * opens the way to the application's classes as soon as a ring is there, and builds the consumer
 * and its exporters afterwards): they wait in the ring, which never overwrites an event nobody has
 * read, and a full ring drops and counts as always.
 */
public final class SpanRing {

  final RingBuffer<SpanEvent> buffer;
  /** The last sequence the consumer has handled; producers may overwrite up to it. */
  final Sequence consumed = new Sequence(-1);
  /** Where memtrace's threads park while nothing is published, and what a publication wakes them from. */
  final IdleWake idle = new IdleWake();

  private SpanRing(int size) {
    // the publish-side signal is a volatile read, and an unpark only after an idle park: no lock on application threads
    this.buffer = RingBuffer.createMultiProducer(SpanEvent::new, size, idle);
    buffer.addGatingSequences(consumed);
  }

  /** A ring of {@code size} slots, a power of two. */
  public static SpanRing create(int size) {
    return new SpanRing(size);
  }

  /** What application threads publish into (through {@link RingPublisher}). */
  public RingBuffer<SpanEvent> buffer() {
    return buffer;
  }

  /** Whether any event has been published. */
  public boolean hasEvents() {
    return buffer.getCursor() >= 0;
  }

  /** Events published and not yet handled by a consumer, nor moved beyond the ring ({@link StartupOverflow}). */
  public long unconsumed() {
    return buffer.getCursor() - consumed.get();
  }

  /** Events published so far: before a consumer has started, every one of them waits for it (see {@link StartupOverflow}). */
  public long published() {
    return buffer.getCursor() + 1;
  }
}
