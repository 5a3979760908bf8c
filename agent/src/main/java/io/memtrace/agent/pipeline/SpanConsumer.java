package io.memtrace.agent.pipeline;

import io.memtrace.agent.health.HealthCounters;
import io.memtrace.agent.span.SpanRecord;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import io.memtrace.agent.bootstrap.Bridge;
import io.memtrace.agent.export.ExportDispatcher;
import io.memtrace.agent.pipeline.retention.Retention;
import io.memtrace.agent.util.AgentLog;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The one consumer thread: polls the ring, turns events into spans (through
 * {@link SpanEventHandler}), and hands batches to the exporters ({@link BatchHandoff}) when a batch
 * is full (a size that grows while the exporters are behind, see {@link SpanBatch}) or has waited
 * long enough.
 * Everything expensive the agent does happens here, off the application's threads.
 */
public final class SpanConsumer implements Runnable {

  /**
   * Events handled per poll before the consumer's sequence is published, so that a long backlog
   * frees slots to producers steadily. The poll looks at no more slots than this: Disruptor's
   * {@code EventPoller} scans every published slot up to the cursor on each poll, which with a full
   * 64 Ki ring and polls of 256 cost the consumer a fifth of its time.
   */
  private static final int EVENTS_PER_POLL = 256;

  private final RingBuffer<SpanEvent> ring;
  /** The last sequence handled; producers may overwrite up to it. */
  private final Sequence sequence;
  private final SpanEventHandler events;
  private final ExportDispatcher exporters;
  private final HealthCounters counters;
  private final long maxDelayNanos;
  private final SpanBatch batch;
  /** The shutdown marker's sequence once this thread has read it, else -1. Consumer thread only. */
  private long stopAt = -1;
  private final ShutdownHandshake shutdown;
  private final BatchHandoff handoff;
  /** Which Redis spans join the batch, as {@link #events} also asks; set before {@link #start}. */
  private Retention retention = Retention.off();
  private volatile Thread thread;
  private boolean internalErrorLogged;
  /** The events held beyond the ring while this consumer was built, handled first; null once none is. */
  private StartupOverflow overflow;
  private final IdleWake idleWake;
  /** How many times this thread has parked; for tests. */
  private volatile long parks;

  public SpanConsumer(SpanRing ring, RedisSpanFactory redisSpans,
      MethodSpanFactory methodSpans, ExportDispatcher exporters, HealthCounters counters,
      int maxBatch, long maxDelayMillis) {
    this.ring = ring.buffer;
    this.sequence = ring.consumed;
    this.idleWake = ring.idle;
    this.shutdown = new ShutdownHandshake(ring, counters, exporters);
    this.events = new SpanEventHandler(redisSpans, methodSpans);
    this.exporters = exporters;
    this.counters = counters;
    this.batch = new SpanBatch(maxBatch);
    this.maxDelayNanos = TimeUnit.MILLISECONDS.toNanos(maxDelayMillis);
    this.handoff = new BatchHandoff(this.ring, batch, exporters, counters, shutdown);
  }

  /** Decides with {@code retention} which Redis spans join the batch; call before {@link #start}. */
  public SpanConsumer retaining(Retention retention) {
    this.retention = retention;
    events.retaining(retention);
    handoff.retaining(retention);
    return this;
  }

  /**
   * Makes the spans of one client's commands whose start and end come as two events; call before
   * {@link #start}, once per client, a client that owns every command it is given last.
   */
  public SpanConsumer pairing(AsyncCommandSpans pairing) {
    events.pairing(pairing);
    return this;
  }

  /**
   * Handles the events {@code overflow} holds (null: none) before those in the ring, and takes the ring over from
   * it once none is left; call before {@link #start}.
   */
  public SpanConsumer overflowFirst(StartupOverflow overflow) {
    this.overflow = overflow;
    return this;
  }

  public Thread start() {
    Thread t = new Thread(this, "memtrace-consumer");
    t.setDaemon(true);
    thread = t;
    t.start();
    return t;
  }

  @Override
  public void run() {
    if (overflow != null) {
      overflow.consumerStarted();
    }
    IdleBackoff idle = new IdleBackoff(EVENTS_PER_POLL);
    long seen = Long.MIN_VALUE;
    int quiet = 0; // parks in a row over which nothing was published
    while (!handoff.givenUp()) {
      try {
        long cursor = ring.getCursor();
        int handled = pollOnce();
        if (stopAt >= 0) {
          finish();
          return;
        }
        if (handled >= EVENTS_PER_POLL) {
          idle.backlog(); // a backlog: keep going, wake sooner next time
          continue;
        }
        summaryIfDue();
        flushIfDue();
        events.expirePairings(System.nanoTime());
        logInternalErrorOnce();
        parks++;
        quiet = cursor == seen ? quiet + 1 : 0;
        seen = cursor;
        if (quiet >= IdleWake.QUIET_PARKS && batch.size() == 0 && cursor == handledThrough()) {
          // nothing to handle nor to flush: sleep until something is published (IdleWake)
          idleWake.parkIdle(IdleWake.CONSUMER, () -> ring.getCursor() == cursor);
        } else {
          idle.parkAfter(handled);
        }
      } catch (Throwable t) {
        counters.consumerErrors.incrementAndGet();
        AgentLog.warnOnce("consumer-loop", "memtrace's consumer hit an error and carries on: " + t, t);
      }
    }
  }

  /**
   * Handles up to {@link #EVENTS_PER_POLL} published events; returns how many. Stops early, leaving
   * the rest in the ring, when the batch is full and the first exporter has no room for it.
   */
  int pollOnce() {
    if (overflow != null) {
      return pollOverflow();
    }
    long next = sequence.get() + 1;
    if (batch.isFull() && !handoff.exportIfRoom(next)) {
      return 0;
    }
    long limit = Math.min(ring.getCursor(), next + EVENTS_PER_POLL - 1);
    long s = next;
    while (s <= limit && ring.isAvailable(s)) {
      SpanEvent event = ring.get(s);
      if (event.type == SpanEvent.Type.SHUTDOWN) {
        event.clear();
        stopAt = s++;
        break; // what follows the marker was published after the shutdown began
      }
      try {
        handle(event);
      } catch (Throwable t) {
        counters.consumerErrors.incrementAndGet();
        AgentLog.warnOnce("span-build", "memtrace could not build a span and skipped it: " + t, t);
      } finally {
        event.clear();
      }
      s++;
      if (batch.isFull() && !handoff.exportIfRoom(s)) {
        break; // the exporter is behind: the ring holds what follows, and drops only when full
      }
    }
    if (s > next) {
      sequence.set(s - 1);
    }
    return (int) (s - next);
  }

  /**
   * As {@link #pollOnce}, for the events {@link #overflow} holds, which came before those in the ring; once it holds
   * none and its thread has ended, the ring is this thread's to read again.
   */
  private int pollOverflow() {
    long next = overflow.handledThrough() + 1;
    if (batch.isFull() && !handoff.exportIfRoom(next)) {
      return 0;
    }
    int handled = 0;
    SpanEvent event = null;
    while (handled < EVENTS_PER_POLL && (event = overflow.take()) != null) {
      handled++;
      try {
        handle(event); // never the shutdown marker: it stays in the ring
      } catch (Throwable t) {
        counters.consumerErrors.incrementAndGet();
        AgentLog.warnOnce("span-build", "memtrace could not build a span and skipped it: " + t, t);
      } finally {
        event.clear();
      }
      if (batch.isFull() && !handoff.exportIfRoom(next + handled)) {
        return handled;
      }
    }
    if (event == null && overflow.handOver()) {
      AgentLog.debug("the consumer took the ring over after handling the events held beyond it, at most "
          + overflow.describe());
      overflow = null;
    }
    return handled;
  }

  /** How many times this thread has parked so far. */
  long parks() {
    return parks;
  }

  /** The ring's sequence of the last event this thread handled. */
  private long handledThrough() {
    return overflow != null ? overflow.handledThrough() : sequence.get();
  }

  /** Writes the event's span, if it makes one and it is kept, into the next free record of the batch. */
  private void handle(SpanEvent event) {
    if (events.write(event, batch.next())) {
      // only a span written whole joins the batch; a factory that threw left the slot free
      batch.added();
    }
    keyEventsIfDue(false);
  }

  /** Adds a span of compressed commands' key events when one is full, or, {@code idle}, when any wait. */
  private void keyEventsIfDue(boolean idle) {
    if (!batch.isFull() && retention.keyEventsDue(idle)) {
      batch.added(retention.writeKeyEvents(batch.next()));
    }
  }

  /** Adds retention's summary of an interval that has ended, when one waits and the batch has room. */
  private void summaryIfDue() {
    if (!batch.isFull() && retention.summaryDue()) {
      retention.writeSummary(batch.next());
      batch.added();
    }
    keyEventsIfDue(true);
  }

  private void flushIfDue() {
    if (batch.waited(maxDelayNanos)) {
      handoff.exportIfRoom(handledThrough() + 1);
    }
  }

  /**
   * The shutdown marker was read: exports what is held (waiting for the first exporter's room until
   * the deadline; past it the dispatcher counts the batch as dropped) and shuts the exporters down,
   * on this thread, which owns them.
   */
  private void finish() {
    try {
      long deadline = shutdown.deadlineNanos();
      events.abandonPairings(); // their ends did not come before the marker
      retention.close();
      if (retention.summaryDue() && batch.isFull()) {
        handoff.export(stopAt);
      }
      summaryIfDue();
      if (retention.keyEventsDue(true) && batch.isFull()) {
        handoff.export(stopAt);
      }
      keyEventsIfDue(true);
      while (batch.size() > 0 && !exporters.primaryHasRoom() && System.nanoTime() < deadline) {
        LockSupport.parkNanos(IdleBackoff.MIN_PARK_NANOS);
      }
      if (batch.size() > 0) {
        handoff.export(stopAt);
      }
      if (!handoff.givenUp() && shutdown.claim(stopAt)) { // events that made no span are accounted for too
        logInternalErrorOnce();
        exporters.shutdown(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      }
    } catch (RuntimeException e) {
      counters.consumerErrors.incrementAndGet();
    } finally {
      shutdown.finished();
    }
  }

  private void logInternalErrorOnce() {
    if (!internalErrorLogged && Bridge.firstInternalError() != null) {
      internalErrorLogged = true;
      Throwable t = Bridge.firstInternalError();
      AgentLog.warn("memtrace's instrumentation failed on an application thread and was contained "
          + "(the application was not affected): " + t + "; further failures are only counted");
    }
  }

  /**
   * Asks the consumer thread, through the ring, to export what was published before this call and
   * shut the exporters down, and waits for it until {@code timeoutMillis} have passed. It never
   * handles an event or touches a batch itself: when the consumer does not finish in time (it may
   * be blocked in an exporter or in a getter of the application), it gives up, counts the events the
   * consumer had not exported as dropped and the exports still in flight as failed, and returns.
   * Called once, by the shutdown hook; see {@link ShutdownHandshake}.
   */
  public void drainAndStop(long timeoutMillis) {
    shutdown.stop(thread, timeoutMillis);
  }

  /** Counts as dropped the spans published after {@link #drainAndStop} began; once nothing more is. */
  public void countEventsAfterStop() {
    shutdown.countEventsAfterStop();
  }
}
