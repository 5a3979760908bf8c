package io.memtrace.agent.pipeline;

import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.RingBuffer;
import io.memtrace.agent.bootstrap.Bridge;
import io.memtrace.agent.export.ExportDispatcher;
import io.memtrace.agent.util.AgentLog;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The one consumer thread: polls the ring, turns events into spans, and hands batches to the
 * exporters when a batch is full or has waited long enough. Everything expensive the agent does
 * happens here, off the application's threads.
 */
public final class SpanConsumer implements Runnable {

  /**
   * Events handled per poll before the consumer's sequence is published: the poller frees slots
   * only at the end of a poll, so a long backlog would otherwise look full to producers until all
   * of it was processed.
   */
  private static final int EVENTS_PER_POLL = 256;

  /** How long an idle consumer parks between polls. */
  private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private final RingBuffer<SpanEvent> ring;
  private final EventPoller<SpanEvent> poller;
  private final RedisSpanFactory redisSpans;
  private final MethodSpanFactory methodSpans;
  private final ExportDispatcher exporters;
  private final HealthCounters counters;
  private final int maxBatch;
  private final long maxDelayNanos;
  private final List<SpanData> batch = new ArrayList<>();
  private long batchStartedAt;
  private volatile boolean stopping;
  private volatile Thread thread;
  private boolean internalErrorLogged;

  public SpanConsumer(RingBuffer<SpanEvent> ring, RedisSpanFactory redisSpans,
      MethodSpanFactory methodSpans, ExportDispatcher exporters, HealthCounters counters,
      int maxBatch, long maxDelayMillis) {
    this.ring = ring;
    this.poller = ring.newPoller();
    ring.addGatingSequences(poller.getSequence());
    this.redisSpans = redisSpans;
    this.methodSpans = methodSpans;
    this.exporters = exporters;
    this.counters = counters;
    this.maxBatch = maxBatch;
    this.maxDelayNanos = TimeUnit.MILLISECONDS.toNanos(maxDelayMillis);
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
    while (!stopping) {
      try {
        if (pollOnce() != EventPoller.PollState.PROCESSING) {
          flushIfDue();
          logInternalErrorOnce();
          LockSupport.parkNanos(IDLE_PARK_NANOS);
        }
      } catch (Throwable t) {
        counters.consumerErrors.incrementAndGet();
        AgentLog.warnOnce("consumer-loop", "memtrace's consumer hit an error and carries on: " + t, t);
      }
    }
  }

  /** Processes what is in the ring now. Visible for tests that drive the consumer by hand. */
  EventPoller.PollState pollOnce() throws Exception {
    int[] handled = {0};
    return poller.poll((event, sequence, endOfBatch) -> {
      try {
        SpanData span = toSpan(event);
        if (span != null) {
          add(span);
        }
      } catch (Throwable t) {
        counters.consumerErrors.incrementAndGet();
        AgentLog.warnOnce("span-build", "memtrace could not build a span and skipped it: " + t, t);
      } finally {
        event.clear();
      }
      return ++handled[0] < EVENTS_PER_POLL;
    });
  }

  private SpanData toSpan(SpanEvent event) {
    switch (event.type) {
      case REDIS_COMMAND:
        return redisSpans.command(event);
      case REDIS_BATCH:
        return redisSpans.batch(event);
      case METHOD_START:
        methodSpans.started(event);
        return null;
      case METHOD_END:
        return methodSpans.ended(event);
      default:
        return null;
    }
  }

  private void add(SpanData span) {
    if (batch.isEmpty()) {
      batchStartedAt = System.nanoTime();
    }
    batch.add(span);
    if (batch.size() >= maxBatch) {
      exportBatch();
    }
  }

  private void flushIfDue() {
    if (!batch.isEmpty() && System.nanoTime() - batchStartedAt >= maxDelayNanos) {
      exportBatch();
    }
  }

  private void exportBatch() {
    List<SpanData> spans = new ArrayList<>(batch);
    batch.clear();
    exporters.export(spans);
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
   * Stops the consumer thread, drains what was published before this call, and exports it, within
   * {@code timeoutMillis}. Events published after the drain began may be lost and are counted.
   */
  public void drainAndStop(long timeoutMillis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    stopping = true;
    Thread t = thread;
    if (t != null && t != Thread.currentThread()) {
      try {
        t.join(Math.max(1, timeoutMillis / 2));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    long target = ring.getCursor();
    try {
      while (poller.getSequence().get() < target && System.nanoTime() < deadline) {
        pollOnce();
      }
    } catch (Exception e) {
      counters.consumerErrors.incrementAndGet();
    }
    long left = ring.getCursor() - poller.getSequence().get();
    if (left > 0) {
      counters.dropped.addAndGet(left);
    }
    logInternalErrorOnce();
    if (!batch.isEmpty()) {
      exportBatch();
    }
    exporters.shutdown(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
  }
}
