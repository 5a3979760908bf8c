package io.memtrace.agent.export;

import io.memtrace.agent.health.HealthCounters;
import io.memtrace.agent.util.AgentLog;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One exporter behind the {@link ExportDispatcher}: its exports outstanding, the spans in them, and how each
 * export ended. The first exporter's ({@code primary}) outcomes are the ones the health counters count: its
 * acknowledged spans as exported, the spans of its failed exports in {@code spansInFailedExports}.
 */
final class ExporterSlot {

  final SpanExporters.Named named;
  final AtomicInteger inFlight = new AtomicInteger();
  final AtomicLong pendingSpans = new AtomicLong();
  final AtomicLong exported = new AtomicLong();
  /** Set once the shutdown time ran out and what was outstanding was counted as lost. */
  private boolean closed;

  ExporterSlot(SpanExporters.Named named) {
    this.named = named;
  }

  /** An export of {@code n} spans is handed to the exporter. */
  void sent(int n) {
    inFlight.incrementAndGet();
    pendingSpans.addAndGet(n);
  }

  /** Counts how the export of {@code n} spans ended, once it has, unless the shutdown counted it already. */
  void whenDone(CompletableResultCode done, int n, boolean primary, HealthCounters counters) {
    done.whenComplete(() -> {
      synchronized (this) { // once per export, against closeAndCount on the shutdown hook
        if (closed) {
          return; // already counted as lost when the shutdown time ran out
        }
        inFlight.decrementAndGet();
        pendingSpans.addAndGet(-n);
      }
      if (done.isSuccess()) {
        exported.addAndGet(n);
        if (primary) {
          counters.exported.addAndGet(n);
        }
        return;
      }
      counters.exportFailures.incrementAndGet();
      if (primary) { // the exported count is the first exporter's, and so are its losses
        counters.spansInFailedExports.addAndGet(n);
      }
      Throwable cause = done.getFailureThrowable();
      AgentLog.warnOnce("export-failed-" + named.name, "exporter '" + named.name
          + "' failed to export " + n + " spans" + (cause == null ? "" : " (" + cause + ")")
          + "; failures are counted in memtrace.export.failures and not logged again", cause);
    });
  }

  /** The shutdown time ran out: counts what is still outstanding as failed, and ignores its outcome. */
  void closeAndCount(boolean primary, HealthCounters counters) {
    int batches;
    long spans;
    synchronized (this) {
      closed = true;
      batches = inFlight.get();
      spans = pendingSpans.get();
    }
    if (batches > 0) {
      counters.exportFailures.addAndGet(batches);
      if (primary) {
        counters.spansInFailedExports.addAndGet(spans);
      }
      AgentLog.warn("exporter '" + named.name + "' still had " + spans + " spans in "
          + batches + " exports when the shutdown time ran out; they are lost: the exports count in "
          + "memtrace.export.failures" + (primary ? " and their spans in memtrace.events.dropped" : ""));
    }
  }
}
