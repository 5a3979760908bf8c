package io.memtrace.agent;

import io.memtrace.agent.bootstrap.Bridge;
import io.memtrace.agent.export.ExportDispatcher;
import io.memtrace.agent.metrics.MetricsPipeline;
import io.memtrace.agent.health.HealthCounters;
import io.memtrace.agent.pipeline.SpanConsumer;
import io.memtrace.agent.pipeline.SpanRing;
import io.memtrace.agent.util.AgentLog;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * memtrace's JVM shutdown hook, and what it needs, handed over by the start in two steps: the ring
 * as soon as events can be published into it ({@link #recording}), then the consumer and the
 * exporters once they are built ({@link #started}). In between, events wait in the ring; a JVM that
 * exits then waits for the consumer, within the shutdown budget, so they are exported too.
 */
final class ShutdownHook implements Runnable {

  private final long timeoutMillis;
  private final CountDownLatch built = new CountDownLatch(1);
  private volatile SpanRing ring;
  private volatile HealthCounters counters;
  private volatile SpanConsumer consumer;
  private volatile MetricsPipeline metrics;
  private volatile ExportDispatcher exporters;
  /** Set by the hook when it stops waiting for a consumer; then none is started. */
  private boolean gaveUpOnStart;

  /** @param timeoutMillis the whole budget: waiting for the start, draining, the last exports */
  ShutdownHook(long timeoutMillis) {
    this.timeoutMillis = timeoutMillis;
  }

  /** Events may be published into {@code ring} from now on. */
  void recording(SpanRing ring, HealthCounters counters) {
    this.counters = counters;
    this.ring = ring;
  }

  /**
   * Starts {@code consumer}, whose exporters are ready, unless the hook has already counted what
   * waits in the ring as dropped (the JVM began to exit first and gave up waiting); one lock makes
   * it one or the other.
   *
   * @return whether the consumer was started
   */
  synchronized boolean started(SpanConsumer consumer, MetricsPipeline metrics, ExportDispatcher exporters) {
    if (gaveUpOnStart) {
      return false;
    }
    consumer.start();
    this.metrics = metrics;
    this.exporters = exporters;
    this.consumer = consumer;
    built.countDown();
    return true;
  }

  /** The rest of the start failed (the bridge is already off): nothing will read the ring. */
  void failed() {
    built.countDown();
  }

  @Override
  public void run() {
    SpanRing ring = this.ring;
    if (ring == null) { // the JVM exits before memtrace could record anything
      AgentLog.info("shutdown: " + new HealthCounters().summary());
      return;
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    if (hasSomethingToReport(ring)) {
      awaitBuilt(deadline); // recorded events, or a contained failure, wait for the consumer still being built
    }
    SpanConsumer consumer;
    synchronized (this) {
      consumer = this.consumer;
      gaveUpOnStart = consumer == null;
    }
    if (consumer == null) {
      Bridge.uninstall();
      long left = ring.published(); // no consumer ever handled one, whether they wait in the ring or beyond it
      if (left > 0) {
        counters.lost(left);
        AgentLog.warn("memtrace had not finished starting when the JVM exited; the " + left
            + " events recorded meanwhile are counted in memtrace.events.dropped");
      }
      // also with nothing recorded: an application that exits idle early (a client failing its TLS handshake) is
      // told that nothing was dropped, as every other is
      AgentLog.info("shutdown: " + counters.summary());
      return;
    }
    boolean recorded = ring.buffer().getCursor() >= 0; // read before the shutdown marker goes in
    consumer.drainAndStop(remainingMillis(deadline));
    if (recorded) {
      // Nothing recorded means nothing to report; skipping the final metrics export keeps an
      // idle JVM's exit instant when no collector is listening (it waited the whole shutdown
      // budget, 5 s by default, retrying a refused connection).
      long budget = remainingMillis(deadline);
      String last = metrics.shutdown(budget);
      if (!MetricsPipeline.SENT.equals(last)) {
        AgentLog.warn("the last metrics export at exit was " + last + " (" + budget + " ms were left of "
            + timeoutMillis + " ms, shutdown.timeout-ms): the metric points recorded since the export before it "
            + "did not reach the collector");
      }
    }
    Bridge.uninstall();
    consumer.countEventsAfterStop();
    AgentLog.info("shutdown: " + counters.summary() + "; exported per exporter: "
        + exporters.perExporterSummary());
  }

  /**
   * Whether there is something for the consumer to export or report: an event in {@code ring}, or
   * a failure of memtrace's code contained on an application thread.
   */
  static boolean hasSomethingToReport(SpanRing ring) {
    return ring.hasEvents() || Bridge.firstInternalError() != null;
  }

  private void awaitBuilt(long deadline) {
    try {
      built.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static long remainingMillis(long deadline) {
    return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
  }
}
