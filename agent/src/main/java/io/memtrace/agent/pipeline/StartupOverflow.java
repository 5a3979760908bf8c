package io.memtrace.agent.pipeline;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Room beyond the ring for the events published while the consumer is still being built. The consumer, its
 * exporters and the OpenTelemetry SDK behind them are built once the application runs (see {@code Agent}), and
 * on a busy machine that took longer than a fast application needed to fill the ring: the stress suite's
 * vector-store dropped 1,212 events before its first measured second (2026-12-01). Until the consumer exists, a
 * thread of its own moves the oldest events out of the ring whenever more than a quarter of it is in use, as copies
 * held here, up to a capacity; past that the ring fills, and drops and counts as always. Once the consumer runs, its
 * code is cold for a few seconds (with a ring of 1024 it fell behind by more than the ring then, 2026-12-01): the
 * thread moves every event for {@link #WARM_UP_NANOS}, and the consumer handles the copies, oldest first. It takes
 * the ring back once none is left after that; the thread is then gone, and the steady state is the ring alone, as
 * before. Nothing here runs on an application thread.
 *
 * <p>The held events are consecutive in the ring's sequence from the first, so their sequences are known (see
 * {@link #handledThrough}) and the shutdown handshake accounts for them as for events in the ring. The thread
 * never moves the shutdown marker, nor anything published after it.
 *
 * <p>Owners: the ring's consumer sequence and {@link #added} belong to the thread until {@link #handOver} has
 * seen it end; {@link #taken} to the consumer.
 */
public final class StartupOverflow implements Runnable {

  /** Events moved between two publications of the ring's consumer sequence, which frees their slots. */
  private static final int MOVE_CHUNK = 256;
  /** Once a sixteenth of the ring is in use: a ring of 8192 then fills in a park only past 6 million events a second. */
  private static final long PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  /** Below that: 7680 free slots in 5 ms, 1.5 million events a second, and fewer wake-ups while the application starts. */
  private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
  /** How long after the consumer starts the thread goes on holding: its code is compiled over its first seconds. */
  static final long WARM_UP_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final RingBuffer<SpanEvent> ring;
  private final Sequence consumed;
  private final IdleWake idle;
  private final SpanEvent[] held;
  /** The sequence before the first event held. */
  private final long base;
  /** Slots in use past which the thread moves events out. */
  private final long crowded;
  /** Events the thread has moved here; written by the thread only. */
  private volatile long added;
  /** Events the consumer has taken; written by the consumer only. */
  private volatile long taken;
  private volatile boolean stopping;
  /** When the consumer began to run ({@link System#nanoTime}), or 0 before. */
  private volatile long consumerSince;
  /** The most events held at once; the thread's. */
  private volatile long mostHeld;
  /** How many times the thread has parked; for tests. */
  private volatile long parks;
  private Thread thread;

  StartupOverflow(SpanRing ring, int capacity) {
    this.ring = ring.buffer;
    this.consumed = ring.consumed;
    this.idle = ring.idle;
    this.held = new SpanEvent[capacity];
    this.base = consumed.get();
    this.crowded = ring.buffer.getBufferSize() / 4;
  }

  /**
   * Starts holding up to {@code capacity} events beyond {@code ring}, whose consumer is not built yet; none when
   * {@code capacity} is 0.
   *
   * @return the overflow the consumer takes over ({@link SpanConsumer#overflowFirst}), or null when none is held
   */
  public static StartupOverflow start(SpanRing ring, int capacity) {
    if (capacity <= 0) {
      return null;
    }
    StartupOverflow overflow = new StartupOverflow(ring, capacity);
    Thread t = new Thread(overflow, "memtrace-start-overflow");
    t.setDaemon(true);
    overflow.thread = t;
    t.start();
    return overflow;
  }

  @Override
  public void run() {
    long seen = Long.MIN_VALUE;
    int quiet = 0; // parks in a row over which nothing was published
    while (!stopping) {
      long cursor = ring.getCursor();
      int moved = moveOut();
      if (moved < 0) {
        return; // the shutdown marker: the consumer reads it, and what follows, in the ring
      }
      if (moved == 0) {
        parks++;
        quiet = cursor == seen ? quiet + 1 : 0;
        if (quiet >= IdleWake.QUIET_PARKS) {
          // nothing published for a while: sleep until something is (IdleWake), ten wake-ups a second at most
          idle.parkIdle(IdleWake.OVERFLOW, () -> !stopping && ring.getCursor() == cursor);
        } else {
          // the same before the consumer runs and while it warms up: a consumer that keeps up leaves the ring near
          // empty, and a thread woken every millisecond for those 10 s took 30-40 ms of a core from a starting application
          long used = cursor - consumed.get();
          LockSupport.parkNanos(used >= ring.getBufferSize() / 16 ? PARK_NANOS : IDLE_PARK_NANOS);
        }
        seen = cursor;
      }
    }
  }

  /** How many times the thread has parked so far. */
  long parks() {
    return parks;
  }

  /**
   * Moves up to {@link #MOVE_CHUNK} of the oldest published events out of the ring when it is crowded and there is
   * room here. Returns how many, or -1 at the shutdown marker. The thread's (and tests').
   */
  int moveOut() {
    long next = consumed.get() + 1;
    long cursor = ring.getCursor();
    if (cursor - next + 1 <= (consumerSince != 0 ? 0 : crowded)) {
      return 0;
    }
    long room = held.length - (added - taken);
    long last = Math.min(cursor, next + Math.min(room, MOVE_CHUNK) - 1);
    long s = next;
    long n = added;
    boolean marker = false;
    while (s <= last && ring.isAvailable(s)) {
      SpanEvent event = ring.get(s);
      if (event.type == SpanEvent.Type.SHUTDOWN) {
        marker = true;
        break;
      }
      held[(int) (n++ % held.length)] = event.copy();
      event.clear();
      s++;
    }
    int moved = (int) (s - next);
    if (moved > 0) {
      added = n; // publishes the copies to the consumer
      consumed.set(s - 1); // and then frees their slots
      mostHeld = Math.max(mostHeld, n - taken);
    }
    return marker ? -1 : moved;
  }

  /** The consumer runs: from now on every event is moved, for the consumer to read here, until {@link #handOver}. */
  void consumerStarted() {
    consumerSince = Math.max(1, System.nanoTime());
  }

  /** The oldest event held, now the consumer's, or null when none is held at the moment. Consumer thread only. */
  SpanEvent take() {
    long t = taken;
    if (t >= added) {
      return null;
    }
    int i = (int) (t % held.length);
    SpanEvent event = held[i];
    held[i] = null;
    taken = t + 1;
    return event;
  }

  /** The ring's sequence of the last event {@link #take} returned; {@code -1} (or where the ring was) before any. */
  long handledThrough() {
    return base + taken;
  }

  /**
   * Called by the consumer when {@link #take} found nothing: once {@link #WARM_UP_NANOS} have passed since it
   * started, or the thread stopped at the shutdown marker, stops the thread and waits for it. Returns whether the
   * consumer may read the ring from its consumer sequence on: the thread is gone and nothing is held. When it
   * returns {@code false}, the warm-up goes on, or the thread moved a last few events meanwhile (take them, then
   * call this again), or it did not end within a second (call this again later).
   */
  boolean handOver() {
    Thread t = thread;
    long since = consumerSince;
    if (t != null && t.isAlive() && since != 0 && System.nanoTime() - since < WARM_UP_NANOS) {
      return false;
    }
    stopping = true;
    if (t != null) { // null: never started (tests move events themselves)
      LockSupport.unpark(t);
      try {
        t.join(1_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return (t == null || !t.isAlive()) && taken >= added;
  }

  /** The start failed and nothing will read these events: stops the thread and lets the held events go. */
  public void discard() {
    consumerSince = 0; // no warm-up to wait for
    handOver();
    java.util.Arrays.fill(held, null);
    taken = added; // no consumer will take them: the thread is gone, and there is none
  }

  /** The most events held at once so far. */
  long mostHeld() {
    return mostHeld;
  }

  /** The most events held at once so far, and the capacity, for the log. */
  public String describe() {
    return mostHeld + " of " + held.length;
  }
}
