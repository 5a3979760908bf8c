package io.memtrace.agent.export;

import io.memtrace.agent.health.HealthCounters;
import io.memtrace.agent.span.SpanRecord;
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
  /** The commands the key-event carriers among {@link #pendingSpans} list. */
  private final AtomicLong pendingKeyEvents = new AtomicLong();
  /** Set once the shutdown time ran out and what was outstanding was counted as lost. */
  private boolean closed;

  ExporterSlot(SpanExporters.Named named) {
    this.named = named;
  }

  /** One export's spans: how many, and how many of them are key-event carriers listing how many commands. */
  static final class Batch {
    final int spans;
    final int keyEventSpans;
    final long keyEvents;

    private Batch(int spans, int keyEventSpans, long keyEvents) {
      this.spans = spans;
      this.keyEventSpans = keyEventSpans;
      this.keyEvents = keyEvents;
    }

    static Batch of(SpanRecord[] records, int n) {
      int carriers = 0;
      long commands = 0;
      for (int r = 0; r < n; r++) {
        int listed = records[r].keyEvents;
        if (listed > 0) {
          carriers++;
          commands += listed;
        }
      }
      return new Batch(n, carriers, commands);
    }
  }

  /** An export is handed to the exporter. */
  void sent(Batch batch) {
    inFlight.incrementAndGet();
    pendingSpans.addAndGet(batch.spans);
    pendingKeyEvents.addAndGet(batch.keyEvents);
  }

  /** Counts how the export of {@code batch} ended, once it has, unless the shutdown counted it already. */
  void whenDone(CompletableResultCode done, Batch batch, boolean primary, HealthCounters counters) {
    int n = batch.spans;
    done.whenComplete(() -> {
      synchronized (this) { // once per export, against closeAndCount on the shutdown hook
        if (closed) {
          return; // already counted as lost when the shutdown time ran out
        }
        inFlight.decrementAndGet();
        pendingSpans.addAndGet(-n);
        pendingKeyEvents.addAndGet(-batch.keyEvents);
      }
      if (done.isSuccess()) {
        exported.addAndGet(n);
        if (primary) {
          counters.exported.addAndGet(n);
          counters.keyEventSpansExported.addAndGet(batch.keyEventSpans);
          counters.keyEventsExported.addAndGet(batch.keyEvents);
        }
        return;
      }
      counters.exportFailures.incrementAndGet();
      if (primary) { // the exported count is the first exporter's, and so are its losses
        counters.spansInFailedExports.addAndGet(n);
        counters.keyEventsLost.addAndGet(batch.keyEvents);
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
    long keyEvents;
    synchronized (this) {
      closed = true;
      batches = inFlight.get();
      spans = pendingSpans.get();
      keyEvents = pendingKeyEvents.get();
    }
    if (batches > 0) {
      counters.exportFailures.addAndGet(batches);
      if (primary) {
        counters.spansInFailedExports.addAndGet(spans);
        counters.keyEventsLost.addAndGet(keyEvents);
      }
      AgentLog.warn("exporter '" + named.name + "' still had " + spans + " spans in "
          + batches + " exports when the shutdown time ran out; they are lost: the exports count in "
          + "memtrace.export.failures" + (primary ? " and their spans in memtrace.events.dropped" : ""));
    }
  }
}
