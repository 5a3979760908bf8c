package io.memtrace.otel;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The OpenTelemetry agent's span exporters, shared by its SDK and memtrace. Both run a JVM
 * shutdown hook, in no set order; the SDK's closes the exporters. So the SDK is handed back a
 * handle whose {@code shutdown} first waits (at most memtrace's shutdown budget) until memtrace
 * has made its last exports, and memtrace's side only flushes, never closes.
 */
final class HostExporters {

  private final List<SpanExporter> captured = new CopyOnWriteArrayList<>();
  private final CountDownLatch memtraceDone = new CountDownLatch(1);
  /** How long the SDK's shutdown waits for memtrace; 0 until memtrace exports through these. */
  private volatile long waitMillis;

  /** Keeps {@code exporter}, which the SDK built, and returns what the SDK uses in its place. */
  SpanExporter capture(SpanExporter exporter) {
    captured.add(exporter);
    return new DrainFirst(exporter);
  }

  boolean isEmpty() {
    return captured.isEmpty();
  }

  /** memtrace's view: every captured exporter, behind {@code sampling}, closed by the SDK alone. */
  SpanExporter forMemtrace(TraceSampling sampling, long shutdownMillis) {
    waitMillis = Math.max(1, shutdownMillis);
    return new SampledSpanExporter(SpanExporter.composite(captured), sampling, memtraceDone::countDown);
  }

  /** The SDK's handle on one exporter. */
  private final class DrainFirst implements SpanExporter {
    private final SpanExporter delegate;

    DrainFirst(SpanExporter delegate) {
      this.delegate = delegate;
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      return delegate.export(spans);
    }

    @Override
    public CompletableResultCode flush() {
      return delegate.flush();
    }

    @Override
    public CompletableResultCode shutdown() {
      long wait = waitMillis;
      if (wait > 0) {
        try {
          memtraceDone.await(wait, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return delegate.shutdown();
    }

    @Override
    public String toString() {
      return delegate.toString();
    }
  }
}
