package io.memtrace.agent.pipeline;

import io.memtrace.agent.bootstrap.LettuceHooks;
import io.memtrace.agent.bootstrap.RedisHooks;
import io.memtrace.agent.health.HealthCounters;
import com.lmax.disruptor.EventTranslatorOneArg;
import io.memtrace.agent.export.ExportDispatcher;
import io.memtrace.agent.util.AgentLog;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * How the shutdown hook stops the consumer thread without ever touching its batch, as Elastic
 * APM's reporter does: the hook publishes a {@link SpanEvent.Type#SHUTDOWN} marker into the ring
 * and waits, up to the shutdown budget, for the consumer to read it, export what it holds and shut
 * the exporters down. A consumer that does not finish in time (blocked in an exporter or in a
 * getter of the application) is given up on: the hook counts what it had not exported, and the
 * consumer, should it wake up later, exports nothing more.
 *
 * <p>One atomic settles every race between the two: the consumer claims events before it hands
 * their spans to the exporters ({@link #claim}); the hook takes the rest in one step when it gives
 * up. An event is claimed by the consumer or counted by the hook, never both, never neither.
 */
final class ShutdownHandshake {

  private static final long GIVEN_UP = Long.MIN_VALUE;
  /** How long past the deadline the hook waits for the consumer's last steps, themselves bounded by it. */
  private static final long FINISH_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  private static final long MARKER_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private static final EventTranslatorOneArg<SpanEvent, long[]> SHUTDOWN_MARKER = (event, sequence, out) -> {
    event.type = SpanEvent.Type.SHUTDOWN;
    out[0] = sequence;
  };

  private final SpanRing ring;
  private final HealthCounters counters;
  private final ExportDispatcher exporters;
  /** Every event up to this sequence is accounted for by the consumer; {@link #GIVEN_UP} after a give-up. */
  private final AtomicLong claimedThrough = new AtomicLong(-1);
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile long deadlineNanos = Long.MAX_VALUE;
  /** After {@link #stop}: every event up to this sequence has been exported or counted. */
  private volatile long accountedThrough = Long.MAX_VALUE;

  ShutdownHandshake(SpanRing ring, HealthCounters counters, ExportDispatcher exporters) {
    this.ring = ring;
    this.counters = counters;
    this.exporters = exporters;
  }

  // ---- the consumer's side

  /** Takes the events up to {@code sequence} for export; {@code false} once the hook has given up on them. */
  boolean claim(long sequence) {
    long claimed = claimedThrough.get();
    // only the consumer moves it forward, so a failed compare means the hook gave up meanwhile
    return claimed != GIVEN_UP && (claimed >= sequence || claimedThrough.compareAndSet(claimed, sequence));
  }

  /** The {@link System#nanoTime} by which the consumer must have finished. */
  long deadlineNanos() {
    return deadlineNanos;
  }

  /** It has exported its last batch and shut the exporters down, or found it was given up on. */
  void finished() {
    finished.countDown();
  }

  // ---- the shutdown hook's side

  /**
   * Asks {@code consumer} through the ring to export what was published before this call, and
   * waits for it until {@code timeoutMillis} have passed; past that, gives up on it (see above).
   */
  void stop(Thread consumer, long timeoutMillis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    deadlineNanos = deadline;
    long marker = consumer == null ? -1 : publishMarker(deadline);
    if (marker >= 0) {
      LockSupport.unpark(consumer); // it may be parked for a few milliseconds
      awaitFinished(deadline + FINISH_GRACE_NANOS);
    }
    long last = marker >= 0 ? marker - 1 : ring.buffer.getCursor();
    accountedThrough = marker >= 0 ? marker : last;
    if (finished.getCount() == 0) {
      return;
    }
    long claimed = claimedThrough.getAndSet(GIVEN_UP);
    long left = claimed == GIVEN_UP ? 0 : Math.max(0, last - claimed);
    counters.lost(left);
    exporters.countUnfinishedExports();
    AgentLog.warn("memtrace's consumer did not finish within the shutdown time ("
        + (consumer == null ? "it never started" : marker < 0 ? "the ring stayed full"
        : "it is busy in an exporter or in a getter of the application") + "); the " + left
        + " events it had not exported are counted in memtrace.events.dropped");
  }

  /**
   * Counts as dropped the spans among the events published after {@link #stop} began, which nothing will read.
   * Called once no more are published. Only an event that would have made a span counts: a connection's set-up
   * command, a method's start or a command's end (whose start was counted where it was lost) is no span, and a
   * client that keeps talking to its servers while the JVM exits (Redisson's topology scans) loses none.
   */
  void countEventsAfterStop() {
    long from = accountedThrough;
    long cursor = ring.buffer.getCursor();
    if (from == Long.MAX_VALUE || cursor <= from) {
      return;
    }
    long lost = 0;
    for (long s = Math.max(from + 1, cursor - ring.buffer.getBufferSize() + 1); s <= cursor; s++) {
      if (owesSpan(ring.buffer.get(s))) {
        lost++;
      }
    }
    if (lost > 0) {
      counters.lost(lost);
    }
  }

  /** Whether {@code event}, read by the consumer, would have made a span of its own. */
  static boolean owesSpan(SpanEvent event) {
    switch (event.type) {
      case REDIS_COMMAND:
      case REDIS_BATCH:
      case METHOD_END:
        return true;
      case REDIS_COMMAND_START:
        return event.arguments != LettuceHooks.IN_TRANSACTION
            && !(event.handshake && !RedisHooks.handshakesRecorded());
      default:
        return false;
    }
  }

  /** Publishes the marker, retrying while the ring is full; its sequence, or -1 at the deadline. */
  private long publishMarker(long deadline) {
    long[] sequence = {-1};
    while (!ring.buffer.tryPublishEvent(SHUTDOWN_MARKER, sequence)) {
      if (System.nanoTime() >= deadline) {
        return -1;
      }
      LockSupport.parkNanos(MARKER_RETRY_NANOS); // the consumer frees slots as it reads
    }
    return sequence[0];
  }

  private void awaitFinished(long deadline) {
    try {
      finished.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
