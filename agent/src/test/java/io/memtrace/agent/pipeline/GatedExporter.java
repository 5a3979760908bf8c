package io.memtrace.agent.pipeline;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in span exporter for tests: records what it got and which thread called it, and can hold
 * its first export until released (as a console exporter writing to a stalled terminal would).
 */
public final class GatedExporter implements SpanExporter {

  public final List<String> callers = new CopyOnWriteArrayList<>();
  public final AtomicInteger spans = new AtomicInteger();
  /** The spans of every export that succeeded. */
  public final List<SpanData> received = new CopyOnWriteArrayList<>();
  /** Each export's spans, in order. */
  public final List<List<SpanData>> batches = new CopyOnWriteArrayList<>();
  public final CountDownLatch firstEntered = new CountDownLatch(1);
  public final CountDownLatch release = new CountDownLatch(1);
  /** Counted down when a held first export goes on (released, or after its 30 s). */
  public final CountDownLatch firstLeft = new CountDownLatch(1);
  public volatile String shutdownCaller;
  private final boolean holdFirst;
  private final int failEvery;
  private final AtomicInteger calls = new AtomicInteger();

  private GatedExporter(boolean holdFirst, int failEvery) {
    this.holdFirst = holdFirst;
    this.failEvery = failEvery;
  }

  /** Exports at once, every time. */
  public static GatedExporter open() {
    return new GatedExporter(false, 0);
  }

  /** Exports at once, but fails every {@code n}-th export. */
  public static GatedExporter failingEvery(int n) {
    return new GatedExporter(false, n);
  }

  /** Holds its first export until {@link #release} is counted down. */
  public static GatedExporter holdingFirstExport() {
    return new GatedExporter(true, 0);
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> batch) {
    callers.add(Thread.currentThread().getName());
    spans.addAndGet(batch.size());
    boolean first = firstEntered.getCount() > 0;
    firstEntered.countDown();
    if (holdFirst && first) {
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      firstLeft.countDown();
    }
    if (failEvery > 0 && calls.incrementAndGet() % failEvery == 0) {
      return CompletableResultCode.ofFailure();
    }
    received.addAll(batch);
    batches.add(List.copyOf(batch));
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode flush() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode shutdown() {
    shutdownCaller = Thread.currentThread().getName();
    return CompletableResultCode.ofSuccess();
  }
}
