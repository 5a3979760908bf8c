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
  public final CountDownLatch firstEntered = new CountDownLatch(1);
  public final CountDownLatch release = new CountDownLatch(1);
  public volatile String shutdownCaller;
  private final boolean holdFirst;

  private GatedExporter(boolean holdFirst) {
    this.holdFirst = holdFirst;
  }

  /** Exports at once, every time. */
  public static GatedExporter open() {
    return new GatedExporter(false);
  }

  /** Holds its first export until {@link #release} is counted down. */
  public static GatedExporter holdingFirstExport() {
    return new GatedExporter(true);
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
    }
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
