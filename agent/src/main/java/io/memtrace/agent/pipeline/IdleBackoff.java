package io.memtrace.agent.pipeline;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * How long the consumer parks once it has drained the ring: between 1 and 8 ms, doubling while
 * a wake-up finds fewer than half of a full poll's events, halving whenever a poll
 * finds a full poll waiting.
 * So it wakes about once per few hundred events rather than a thousand times a second: each
 * wake-up can preempt an application thread on a busy machine, and that showed in the
 * application's p99 latency. At the longest park the default ring of 8192 slots still holds a
 * million events a second, and a poll that finds a backlog halves the park at once.
 * Consumer thread only.
 */
final class IdleBackoff {

  static final long MIN_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(8);

  /** The most events one poll handles: a poll that handled as many found a backlog. */
  private final int fullPoll;
  private long park = MIN_PARK_NANOS;

  IdleBackoff(int fullPoll) {
    this.fullPoll = fullPoll;
  }

  /** A poll handled a full {@link #fullPoll}: a backlog, so the consumer goes on, and wakes sooner next time. */
  void backlog() {
    park = Math.max(park / 2, MIN_PARK_NANOS);
  }

  /** Parks after a poll that handled {@code handled} events, fewer than a full one; longer when little came in. */
  void parkAfter(int handled) {
    if (handled < fullPoll / 2) {
      park = Math.min(park * 2, MAX_PARK_NANOS); // little came in: wake less often
    }
    LockSupport.parkNanos(park);
  }
}
