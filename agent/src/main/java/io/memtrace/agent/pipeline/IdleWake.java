package io.memtrace.agent.pipeline;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.TimeoutException;
import com.lmax.disruptor.WaitStrategy;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The ring's wait strategy, for memtrace's own threads (the consumer and {@link StartupOverflow}): while nothing is
 * published they park for {@link #IDLE_PARK_NANOS} at a time instead of a few milliseconds, and the next publication
 * wakes them. An application thread pays one volatile read per event (the ring's publish calls
 * {@link #signalAllWhenBlocking}), and one unpark only for the first event after such a park. A Spring Boot start
 * with no traffic woke the two threads every 5 and 8 ms, about 0.5 s of CPU (2026-12-02).
 */
final class IdleWake implements WaitStrategy {

  /** The longest park while nothing is published: it bounds how late a time-driven task (a summary, an expiry) runs. */
  static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  /**
   * Short parks in a row with nothing published before a thread parks idle: a trickle of events then costs the
   * application at most one unpark per such quiet spell (a few tens a second), not one per event.
   */
  static final int QUIET_PARKS = 4;
  /** Slots: one per thread that may park here. */
  static final int CONSUMER = 0;
  static final int OVERFLOW = 1;

  private static final AtomicIntegerFieldUpdater<IdleWake> SLEEPING =
      AtomicIntegerFieldUpdater.newUpdater(IdleWake.class, "sleeping");

  /** Not used by memtrace's threads, which poll the ring; there for the interface. */
  private final WaitStrategy waiting = new SleepingWaitStrategy();
  private final AtomicReferenceArray<Thread> parked = new AtomicReferenceArray<>(2);
  /** 1 while a thread may be in an idle park: the next publication wakes it. */
  private volatile int sleeping;

  /**
   * Parks the calling thread, registered in {@code slot}, for up to {@link #IDLE_PARK_NANOS}, unless
   * {@code stillIdle} (checked after registering) says something was published meanwhile.
   */
  void parkIdle(int slot, BooleanSupplier stillIdle) {
    Thread me = Thread.currentThread();
    parked.set(slot, me);
    sleeping = 1; // before the check: a publisher that the check misses sees this, and unparks
    if (stillIdle.getAsBoolean()) {
      LockSupport.parkNanos(IDLE_PARK_NANOS);
    }
    parked.set(slot, null);
  }

  @Override
  public void signalAllWhenBlocking() {
    if (sleeping != 0 && SLEEPING.compareAndSet(this, 1, 0)) {
      for (int i = 0; i < parked.length(); i++) {
        Thread t = parked.get(i);
        if (t != null) {
          LockSupport.unpark(t);
        }
      }
    }
  }

  @Override
  public long waitFor(long sequence, Sequence cursor, Sequence dependentSequence, SequenceBarrier barrier)
      throws AlertException, InterruptedException, TimeoutException {
    return waiting.waitFor(sequence, cursor, dependentSequence, barrier);
  }
}
