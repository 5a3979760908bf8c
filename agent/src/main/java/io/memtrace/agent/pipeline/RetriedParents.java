package io.memtrace.agent.pipeline;

import io.memtrace.agent.pipeline.InFlightCommands.Entry;
import java.lang.ref.WeakReference;

/**
 * The parent of a command's failed attempt, kept for its next attempt. A client that retries a
 * command itself sends each attempt as a command object of its own, and sends the retry from
 * wherever the failure was handled: Redisson follows a {@code MOVED} or {@code ASK} on the event
 * loop that read it, and retries after a timeout or a lost connection on its timer's thread,
 * where no span is current. Both attempts are sent by one object, the attempt's origin (Redisson's
 * executor): an attempt with no parent whose origin's earlier attempt failed inside a span is
 * given that span, with its trace, and so is the {@code ASKING} sent along with it.
 *
 * <p>Consumer thread only: the application's threads pay nothing (a reference in the start event
 * they fill anyway). A fixed table by the origin's identity hash, each slot one origin held
 * weakly: a failure allocates one weak reference and nothing else; two origins failing at once in
 * one slot leave the older one's retry without parent, as it was before this existed.
 */
final class RetriedParents {

  /** Slots; a power of two. Retries are rare and short-lived: a few at a time is the usual case. */
  static final int SLOTS = 256;

  private final Slot[] slots = new Slot[SLOTS];

  private static final class Slot {
    WeakReference<Object> origin;
    long traceIdHigh;
    long traceIdLow;
    long spanId;
    boolean otelParent;
  }

  RetriedParents() {
    for (int i = 0; i < SLOTS; i++) {
      slots[i] = new Slot();
    }
  }

  /** {@code attempt} failed: if it had a parent and an origin, the origin's next attempts get that parent. */
  void failed(Entry attempt) {
    if (attempt.origin == null || attempt.parentSpanId == 0) {
      return;
    }
    Slot slot = slots[index(attempt.origin)];
    if (slot.origin == null || slot.origin.get() != attempt.origin) {
      slot.origin = new WeakReference<>(attempt.origin);
    }
    slot.traceIdHigh = attempt.traceIdHigh;
    slot.traceIdLow = attempt.traceIdLow;
    slot.spanId = attempt.parentSpanId;
    slot.otelParent = attempt.otelParent;
  }

  /** {@code attempt} just started: without a parent, it takes the one kept for its origin, if any. */
  void adopt(Entry attempt) {
    if (attempt.origin == null || attempt.parentSpanId != 0) {
      return;
    }
    Slot slot = slots[index(attempt.origin)];
    if (slot.origin != null && slot.origin.get() == attempt.origin) {
      attempt.traceIdHigh = slot.traceIdHigh;
      attempt.traceIdLow = slot.traceIdLow;
      attempt.parentSpanId = slot.spanId;
      attempt.otelParent = slot.otelParent;
    }
  }

  private static int index(Object origin) {
    int h = System.identityHashCode(origin);
    return (h ^ (h >>> 16)) & (SLOTS - 1);
  }
}
