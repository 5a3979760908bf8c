package io.memtrace.agent.export;

import io.memtrace.agent.health.HealthCounters;
import io.memtrace.agent.span.SpanRecord;
import io.memtrace.agent.util.AgentLog;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Hands each batch to every exporter without waiting for the network. Each exporter may have up to
 * {@code maxInFlight} exports outstanding (setting {@code export.max-in-flight}); memtrace's OTLP
 * exporter really has them in flight at once, one per connection. While the first exporter is at
 * that limit ({@link #primaryBusy}) the consumer grows its batch. Beyond the exports in flight, an
 * exporter may hold encoded batches waiting for a connection, up to {@code maxQueuedSpans} spans
 * outstanding in all (setting {@code export.max-queued-spans}): an endpoint that stalls for a
 * second or two (a collector checkpointing, say) then costs a few megabytes, not spans. Once that
 * is full too, the consumer holds its batch and leaves events in the ring
 * ({@link #primaryHasRoom}), up to half of it; past that, and for any other exporter, a batch
 * beyond the limit is lost (for the first exporter, counted as dropped). Either way a slow or dead
 * endpoint costs memory that is bounded and never reaches the application.
 *
 * <p>Every span handed to {@link #export} ends counted once: exported (acknowledged by the first
 * exporter), in a failed export ({@code spansInFailedExports}), or dropped.
 */
public final class ExportDispatcher {

  private final List<ExporterSlot> slots = new ArrayList<>();
  private final HealthCounters counters;
  /** Exports one exporter may have outstanding (each retried by the exporter with back-off). */
  private final int maxInFlight;
  /** Spans an exporter may have outstanding, in flight or waiting, once all its lanes are busy. */
  private final long maxQueuedSpans;
  /** Batches an exporter may have outstanding at most, whatever their size: each holds a buffer. */
  private final int maxOutstanding;
  private final AtomicBoolean unfinishedCounted = new AtomicBoolean();

  /** A dispatcher whose exporters hold no batches beyond those in flight. */
  public ExportDispatcher(List<SpanExporters.Named> exporters, HealthCounters counters, int maxInFlight) {
    this(exporters, counters, maxInFlight, 0);
  }

  public ExportDispatcher(List<SpanExporters.Named> exporters, HealthCounters counters, int maxInFlight,
      long maxQueuedSpans) {
    for (SpanExporters.Named named : exporters) {
      slots.add(new ExporterSlot(named));
    }
    this.counters = counters;
    this.maxInFlight = Math.max(1, maxInFlight);
    this.maxQueuedSpans = Math.max(0, maxQueuedSpans);
    this.maxOutstanding = maxQueuedSpans > 0 ? this.maxInFlight * (1 + OtlpHttpSender.WAITING_PER_LANE)
        : this.maxInFlight;
  }

  /** Whether {@code slot} can take a batch of {@code n} more spans now. */
  private boolean hasRoom(ExporterSlot slot, int n) {
    int outstanding = slot.inFlight.get();
    if (outstanding < maxInFlight) {
      return true;
    }
    return outstanding < maxOutstanding && slot.pendingSpans.get() + n <= maxQueuedSpans;
  }

  /** Whether the first exporter has as many exports in flight as it may; says nothing in the log. */
  public boolean primaryBusy() {
    return !slots.isEmpty() && slots.get(0).inFlight.get() >= maxInFlight;
  }

  /**
   * Whether the first exporter, whose acknowledgements count as exported, can take a batch now.
   * While it cannot, the consumer holds its full batch and leaves further events in the ring, up
   * to half the ring; past that it hands batches over anyway and {@link #export} drops them.
   */
  public boolean primaryHasRoom() {
    if (slots.isEmpty() || hasRoom(slots.get(0), 1)) {
      return true;
    }
    AgentLog.warnOnce("export-behind-primary", "exporter '" + slots.get(0).named.name + "' is behind ("
        + maxInFlight + " exports in flight and " + slots.get(0).pendingSpans.get() + " spans outstanding); "
        + "events wait in the ring, and once it is half full span batches are dropped and counted in "
        + "memtrace.events.dropped", null);
    return false;
  }

  public boolean isEmpty() {
    return slots.isEmpty();
  }

  public String describe() {
    StringBuilder text = new StringBuilder();
    for (ExporterSlot slot : slots) {
      if (text.length() > 0) {
        text.append(", ");
      }
      text.append(slot.named.name);
    }
    return text.length() == 0 ? "none" : text.toString();
  }

  /**
   * Exports {@code records[0..n)}; the first exporter's acknowledgements count as exported. The
   * records may be reused when this returns: the OTLP exporter has encoded them, and the SDK
   * exporters get {@code SpanData} copies, made once per batch and only when one is configured.
   */
  public void export(SpanRecord[] records, int n) {
    List<SpanData> copies = null;
    ExporterSlot.Batch batch = ExporterSlot.Batch.of(records, n);
    for (int i = 0; i < slots.size(); i++) {
      ExporterSlot slot = slots.get(i);
      boolean primary = i == 0;
      if (!hasRoom(slot, n)) {
        if (primary) {
          counters.dropped.addAndGet(n);
          counters.keyEventsLost.addAndGet(batch.keyEvents);
        }
        AgentLog.warnOnce("export-behind-" + slot.named.name, "exporter '" + slot.named.name
            + "' is not keeping up (" + maxInFlight + " exports in flight); further spans are "
            + "dropped and counted in memtrace.events.dropped", null);
        continue;
      }
      slot.sent(batch);
      CompletableResultCode result;
      try {
        if (slot.named.otlp != null) {
          result = slot.named.otlp.export(records, n);
        } else {
          if (copies == null) {
            copies = new ArrayList<>(n);
            for (int r = 0; r < n; r++) {
              copies.add(records[r].toSpanData());
            }
          }
          result = slot.named.exporter.export(copies);
        }
      } catch (RuntimeException e) {
        result = CompletableResultCode.ofExceptionalFailure(e);
      }
      slot.whenDone(result, batch, primary, counters);
    }
  }

  /** Waits up to {@code timeoutMillis} for exports in flight, then shuts every exporter down. */
  public void shutdown(long timeoutMillis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    List<CompletableResultCode> pending = new ArrayList<>();
    for (ExporterSlot slot : slots) {
      if (slot.named.exporter != null) {
        pending.add(slot.named.exporter.flush());
      }
    }
    for (ExporterSlot slot : slots) {
      while (slot.inFlight.get() > 0 && System.nanoTime() < deadline) {
        sleepQuietly();
      }
    }
    CompletableResultCode.ofAll(pending).join(remaining(deadline), TimeUnit.NANOSECONDS);
    countUnfinishedExports();
    List<CompletableResultCode> closing = new ArrayList<>();
    for (ExporterSlot slot : slots) {
      if (slot.named.exporter != null) {
        closing.add(slot.named.exporter.shutdown());
      } else {
        slot.named.otlp.shutdown();
      }
    }
    CompletableResultCode.ofAll(closing).join(Math.max(remaining(deadline), 1), TimeUnit.NANOSECONDS);
  }

  /**
   * Counts the exports still in flight as failed, and ignores their outcome from now on. Called
   * once the shutdown time has run out, by whichever thread gets there first; only the first call
   * counts. It touches no exporter, so the shutdown hook may call it while the consumer is still
   * inside one.
   */
  public void countUnfinishedExports() {
    if (!unfinishedCounted.compareAndSet(false, true)) {
      return;
    }
    for (int i = 0; i < slots.size(); i++) {
      slots.get(i).closeAndCount(i == 0, counters);
    }
  }

  public String perExporterSummary() {
    StringBuilder text = new StringBuilder();
    for (ExporterSlot slot : slots) {
      text.append(' ').append(slot.named.name).append('=').append(slot.exported.get());
    }
    return text.toString().trim();
  }

  private static long remaining(long deadline) {
    return Math.max(0, deadline - System.nanoTime());
  }

  private static void sleepQuietly() {
    try {
      Thread.sleep(5);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
