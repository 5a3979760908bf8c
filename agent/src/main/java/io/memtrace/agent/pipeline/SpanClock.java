package io.memtrace.agent.pipeline;

import java.time.Instant;

/**
 * Converts the {@code System.nanoTime()} readings taken on application threads into epoch
 * nanoseconds, from one anchor taken at start-up: durations stay exact and the hot path reads only
 * the monotonic clock.
 */
public final class SpanClock {

  private final long anchorEpochNanos;
  private final long anchorNanoTime;

  public SpanClock() {
    Instant now = Instant.now();
    this.anchorNanoTime = System.nanoTime();
    this.anchorEpochNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  public long toEpochNanos(long nanoTime) {
    return anchorEpochNanos + (nanoTime - anchorNanoTime);
  }
}
