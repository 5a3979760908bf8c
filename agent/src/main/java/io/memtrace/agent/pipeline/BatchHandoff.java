package io.memtrace.agent.pipeline;

import com.lmax.disruptor.RingBuffer;
import io.memtrace.agent.export.ExportDispatcher;
import io.memtrace.agent.health.HealthCounters;
import io.memtrace.agent.pipeline.retention.Retention;

/**
 * Hands the consumer's batch to the exporters, or holds it while the first exporter is behind. While it is
 * behind, a full batch first grows ({@link SpanBatch}), so the exports in flight carry more spans each. At its
 * cap it is held, which lets the ring absorb a short stall of the endpoint without losing spans; once the ring is
 * half full the batch goes to the dispatcher anyway, which drops it for an exporter still behind (counted), so
 * that a long outage of the trace endpoint does not also stop the consumer, and with it the metrics it records,
 * or fill the ring for the application. Consumer thread only.
 */
final class BatchHandoff {

  private final RingBuffer<SpanEvent> ring;
  private final SpanBatch batch;
  private final ExportDispatcher exporters;
  private final HealthCounters counters;
  private final ShutdownHandshake shutdown;
  /** Whose compressed spans each handed-off batch accounts for. */
  private Retention retention = Retention.off();
  /** Set when the shutdown hook gave up on the consumer: it then exports nothing more. */
  private boolean givenUp;

  BatchHandoff(RingBuffer<SpanEvent> ring, SpanBatch batch, ExportDispatcher exporters, HealthCounters counters,
      ShutdownHandshake shutdown) {
    this.ring = ring;
    this.batch = batch;
    this.exporters = exporters;
    this.counters = counters;
    this.shutdown = shutdown;
  }

  void retaining(Retention retention) {
    this.retention = retention;
  }

  boolean givenUp() {
    return givenUp;
  }

  /** Exports the batch unless the first exporter is behind; {@code false} when the batch is held. */
  boolean exportIfRoom(long nextToHandle) {
    long waiting = ring.getCursor() - nextToHandle + 1;
    if (exporters.primaryBusy()) {
      if (batch.growWhileExporterBusy()) {
        return true;
      }
      if (!exporters.primaryHasRoom() && waiting < ring.getBufferSize() / 2) {
        return false;
      }
    }
    export(nextToHandle - 1);
    batch.exported(waiting, exporters.primaryBusy());
    return true;
  }

  /** Hands the batch, the spans of the events up to {@code through}, to the exporters. */
  void export(long through) {
    int n = batch.take();
    if (!shutdown.claim(through)) {
      givenUp = true; // the shutdown hook has counted these events as dropped
      return;
    }
    counters.built(exporters.isEmpty() ? 0 : n, retention.takeCompressed());
    exporters.export(batch.records(), n);
  }
}
