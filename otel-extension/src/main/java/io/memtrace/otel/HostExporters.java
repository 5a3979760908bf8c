package io.memtrace.otel;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;
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
 * has made its last exports, and memtrace's side only flushes, never closes. The SDK's metric
 * readers wait the same way before their last collection: memtrace records its metrics as its
 * consumer thread takes each event, and the events it drains at exit would otherwise miss it.
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

  /** What the SDK uses in place of its metric {@code reader}: one whose last collection waits for memtrace. */
  MetricReader metricsAfterMemtrace(MetricReader reader) {
    return new CollectsLast(reader);
  }

  /** Waits until memtrace has made its last exports, at most its shutdown budget; not at all if it never exported. */
  private void awaitMemtrace() {
    long wait = waitMillis;
    if (wait > 0) {
      try {
        memtraceDone.await(wait, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
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
      awaitMemtrace();
      return delegate.shutdown();
    }

    @Override
    public String toString() {
      return delegate.toString();
    }
  }

  /** The SDK's metric reader, whose shutdown (a last collection and export) comes after memtrace's last events. */
  private final class CollectsLast implements MetricReader {
    private final MetricReader delegate;

    CollectsLast(MetricReader delegate) {
      this.delegate = delegate;
    }

    @Override
    public void register(CollectionRegistration registration) {
      delegate.register(registration);
    }

    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
      return delegate.getAggregationTemporality(instrumentType);
    }

    @Override
    public Aggregation getDefaultAggregation(InstrumentType instrumentType) {
      return delegate.getDefaultAggregation(instrumentType);
    }

    @Override
    public MemoryMode getMemoryMode() {
      return delegate.getMemoryMode();
    }

    @Override
    public CompletableResultCode forceFlush() {
      return delegate.forceFlush();
    }

    @Override
    public CompletableResultCode shutdown() {
      awaitMemtrace();
      return delegate.shutdown();
    }

    @Override
    public String toString() {
      return delegate.toString();
    }
  }
}
